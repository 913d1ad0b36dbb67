/** @file archive_writer.cpp
 *  @brief Shard routing, the start-of-run snapshot, in-order writes with duplicate folding, checkpoints.
 */
#include "indexer/archive_writer.h"

#include "common/date.h"
#include "common/error.h"
#include "common/schema.h"
#include "common/shard_select.h"
#include "common/text.h"

#include <algorithm>
#include <atomic>
#include <ctime>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

namespace morgue::indexer {

namespace {
constexpr const char* k_moves_journal = "moves.journal";
/// Shards committed at once at a checkpoint (their fdatasync waits overlap).
constexpr std::size_t k_commit_threads = 8;
}  // namespace

std::string route_shard(const std::optional<UnixTime>& date, const std::vector<std::string>& live_shards) {
    const std::string month = ArchiveLayout::shard_name_for(date);
    if (!date) return month;
    const std::string year = month.substr(0, 4);
    // A compacted shard that holds the whole year: a span of years (`1996..1998`) first,
    // else the newest year shard (`1987.3` after `1987`); among several, the newest.
    std::string best;
    bool best_span = false;
    for (const auto& name : live_shards) {
        if (name == month) continue;
        const auto range = shard_day_range(name);
        if (!range || range->from.empty() || range->from > year + "0101" || range->to < year + "1231") continue;
        const bool span = range->from != year + "0101" || range->to != year + "1231";
        const bool newer = name.size() > best.size() || (name.size() == best.size() && name > best);
        if (best.empty() || (span && !best_span) || (span == best_span && newer)) {
            best = name;
            best_span = span;
        }
    }
    return best.empty() ? month : best;
}

std::string order_value(std::uint32_t run, std::uint64_t seq) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%08x%010llx", run, static_cast<unsigned long long>(seq));
    return buf;
}

// ---- ArchiveSnapshot ----

ArchiveSnapshot::ArchiveSnapshot(const ArchiveLayout& layout) : m_names(layout.read_stub()) {
    for (const auto& name : m_names) {
        try {
            m_shards.emplace_back(layout.shard_path(name).string());
            m_all.add_database(m_shards.back());
        } catch (const Xapian::Error& e) {
            throw ArchiveError(layout.shard_path(name).string() + ": " + e.get_description());
        }
    }
}

void ArchiveSnapshot::reopen() {
    for (auto& db : m_shards) db.reopen();
    m_all.reopen();
}

ArchiveSnapshot::Location ArchiveSnapshot::find(const std::string& id_term, const std::string& target) {
    // The writer commits to these shards while we read them; an old revision
    // may go: read the newest instead (safe: see earliest_duplicate's ORDER rule).
    for (int attempt = 0;; ++attempt) {
        try {
            return find_once(id_term, target);
        } catch (const Xapian::DatabaseModifiedError&) {
            if (attempt >= 8) throw;
            reopen();
        }
    }
}

std::optional<DuplicateMatch> ArchiveSnapshot::earliest_duplicate(const Fingerprint& fp, const std::string& before,
                                                                  const std::vector<Xapian::docid>& exclude) {
    for (int attempt = 0;; ++attempt) {
        try {
            return earliest_duplicate_once(fp, before, exclude);
        } catch (const Xapian::DatabaseModifiedError&) {
            if (attempt >= 8) throw;
            reopen();
        }
    }
}

