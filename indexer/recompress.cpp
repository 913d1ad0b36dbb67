/** @file recompress.cpp
 *  @brief recompress_shard: sample, train, compress again in threads, replace data only, tidy dictionaries.
 */
#include "indexer/recompress.h"

#include "common/dictionary_cache.h"
#include "common/error.h"
#include "common/schema.h"
#include "common/stored_article.h"
#include "common/zstd_codec.h"
#include "indexer/archive_writer.h"

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <map>
#include <memory>
#include <set>
#include <thread>
#include <vector>

namespace morgue::indexer {

namespace {

using Codecs = std::map<unsigned, std::unique_ptr<ZstdCodec>>;

/// One thread's decoders (every dictionary of the shard, and none) and its encoder.
struct Worker {
    Codecs decoders;
    ZstdCodec encoder;
    Worker(const std::map<unsigned, std::string>& dicts, const std::string& dictionary, int level) : encoder(level) {
        decoders[0] = std::make_unique<ZstdCodec>();
        for (const auto& [id, d] : dicts) {
            decoders[id] = std::make_unique<ZstdCodec>();
            decoders[id]->set_dictionary(d);
        }
        encoder.set_dictionary(dictionary);
    }
    /// The article's JSON; throws naming the document.
    std::string decode(const std::filesystem::path& path, Xapian::docid did, const std::string& data) {
        std::string_view frame;
        try {
            frame = split_stored_article(data).frame;
        } catch (const Error& e) {
            throw ArchiveError(path.string() + ": document " + std::to_string(did) + ": " + e.what());
        }
        const auto it = decoders.find(ZstdCodec::frame_dictionary_id(frame));
        if (it == decoders.end())
            throw ArchiveError(path.string() + ": document " + std::to_string(did) + ": zstd dictionary " +
                               std::to_string(ZstdCodec::frame_dictionary_id(frame)) + " is not in the shard");
        try {
            return it->second->decompress(frame);
        } catch (const Error& e) {
            throw ArchiveError(path.string() + ": document " + std::to_string(did) + ": " + e.what());
        }
    }
    /// New document data; empty to keep data as it is. With a new dictionary every article takes
    /// it (the few that grow by a byte or two cost less than keeping the old dictionary for
    /// them); without one, only those it makes smaller.
    std::string recode(const std::filesystem::path& path, Xapian::docid did, const std::string& data, bool always) {
        // The word sketch stays as it is (a format 1 article gains none: its words are not at hand).
        const std::string fresh = join_stored_article(split_stored_article(data).sketch, encoder.compress(decode(path, did, data)));
        return always || fresh.size() < data.size() ? fresh : std::string();
    }
};

/// Removes the carriers and metadata of the dictionaries the shard held that no article names,
/// keeps one carrier of each other, and makes sure the new one is carried and in the metadata.
/// Returns how many dictionaries went.
unsigned tidy_dictionaries(Xapian::WritableDatabase& db, const std::map<unsigned, std::string>& held,
                           const std::set<unsigned>& named, unsigned new_id, const std::string& dictionary) {
    unsigned removed = 0;
    bool new_carried = false;
    for (const auto& entry : held) {
        const unsigned id = entry.first;
        const bool keep = named.count(id) > 0;
        const std::string term = std::string(schema::kPrefixDict) + std::to_string(id);
        prune_carriers(db, term, keep);
        if (keep && id == new_id) new_carried = db.get_termfreq(term) > 0;
        if (!keep) {
            db.set_metadata(std::string(schema::kDictMetadataPrefix) + std::to_string(id), "");
            ++removed;
        }
    }
    if (new_id != 0 && named.count(new_id)) {
        if (!new_carried) (void)rehome_dictionary(db, dictionary);
        db.set_metadata(std::string(schema::kDictMetadataPrefix) + std::to_string(new_id), dictionary);
    }
    return removed;
}

}  // namespace

void prune_carriers(Xapian::WritableDatabase& db, const std::string& term, bool keep_first) {
    std::vector<Xapian::docid> drop;
    for (auto pl = db.postlist_begin(term); pl != db.postlist_end(term); ++pl) drop.push_back(*pl);
    if (keep_first && !drop.empty()) drop.erase(drop.begin());
    for (const auto did : drop) {
        Xapian::Document doc = db.get_document(did);
        doc.remove_term(term);
        doc.remove_value(schema::kSlotDictionary);
        doc.remove_term(std::string(schema::kTermDictionary));  // one dictionary per carrier
        db.replace_document(did, doc);
    }
}

RecompressReport recompress_shard(const std::filesystem::path& db_path, const RecompressOptions& options) {
    const auto t0 = std::chrono::steady_clock::now();
    RecompressReport report;
    try {
        Xapian::WritableDatabase db(db_path.string(), Xapian::DB_OPEN);
        const auto dicts = held_dictionaries(db);
        for (const auto& kv : dicts) report.dictionary_bytes_before += kv.second.size();
        std::vector<Xapian::docid> ids;
        ids.reserve(db.get_doccount());
        for (auto pl = db.postlist_begin(""); pl != db.postlist_end(""); ++pl) ids.push_back(*pl);
        report.articles = ids.size();
        if (ids.empty()) return report;

        // A sample spread evenly over the shard: seven in eight articles of it train the
        // dictionary, the eighth (never trained on) probes what the dictionary will save.
        Worker sampler(dicts, std::string(), 1);
        std::vector<std::string> samples, probes;
        std::uint64_t sample_bytes = 0, probe_old = 0;
        const std::size_t step = std::max<std::size_t>(1, ids.size() / options.max_samples);
        for (std::size_t i = 0, n = 0; i < ids.size(); i += step, ++n) {
            const std::string data = db.get_document(ids[i]).get_data();
            std::string json = sampler.decode(db_path, ids[i], data);
            sample_bytes += json.size();
            if (n % 8 == 7) {
                probe_old += data.size();
                probes.push_back(std::move(json));
            } else {
                samples.push_back(std::move(json));
            }
        }
        const std::uint64_t json_estimate = sample_bytes / (samples.size() + probes.size()) * ids.size();
        const std::size_t capacity = std::min<std::uint64_t>(options.max_dictionary, json_estimate / 40);
        std::string dictionary = capacity >= (16u << 10) ? ZstdCodec::train_dictionary(samples, capacity) : std::string();
        samples.clear();
        samples.shrink_to_fit();
        if (!dictionary.empty() && !probes.empty()) {
            // Keep the dictionary only if the data it saves outweighs it (less the old ones it frees).
            ZstdCodec trial(options.level);
            trial.set_dictionary(dictionary);
            std::uint64_t probe_new = 0;
            for (const auto& p : probes) probe_new += 1 + trial.compress(p).size();
            const auto old_dicts = report.dictionary_bytes_before;
            const double saved = (static_cast<double>(probe_old) - static_cast<double>(probe_new)) /
                                 static_cast<double>(probes.size()) * static_cast<double>(ids.size());
            if (saved <= static_cast<double>(dictionary.size()) - static_cast<double>(old_dicts)) dictionary.clear();
        }
        report.dictionary_id = dictionary.empty() ? 0 : ZstdCodec::dictionary_id(dictionary);
        report.dictionary_bytes = dictionary.size();

        const unsigned nthreads = std::max(1u, options.threads);
        std::vector<std::unique_ptr<Worker>> workers;
        for (unsigned t = 0; t < nthreads; ++t)
            workers.push_back(std::make_unique<Worker>(dicts, dictionary, options.level));
        std::set<unsigned> named;
        constexpr std::size_t kBatch = 2048;
        std::vector<std::string> data(kBatch), fresh(kBatch);
        for (std::size_t begin = 0; begin < ids.size(); begin += kBatch) {
            const std::size_t n = std::min(kBatch, ids.size() - begin);
            for (std::size_t i = 0; i < n; ++i) data[i] = db.get_document(ids[begin + i]).get_data();
            std::vector<std::exception_ptr> errors(nthreads);
            auto work = [&](unsigned t) {
                try {
                    for (std::size_t i = t; i < n; i += nthreads) fresh[i] = workers[t]->recode(db_path, ids[begin + i], data[i], !dictionary.empty());
                } catch (...) {
                    errors[t] = std::current_exception();
                }
            };
            std::vector<std::thread> pool;
            for (unsigned t = 1; t < nthreads; ++t) pool.emplace_back(work, t);
            work(0);
            for (auto& th : pool) th.join();
            for (const auto& e : errors)
                if (e) std::rethrow_exception(e);
            for (std::size_t i = 0; i < n; ++i) {
                report.bytes_before += data[i].size();
                const std::string& kept = fresh[i].empty() ? data[i] : fresh[i];
                report.bytes_after += kept.size();
                named.insert(ZstdCodec::frame_dictionary_id(split_stored_article(kept).frame));
                if (fresh[i].empty()) continue;
                // Re-read and replace at once: glass then rewrites the data alone.
                Xapian::Document doc = db.get_document(ids[begin + i]);
                doc.set_data(fresh[i]);
                db.replace_document(ids[begin + i], doc);
                ++report.rewritten;
            }
        }
        report.dictionaries_removed = tidy_dictionaries(db, dicts, named, report.dictionary_id, dictionary);
        db.commit();
    } catch (const Xapian::Error& e) {
        throw ArchiveError(db_path.string() + ": recompressing: " + e.get_description());
    }
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return report;
}

}  // namespace morgue::indexer
