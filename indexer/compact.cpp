/** @file compact.cpp
 *  @brief Year merges with Xapian::Database::compact, the stub swap, and the archive checker.
 */
#include "indexer/compact.h"

#include "common/archive_layout.h"
#include "common/date.h"
#include "common/dictionary_cache.h"
#include "common/error.h"
#include "common/postings_file.h"
#include "common/schema.h"
#include "common/shard_select.h"
#include "common/stored_article.h"
#include "common/word_list.h"
#include "indexer/archive_writer.h"
#include "indexer/glass_compression.h"
#include "indexer/recompress.h"
#include "indexer/write_lock.h"

#include <nlohmann/json.hpp>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <ostream>
#include <sstream>
#include <tuple>

namespace morgue::indexer {

namespace {

using Clock = std::chrono::steady_clock;

bool is_month(const std::string& n) {
    return n.size() == 7 && n[4] == '-' && std::all_of(n.begin(), n.begin() + 4, ::isdigit) && ::isdigit(n[5]) &&
           ::isdigit(n[6]);
}

/// 0 if not a year shard of this year, 1 for "1987", N for "1987.N".
int year_generation(const std::string& name, const std::string& year) {
    if (name == year) return 1;
    if (name.size() > 5 && name.compare(0, 5, year + ".") == 0 &&
        std::all_of(name.begin() + 5, name.end(), ::isdigit))
        return std::stoi(name.substr(5));
    return 0;
}

std::string default_before() {
    const std::string now = format_year_month(static_cast<UnixTime>(std::time(nullptr)));
    int y = std::stoi(now.substr(0, 4));
    int m = std::stoi(now.substr(5, 2)) - 1;
    if (m == 0) {
        m = 12;
        --y;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
    return buf;
}

/// Keeps one carrier per dictionary (each merged part brought its own); true if it removed any.
bool dedupe_dictionaries(const std::filesystem::path& db_path) {
    Xapian::WritableDatabase db(db_path.string(), Xapian::DB_OPEN);
    const std::string prefix(schema::kPrefixDict);
    std::vector<std::string> terms;
    for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t)
        if (t.get_termfreq() > 1) terms.push_back(*t);
    for (const auto& term : terms) prune_carriers(db, term, true);
    db.commit();
    return !terms.empty();
}

/// What a merge does to the stub: its parts out, the new shard in, in order (a dry run plans
/// on the result without doing the merge).
void plan_in_stub(std::vector<std::string>& stub, const CompactMerge& merge) {
    std::erase_if(stub, [&](const std::string& n) {
        return std::find(merge.parts.begin(), merge.parts.end(), n) != merge.parts.end();
    });
    stub.push_back(merge.shard);
    std::sort(stub.begin(), stub.end());
}

/// Merges merge.parts into merge.shard: compacted in .morgue/tmp, renamed in, the stub swapped
/// (one rename), the parts deleted (through the trash). `stub` is updated.
void execute_merge(const ArchiveLayout& layout, const CompactOptions& options, CompactMerge& merge,
                   std::vector<std::string>& stub, std::ostream& log) {
    std::error_code ec;
    const auto t0 = Clock::now();
    const auto tmp = layout.tmp_dir() / merge.shard;
    std::filesystem::create_directories(layout.tmp_dir());
    std::filesystem::remove_all(tmp, ec);
    try {
        Xapian::Database sources;
        for (const auto& p : merge.parts) sources.add_database(Xapian::Database(layout.shard_path(p).string()));
        // STANDARD, not FULLER: on a FULLER-packed year, removing the merged months' dictionary
        // copies and then writing a 1 MB dictionary value made Xapian 1.4.22 overflow a heap
        // buffer in commit (ASan), and the writer does the same remove-then-add when it moves a
        // late article's dictionary. On a year of 33,560 generated articles the two modes
        // differ by 32 KB of 128 MB.
        sources.compact(tmp.string(), Xapian::DBCOMPACT_MULTIPASS | Xapian::Compactor::STANDARD);
        bool rewritten = false;
        if (options.store_level > 0) {
            RecompressOptions ro;
            ro.level = options.store_level;
            ro.threads = options.threads;
            merge.store = recompress_shard(tmp, ro);
            rewritten = merge.store.rewritten > 0 || merge.store.dictionaries_removed > 0;
        } else {
            rewritten = dedupe_dictionaries(tmp);
        }
        if (rewritten) {
            // Replaced data and removed dictionary copies (a 256 KB dictionary per merged month:
            // 7 MB of a year's 38 MB postlist table) leave free blocks behind; one more pass
            // packs them out.
            const auto packed = tmp.string() + ".packed";
            std::filesystem::remove_all(packed, ec);
            Xapian::Database(tmp.string()).compact(packed, Xapian::Compactor::STANDARD);
            std::filesystem::remove_all(tmp, ec);
            std::filesystem::rename(packed, tmp, ec);
            if (ec) throw ArchiveError(tmp.string() + ": cannot move the packed shard in: " + ec.message());
        }
        // Morgue's own posting lists for the searcher's fast tiers (searcher/fast_tiers.h).
        (void)write_postings_file(Xapian::Database(tmp.string()), tmp / kPostingsFileName);
    } catch (const Xapian::Error& e) {
        throw ArchiveError(tmp.string() + ": compacting " + merge.shard + ": " + e.get_description());
    }
    const auto final_path = layout.shard_path(merge.shard);
    std::filesystem::remove_all(final_path, ec);
    std::filesystem::rename(tmp, final_path, ec);
    if (ec) throw ArchiveError(final_path.string() + ": cannot move the compacted shard in: " + ec.message());
    // The swap: one rename of the stub.
    std::vector<std::string> next = stub;
    plan_in_stub(next, merge);
    layout.write_stub(next);
    stub = std::move(next);
    // The parts, which the stub no longer lists, go: first out of the archive's shard names (one
    // rename each), then from the disk, so that a compaction needs room for one merge at a time
    // rather than leaving every replaced month and year behind (6.4 GB beside a 2.2 GB archive
    // of a million articles). A searcher that opened them before the swap keeps its open files.
    // What cannot be deleted now stays in the trash, which the next compact empties.
    std::filesystem::create_directories(layout.trash_dir());
    for (const auto& p : merge.parts) {
        const auto trashed = layout.trash_dir() / p;
        std::filesystem::rename(layout.shard_path(p), trashed, ec);
        if (ec) {
            log << "morgue-index: " << layout.shard_path(p).string() << ": cannot move to trash: " << ec.message() << '\n';
            continue;
        }
        std::filesystem::remove_all(trashed, ec);
        if (ec) log << "morgue-index: " << trashed.string() << ": cannot delete (the next compact will): " << ec.message() << '\n';
    }
    merge.bytes_after = directory_bytes(final_path);
    merge.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    log << "morgue-index: compacted " << merge.parts.size() << " shards into " << merge.shard << " ("
        << merge.bytes_before / 1000000 << " MB -> " << merge.bytes_after / 1000000 << " MB";
    if (merge.store.articles > 0)
        log << "; store " << merge.store.bytes_before / 1000000 << " MB -> " << merge.store.bytes_after / 1000000
            << " MB at zstd level " << options.store_level << ", " << merge.store.dictionary_bytes / 1024
            << " KB dictionary, " << static_cast<int>(merge.store.seconds) << " s";
    log << ")\n";
}

/// Neighbouring shards of closed years (before `open_year`) merged, oldest first, into spans
/// under options.span_bytes. See compact.h.
void merge_spans(const ArchiveLayout& layout, const CompactOptions& options, const std::string& open_year,
                 std::vector<std::string>& stub, CompactReport& report, std::ostream& log) {
    struct Item {
        std::string name;
        std::string first, last;  // years
        std::uint64_t bytes = 0;
    };
    std::map<std::string, std::uint64_t> planned;  // shards this run made (or, dry, would make)
    for (const auto& m : report.merges) planned[m.shard] = m.bytes_after > 0 ? m.bytes_after : m.bytes_before;
    std::vector<Item> items;
    for (const auto& name : stub) {
        const auto range = shard_day_range(name);
        if (!range || range->from.empty() || is_month(name)) continue;
        Item item{name, range->from.substr(0, 4), range->to.substr(0, 4), 0};
        if (item.last >= open_year) continue;
        const auto made = planned.find(name);
        item.bytes = made != planned.end() ? made->second : directory_bytes(layout.shard_path(name));
        items.push_back(std::move(item));
    }
    std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
        return std::tie(a.first, a.last, a.name) < std::tie(b.first, b.last, b.name);
    });
    std::vector<std::vector<Item>> groups(1);
    std::uint64_t total = 0;
    for (auto& item : items) {
        if (!groups.back().empty() && total + item.bytes > options.span_bytes) {
            groups.emplace_back();
            total = 0;
        }
        total += item.bytes;
        groups.back().push_back(std::move(item));
    }
    for (const auto& group : groups) {
        if (group.size() < 2) continue;
        CompactMerge merge;
        std::string first = group.front().first, last = group.front().last;
        for (const auto& item : group) {
            merge.parts.push_back(item.name);
            merge.bytes_before += item.bytes;
            first = std::min(first, item.first);
            last = std::max(last, item.last);
        }
        const std::string base = first + ".." + last;
        merge.shard = base;
        for (int n = 2; std::find(stub.begin(), stub.end(), merge.shard) != stub.end() ||
                        std::filesystem::exists(layout.shard_path(merge.shard));
             ++n)
            merge.shard = base + "." + std::to_string(n);
        if (options.dry_run) {
            plan_in_stub(stub, merge);
        } else {
            execute_merge(layout, options, merge, stub, log);
        }
        report.merges.push_back(std::move(merge));
    }
}

}  // namespace

