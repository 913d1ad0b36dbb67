/** @file store_walk.cpp
 *  @brief One pass over every document of every shard, decoding the zstd store.
 */
#include "benchmarks/store_walk.h"

#include "common/date.h"
#include "common/error.h"
#include "common/stored_article.h"
#include "searcher/archive_reader.h"

#include <nlohmann/json.hpp>
#include <xapian.h>

#include <functional>

namespace morgue::bench {

StoredBytes stored_bytes(std::string_view data) {
    const StoredParts parts = split_stored_article(data);
    return {1 + parts.frame.size(), data.size() - 1 - parts.frame.size()};
}

namespace {

StoreTotals walk(const std::string& archive, const std::function<void(const Article&)>& each) {
    const Xapian::Database db = searcher::open_archive(archive);
    DictionaryCache dicts;
    StoreTotals totals;
    try {
        for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
            const std::string data = db.get_document(*it).get_data();
            Article a;
            try {
                a = decode_stored_article(data, db, dicts);
            } catch (const Error& e) {
                throw ArchiveError(archive + ": document " + std::to_string(*it) + ": " + e.what());
            }
            ++totals.articles;
            const StoredBytes bytes = stored_bytes(data);
            totals.sketch_bytes += bytes.sketch;
            totals.store_bytes += bytes.frame;
            totals.raw_text_bytes += a.title.size() + a.body.size();
            each(a);
        }
        // The dictionaries are part of the store: a shard that trains a large one pays for it.
        for (const auto& [id, dictionary] : held_dictionaries(db)) totals.dictionary_bytes += dictionary.size();
        totals.store_bytes += totals.dictionary_bytes;
    } catch (const Xapian::Error& e) {
        throw ArchiveError(archive + ": " + e.get_description());
    }
    return totals;
}

/// The article in the input form of `morgue-index add` (README "Input: JSON Lines"), not the stored form.
std::string input_json(const Article& a) {
    nlohmann::json j{{"id", a.id}, {"title", a.title}, {"body", a.body}};
    if (!a.url.empty()) j["url"] = a.url;
    if (a.date) j["date"] = format_iso8601(*a.date);
    if (!a.source.empty()) j["source"] = a.source;
    if (!a.authors.empty()) j["authors"] = a.authors;
    if (!a.language.empty()) j["language"] = a.language;
    if (!a.dateline.empty()) j["dateline"] = a.dateline;
    if (!a.topics.empty()) j["topics"] = a.topics;
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

StoreTotals measure_store(const std::string& archive) {
    return walk(archive, [](const Article&) {});
}

StoreTotals export_jsonl(const std::string& archive, std::ostream& out) {
    StoreTotals totals = walk(archive, [&out](const Article& a) { out << input_json(a) << '\n'; });
    out.flush();
    if (!out) throw Error(archive + ": export: write failed");
    return totals;
}

}  // namespace morgue::bench