ArchiveSnapshot::Location ArchiveSnapshot::find_once(const std::string& id_term, const std::string& target) {
    Location loc;
    if (m_names.empty()) return loc;
    const auto n = static_cast<Xapian::docid>(m_names.size());
    // Fast path: in its own shard and nowhere else is the rule; a full look
    // across all shards only happens for ids not found there (new or moved).
    const auto t = std::find(m_names.begin(), m_names.end(), target);
    if (t != m_names.end()) {
        const auto i = static_cast<std::size_t>(t - m_names.begin());
        Xapian::Database& db = m_shards[i];
        auto pl = db.postlist_begin(id_term);
        if (pl != db.postlist_end(id_term)) {
            loc.shards.push_back(target);
            loc.docids.push_back((*pl - 1) * n + static_cast<Xapian::docid>(i) + 1);
            loc.hash = db.get_document(*pl).get_value(schema::kSlotHash);
            if (++pl == db.postlist_end(id_term)) return loc;
            loc = Location{};
        }
    }
    for (auto pl = m_all.postlist_begin(id_term); pl != m_all.postlist_end(id_term); ++pl) {
        const std::size_t i = (*pl - 1) % n;
        if (loc.shards.empty()) loc.hash = m_all.get_document(*pl).get_value(schema::kSlotHash);
        loc.docids.push_back(*pl);
        if (std::find(loc.shards.begin(), loc.shards.end(), m_names[i]) == loc.shards.end())
            loc.shards.push_back(m_names[i]);
    }
    return loc;
}

std::optional<DuplicateMatch> ArchiveSnapshot::earliest_duplicate_once(const Fingerprint& fp, const std::string& before,
                                                                       const std::vector<Xapian::docid>& exclude) {
    std::optional<DuplicateMatch> best;
    if (m_names.empty()) return best;
    std::vector<Xapian::docid> seen;
    for (const auto& term : band_terms(fp.simhash)) {
        for (auto pl = m_all.postlist_begin(term); pl != m_all.postlist_end(term); ++pl) {
            const Xapian::docid did = *pl;
            if (std::find(exclude.begin(), exclude.end(), did) != exclude.end()) continue;
            if (std::find(seen.begin(), seen.end(), did) != seen.end()) continue;
            seen.push_back(did);
            const Xapian::Document doc = m_all.get_document(did);
            const auto other = parse_simhash_hex(doc.get_value(schema::kSlotSimhash));
            if (!other || !near_duplicate(fp, *other)) continue;
            std::string order = doc.get_value(schema::kSlotOrder);
            if (order >= before) continue;  // indexed after this article (a resumed run): not its elder
            if (!best || order < best->order) best = DuplicateMatch{std::move(order), doc.get_value(schema::kSlotCluster)};
        }
    }
    return best;
}

// ---- ArchiveWriter ----

ArchiveWriter::ArchiveWriter(const ArchiveLayout& layout, std::vector<std::string> live_shards, WriterOptions options,
                             DocumentBuilder& builder, unsigned dictionary_id, std::string dictionary)
    : m_layout(layout), m_stub(std::move(live_shards)), m_options(options), m_builder(builder),
      m_dict_id(dictionary_id), m_dict(std::move(dictionary)), m_words(layout.words_db(), options.sync) {}

ArchiveWriter::~ArchiveWriter() {
    try {
        commit();
    } catch (const std::exception& e) {
        std::cerr << "morgue: commit at close failed: " << e.what() << '\n';
    } catch (const Xapian::Error& e) {
        std::cerr << "morgue: commit at close failed: " << e.get_description() << '\n';
    }
}

std::uint32_t ArchiveWriter::shard_index(const std::string& name) {
    const auto it = std::find(m_shard_names.begin(), m_shard_names.end(), name);
    if (it != m_shard_names.end()) return static_cast<std::uint32_t>(it - m_shard_names.begin());
    m_shard_names.push_back(name);
    return static_cast<std::uint32_t>(m_shard_names.size() - 1);
}