std::uint64_t directory_bytes(const std::filesystem::path& dir) {
    std::uint64_t total = 0;
    std::error_code ec;
    for (std::filesystem::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file(ec)) total += it->file_size(ec);
    return total;
}

CompactReport run_compact(const CompactOptions& options, std::ostream& log) {
    // The term lists the nightly writer left uncompressed are deflated as the compactor
    // copies them; stored articles (zstd already) are not given to zlib.
    const GlassCompressionScope compression(GlassCompression::NotStoredArticles);
    const auto start = Clock::now();
    CompactReport report;
    const ArchiveLayout layout(options.archive);
    if (!std::filesystem::exists(layout.stub()))
        throw ArchiveError(options.archive.string() + ": not a Morgue archive (no XAPIANDB stub)");
    const WriteLock lock(layout, "morgue-index compact", options.wait, [&](const std::string& holder) {
        log << "morgue-index: waiting for the archive's writer (" << holder << ")\n";
    });
    (void)heal_moves(layout);
    std::vector<std::string> stub = layout.read_stub();
    std::error_code ec;
    if (!options.dry_run) {
        // Leftovers of earlier compactions: swapped-out shards, work space, and
        // shard directories no stub lists (a compact killed before its swap).
        for (const auto& dir : {layout.trash_dir(), layout.tmp_dir()}) {
            if (std::filesystem::exists(dir)) {
                for (const auto& e : std::filesystem::directory_iterator(dir)) report.removed.push_back(e.path().string());
                std::filesystem::remove_all(dir, ec);
            }
        }
        for (const auto& name : layout.list_shards()) {
            if (std::find(stub.begin(), stub.end(), name) != stub.end()) continue;
            std::filesystem::remove_all(layout.shard_path(name), ec);
            report.removed.push_back(layout.shard_path(name).string());
        }
    }
    const std::string before = options.before.empty() ? default_before() : options.before;
    std::map<std::string, std::vector<std::string>> by_year;
    for (const auto& name : stub) {
        if (is_month(name) && name < before) by_year[name.substr(0, 4)].push_back(name);
    }
    for (auto& [year, months] : by_year) {
        CompactMerge merge;
        int generation = 0;
        for (const auto& name : stub) {
            const int g = year_generation(name, year);
            if (g > 0) {
                merge.parts.push_back(name);
                generation = std::max(generation, g);
            }
        }
        merge.parts.insert(merge.parts.end(), months.begin(), months.end());
        std::sort(merge.parts.begin(), merge.parts.end());
        merge.shard = generation == 0 ? year : year + "." + std::to_string(generation + 1);
        for (const auto& p : merge.parts) merge.bytes_before += directory_bytes(layout.shard_path(p));
        if (options.dry_run) {
            plan_in_stub(stub, merge);
            report.merges.push_back(std::move(merge));
            continue;
        }
        execute_merge(layout, options, merge, stub, log);
        report.merges.push_back(std::move(merge));
    }
    if (options.span_bytes > 0) merge_spans(layout, options, before.substr(0, 4), stub, report, log);
    report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return report;
}