ArchiveWriter::Shard& ArchiveWriter::shard(const std::string& name) {
    auto it = m_open.find(name);
    if (it != m_open.end()) return it->second;
    if (m_open.size() >= m_options.max_open_shards) {
        commit();
        // Keep file descriptors bounded: close the shards we have open.
        m_open.clear();
    }
    const auto path = m_layout.shard_path(name);
    try {
        // A shard a killed run was creating is not in the stub yet (that comes after its
        // first commit), and is started again.
        bool fresh = false;
        Xapian::WritableDatabase db = open_writable_glass(path, m_options.sync, fresh);
        const std::string version = db.get_metadata(std::string(schema::kSchemaVersionKey));
        if (fresh || version.empty()) {
            db.set_metadata(std::string(schema::kSchemaVersionKey), std::to_string(schema::kSchemaVersion));
            db.set_metadata(std::string(schema::kCreatedKey), format_iso8601(static_cast<UnixTime>(std::time(nullptr))));
            db.commit();
        } else if (version != std::to_string(schema::kSchemaVersion)) {
            throw ArchiveError(path.string() + ": shard has schema version '" + version + "', expected " +
                               std::to_string(schema::kSchemaVersion) +
                               (schema::readable_schema_version(version)
                                    ? " (searches still read it; to add to it, export the archive with "
                                      "morgue-bench export and index the export into a new one)"
                                    : ""));
        }
        // The stub lists every shard that may hold articles (a shard left
        // out of it by a crash is put back the next time it is written to).
        if (std::find(m_stub.begin(), m_stub.end(), name) == m_stub.end()) {
            m_stub.push_back(name);
            std::sort(m_stub.begin(), m_stub.end());
            m_layout.write_stub(m_stub);
        }
        Shard s{std::move(db), false, false};
        if (m_dict_id != 0)
            s.has_dictionary = s.db.get_termfreq(std::string(schema::kPrefixDict) + std::to_string(m_dict_id)) > 0;
        return m_open.emplace(name, std::move(s)).first->second;
    } catch (const Xapian::Error& e) {
        throw ArchiveError(path.string() + ": " + e.get_description());
    }
}

std::optional<DuplicateMatch> ArchiveWriter::in_run_duplicate(const Fingerprint& fp) const {
    std::optional<std::uint32_t> best;
    for (std::size_t b = 0; b < kBands; ++b) {
        const auto it = m_bands.find(static_cast<std::uint32_t>(b << 16) | band(fp.simhash, b));
        if (it == m_bands.end()) continue;
        for (std::uint32_t i : it->second) {
            if (best && i >= *best) break;  // entries are in indexing order
            if (near_duplicate(fp, m_prints[i].simhash)) best = i;
        }
    }
    if (!best) return std::nullopt;
    return DuplicateMatch{m_prints[*best].order, m_prints[*best].cluster_key};
}

void ArchiveWriter::remember(const PreparedArticle& p, const std::string& cluster_key) {
    m_ids[text::hash64(p.id_term)] = InRunId{shard_index(p.target), text::hash64(p.hash)};
    if (!p.fingerprint) return;
    const auto index = static_cast<std::uint32_t>(m_prints.size());
    m_prints.push_back(InRunPrint{p.fingerprint->simhash, p.fingerprint->shingles, p.order, cluster_key});
    for (std::size_t b = 0; b < kBands; ++b)
        m_bands[static_cast<std::uint32_t>(b << 16) | band(p.fingerprint->simhash, b)].push_back(index);
}