std::size_t run_write_postings(const std::filesystem::path& archive, bool all, std::ostream& log, Xapian::doccount min_postings) {
    const ArchiveLayout layout(archive);
    if (!std::filesystem::exists(layout.stub()))
        throw ArchiveError(archive.string() + ": not a Morgue archive (no XAPIANDB stub)");
    std::size_t written = 0;
    for (const auto& name : layout.read_stub()) {
        const auto path = layout.shard_path(name);
        const auto t0 = Clock::now();
        try {
            const Xapian::Database db(path.string());
            if (!all) {
                std::shared_ptr<const PostingsFile> have;
                try {
                    have = PostingsFile::open(path / kPostingsFileName);
                } catch (const ArchiveError& e) {
                    log << "morgue-index: " << e.what() << "; writing it again\n";
                }
                if (have && have->fits(db) && have->min_postings() == std::max<Xapian::doccount>(1, min_postings)) continue;
            }
            const PostingsWriteReport r = write_postings_file(db, path / kPostingsFileName, min_postings);
            ++written;
            log << "morgue-index: " << name << ": postings of " << r.terms << " terms, " << r.postings << " postings, "
                << r.bytes / 1000000 << " MB (" << std::chrono::duration<double>(Clock::now() - t0).count() << " s)\n";
        } catch (const Xapian::Error& e) {
            throw ArchiveError(path.string() + ": " + e.get_description());
        }
    }
    return written;
}

std::string compact_json(const CompactReport& r) {
    nlohmann::json merges = nlohmann::json::array();
    for (const auto& m : r.merges)
        merges.push_back({{"shard", m.shard}, {"parts", m.parts}, {"bytes_before", m.bytes_before},
                          {"bytes_after", m.bytes_after}, {"seconds", m.seconds},
                          {"store", {{"articles", m.store.articles}, {"rewritten", m.store.rewritten},
                                     {"bytes_before", m.store.bytes_before}, {"bytes_after", m.store.bytes_after},
                                     {"dictionary_bytes", m.store.dictionary_bytes},
                                     {"dictionary_bytes_before", m.store.dictionary_bytes_before},
                                     {"dictionary_id", m.store.dictionary_id}, {"seconds", m.store.seconds}}}});
    return nlohmann::json{{"merges", merges}, {"removed", r.removed}, {"seconds", r.seconds}}.dump();
}

// ---- verify ----

bool VerifyReport::ok() const {
    if (!problems.empty()) return false;
    return std::all_of(shards.begin(), shards.end(), [](const VerifyShard& s) { return s.problems.empty(); });
}

VerifyReport run_verify(const std::filesystem::path& archive) {
    VerifyReport report;
    const ArchiveLayout layout(archive);
    if (!std::filesystem::exists(layout.stub()))
        throw ArchiveError(archive.string() + ": not a Morgue archive (no XAPIANDB stub)");
    const auto names = layout.read_stub();
    Xapian::Database all;
    for (const auto& name : names) {
        VerifyShard s;
        s.name = name;
        const auto path = layout.shard_path(name);
        if (!std::filesystem::exists(path / "iamglass")) {
            s.problems.push_back("listed in the stub but missing");
            report.shards.push_back(std::move(s));
            continue;
        }
        try {
            std::ostringstream sink;
            const std::size_t errors = Xapian::Database::check(path.string(), 0, &sink);
            if (errors > 0) s.problems.push_back("Xapian's checker found " + std::to_string(errors) + " errors");
            Xapian::Database db(path.string());
            all.add_database(db);
            const std::string version = db.get_metadata(std::string(schema::kSchemaVersionKey));
            if (version != std::to_string(schema::kSchemaVersion))
                s.problems.push_back("schema version '" + version + "', expected " + std::to_string(schema::kSchemaVersion));
            s.dictionaries = db.get_termfreq(std::string(schema::kTermDictionary));
            s.articles = db.get_doccount();
            std::uint64_t ids = 0;
            const std::string q(schema::kPrefixId);
            for (auto t = db.allterms_begin(q); t != db.allterms_end(q); ++t) {
                ids += t.get_termfreq();
                if (t.get_termfreq() > 1) s.problems.push_back("id " + (*t).substr(1) + " held by " + std::to_string(t.get_termfreq()) + " documents");
            }
            if (ids != s.articles)
                s.problems.push_back(std::to_string(s.articles) + " articles but " + std::to_string(ids) + " id terms");
            // Each dictionary a stored article names must be in this shard.
            DictionaryCache dicts;
            Xapian::doccount sampled = 0;
            for (auto pl = db.postlist_begin(""); pl != db.postlist_end("") && sampled < 64; ++pl) {
                const std::string data = db.get_document(*pl).get_data();
                ++sampled;
                try {
                    (void)decode_stored_article(data, db, dicts);
                } catch (const Error& e) {
                    s.problems.push_back("document " + std::to_string(*pl) + ": " + e.what());
                    break;
                }
            }
        } catch (const Xapian::Error& e) {
            s.problems.push_back(e.get_description());
        }
        report.articles += s.articles;
        report.shards.push_back(std::move(s));
    }
    try {
        const std::string q(schema::kPrefixId);
        if (names.size() > 1) {
            for (auto t = all.allterms_begin(q); t != all.allterms_end(q); ++t)
                if (t.get_termfreq() > 1) report.problems.push_back("id " + (*t).substr(1) + " is in more than one shard");
        }
    } catch (const Xapian::Error& e) {
        report.problems.push_back(e.get_description());
    }
    for (const auto& name : layout.list_shards())
        if (std::find(names.begin(), names.end(), name) == names.end())
            report.problems.push_back(name + ": shard directory not listed in the stub (left by a killed compact? "
                                             "`morgue-index compact` removes it)");
    const auto words_path = layout.words_db();
    if (std::filesystem::exists(words_path / "iamglass")) {
        try {
            std::ostringstream sink;
            const std::size_t errors = Xapian::Database::check(words_path.string(), 0, &sink);
            if (errors > 0) report.problems.push_back("word list: Xapian's checker found " + std::to_string(errors) + " errors");
            const Xapian::Database list(words_path.string());
            const std::string version = list.get_metadata(std::string(words::kVersionKey));
            if (version != words::kVersion)
                report.problems.push_back("word list: format version '" + version + "', expected " + std::string(words::kVersion));
            words::for_each_word(list, "", [&](std::string_view) {
                ++report.words;
                return true;
            });
        } catch (const Xapian::Error& e) {
            report.problems.push_back("word list: " + e.get_description());
        }
    }
    if (report.problems.size() > 20) report.problems.resize(20);
    return report;
}

std::string verify_text(const VerifyReport& r) {
    std::ostringstream out;
    for (const auto& s : r.shards) {
        out << s.name << ": " << s.articles << " articles, " << s.dictionaries << " dictionaries, "
            << (s.problems.empty() ? "ok" : std::to_string(s.problems.size()) + " problems") << '\n';
        for (const auto& p : s.problems) out << "  " << s.name << ": " << p << '\n';
    }
    for (const auto& p : r.problems) out << "archive: " << p << '\n';
    out << (r.ok() ? "ok: " : "FAILED: ") << r.shards.size() << " shards, " << r.articles << " articles, " << r.words
        << " words\n";
    return out.str();
}

std::string verify_json(const VerifyReport& r) {
    nlohmann::json shards = nlohmann::json::array();
    for (const auto& s : r.shards)
        shards.push_back({{"name", s.name}, {"articles", s.articles}, {"dictionaries", s.dictionaries}, {"problems", s.problems}});
    return nlohmann::json{{"ok", r.ok()}, {"articles", r.articles}, {"words", r.words}, {"shards", shards}, {"problems", r.problems}}.dump();
}

}  // namespace morgue::indexer