WriteResult ArchiveWriter::write(PreparedArticle&& p) {
    WriteResult result;
    // Where the id is now: written earlier in this run, else as the snapshot saw it.
    std::vector<std::string> current = p.found.shards;
    std::string current_hash = p.found.hash;
    const auto known = m_ids.find(text::hash64(p.id_term));
    if (const auto it = known; it != m_ids.end()) {
        current = {m_shard_names[it->second.shard]};
        if (it->second.hash == text::hash64(p.hash) && current.front() == p.target) return result;
    } else if (current.size() == 1 && current.front() == p.target && current_hash == p.hash) {
        return result;
    }
    if (!p.doc) {
        // The snapshot said unchanged, but this run changed the id since: build it now.
        if (!p.enriched && m_options.enricher) m_options.enricher(*p.article);
        p.enriched = true;
        p.fingerprint = fingerprint(p.article->body);
        p.doc = m_builder.build(*p.article, article_to_json(*p.article), BuildExtras{p.fingerprint, p.order, p.hash});
        if (m_options.spelling) p.spelling = m_builder.take_spelling_words();
    }

    // Cluster: adopt the key of the earliest-indexed near-duplicate, from the
    // snapshot or from this run, else start a cluster of its own.
    std::optional<DuplicateMatch> match = p.snapshot_match;
    if (p.fingerprint) {
        auto in_run = in_run_duplicate(*p.fingerprint);
        if (in_run && (!match || in_run->order < match->order)) match = std::move(in_run);
    }
    const std::string cluster_key = match && !match->cluster_key.empty() ? match->cluster_key : p.id;
    result.duplicate = cluster_key != p.id;
    DocumentBuilder::set_cluster(*p.doc, cluster_key, result.duplicate);

    try {
        Shard& target = shard(p.target);
        // A replaced article may be its shard's dictionary carrier: the new version carries it on.
        if (std::find(current.begin(), current.end(), p.target) != current.end()) {
            const std::string carried = carried_dictionary(target.db, p.id_term);
            if (!carried.empty()) attach_dictionary(*p.doc, carried);
        }
        if (m_dict_id != 0 && !target.has_dictionary && p.doc->get_value(schema::kSlotDictionary).empty()) {
            attach_dictionary(*p.doc, m_dict);
            target.db.set_metadata(std::string(schema::kDictMetadataPrefix) + std::to_string(m_dict_id), m_dict);
            target.has_dictionary = true;
        }
        if (m_options.spelling) m_words.add(p.spelling);
        // An id in no shard when the run started and not written since is new:
        // add_document spares Xapian the look-up of the Q term that replace_document makes.
        if (current.empty() && known == m_ids.end()) target.db.add_document(*p.doc);
        else target.db.replace_document(p.id_term, *p.doc);
        target.dirty = true;
        for (const auto& other : current) {
            if (other == p.target) continue;
            m_moved.push_back(p.id_term);
            Shard& old = shard(other);
            const std::string carried = carried_dictionary(old.db, p.id_term);
            old.db.delete_document(p.id_term);
            if (!carried.empty()) rehome_dictionary(old.db, carried);
            old.dirty = true;
        }
    } catch (const Xapian::Error& e) {
        throw ArchiveError(m_layout.shard_path(p.target).string() + ": " + e.get_description());
    }
    result.outcome = current.empty() ? AddOutcome::Added : AddOutcome::Replaced;
    remember(p, cluster_key);
    if (++m_since_commit >= m_options.commit_every) commit();
    return result;
}

void attach_dictionary(Xapian::Document& doc, const std::string& dictionary) {
    doc.add_value(schema::kSlotDictionary, dictionary);
    doc.add_boolean_term(std::string(schema::kPrefixDict) + std::to_string(ZstdCodec::dictionary_id(dictionary)));
    doc.add_boolean_term(std::string(schema::kTermDictionary));
}

std::string carried_dictionary(Xapian::WritableDatabase& db, const std::string& id_term) {
    auto pl = db.postlist_begin(id_term);
    if (pl == db.postlist_end(id_term)) return {};
    return db.get_document(*pl).get_value(schema::kSlotDictionary);
}

bool rehome_dictionary(Xapian::WritableDatabase& db, const std::string& dictionary) {
    for (auto pl = db.postlist_begin(""); pl != db.postlist_end(""); ++pl) {
        Xapian::Document doc = db.get_document(*pl);
        if (!doc.get_value(schema::kSlotDictionary).empty()) continue;
        attach_dictionary(doc, dictionary);
        db.replace_document(*pl, doc);
        return true;
    }
    return false;  // the shard is empty: nothing needs the dictionary any more
}

void ArchiveWriter::commit() {
    for (auto& [name, s] : m_open) {
        if (m_dict_id == 0 || !s.dirty || s.has_dictionary) continue;
        try {
            // Its articles were written while the first one carried another dictionary.
            if (rehome_dictionary(s.db, m_dict)) {
                s.db.set_metadata(std::string(schema::kDictMetadataPrefix) + std::to_string(m_dict_id), m_dict);
                s.has_dictionary = true;
            }
        } catch (const Xapian::Error& e) {
            throw ArchiveError(m_layout.shard_path(name).string() + ": " + e.get_description());
        }
    }
    // Shards commit one by one: an article moved between two of them could be
    // in both (or neither) if we die in between. The journal names such ids so
    // that heal_moves() settles them before the next write.
    if (!m_moved.empty()) {
        std::ofstream journal(m_layout.state_dir() / k_moves_journal, std::ios::app);
        for (const auto& t : m_moved) journal << t << '\n';
        journal.flush();
        if (!journal) throw ArchiveError((m_layout.state_dir() / k_moves_journal).string() + ": cannot write");
    }
    // The word list first: a word of an article that a kill kept from committing is
    // harmless (the searcher passes over words whose stem no article has), a
    // committed article whose words are missing would stay so (a re-run skips it).
    m_words.commit();
    // The dirty shards commit side by side: each commit spends most of its time
    // waiting for fdatasync, and the waits overlap (a checkpoint of a crawl with
    // late articles touches several months). Each database is used by one thread.
    std::vector<std::pair<const std::string*, Shard*>> dirty;
    for (auto& [name, s] : m_open)
        if (s.dirty) dirty.emplace_back(&name, &s);
    std::atomic<std::size_t> next{0};
    std::mutex failure_mutex;
    std::optional<ArchiveError> failure;
    auto fail = [&](const std::string& name, const std::string& what) {
        const std::lock_guard lock(failure_mutex);
        if (!failure) failure.emplace(m_layout.shard_path(name).string() + ": " + what);
    };
    auto commit_some = [&] {
        for (std::size_t i = next++; i < dirty.size(); i = next++) {
            auto& [name, s] = dirty[i];
            try {
                s->db.commit();
                s->dirty = false;
            } catch (const Xapian::Error& e) {
                fail(*name, e.get_description());
            } catch (const std::exception& e) {
                fail(*name, e.what());
            }
        }
    };
    std::vector<std::thread> committers;
    const std::size_t helpers = std::min<std::size_t>(k_commit_threads, dirty.size()) - (dirty.empty() ? 0 : 1);
    for (std::size_t t = 0; t < helpers; ++t) committers.emplace_back(commit_some);
    commit_some();
    for (auto& t : committers) t.join();
    if (failure) throw *failure;
    m_since_commit = 0;
    if (!m_moved.empty()) {
        std::error_code ec;
        std::filesystem::remove(m_layout.state_dir() / k_moves_journal, ec);
        m_moved.clear();
    }
}

std::size_t heal_moves(const ArchiveLayout& layout) {
    const auto journal_path = layout.state_dir() / k_moves_journal;
    std::ifstream journal(journal_path);
    if (!journal) return 0;
    std::vector<std::string> terms;
    for (std::string line; std::getline(journal, line);)
        if (!line.empty()) terms.push_back(line);
    std::sort(terms.begin(), terms.end());
    terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
    const auto names = layout.read_stub();
    std::size_t healed = 0;
    try {
        // For each id: keep the copy indexed last (highest ORDER), drop the others.
        std::vector<Xapian::WritableDatabase> dbs;
        for (const auto& name : names) dbs.emplace_back(layout.shard_path(name).string(), Xapian::DB_OPEN);
        for (const auto& term : terms) {
            std::string best_order;
            std::size_t best = names.size();
            std::vector<std::size_t> holders;
            for (std::size_t i = 0; i < dbs.size(); ++i) {
                auto pl = dbs[i].postlist_begin(term);
                if (pl == dbs[i].postlist_end(term)) continue;
                holders.push_back(i);
                const std::string order = dbs[i].get_document(*pl).get_value(schema::kSlotOrder);
                if (best == names.size() || order > best_order) {
                    best = i;
                    best_order = order;
                }
            }
            for (std::size_t i : holders) {
                if (i == best) continue;
                dbs[i].delete_document(term);
                ++healed;
            }
        }
        for (auto& db : dbs) db.commit();
    } catch (const Xapian::Error& e) {
        throw ArchiveError(layout.dir().string() + ": healing moved articles: " + e.get_description());
    }
    std::error_code ec;
    std::filesystem::remove(journal_path, ec);
    return healed;
}

}  // namespace morgue::indexer
