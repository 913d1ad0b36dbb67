/** @file compact.h
 *  @brief `morgue-index compact` (closed months merged into year shards, swapped in atomically)
 *         and `morgue-index verify` (every shard checked).
 *
 *  Compaction of year Y: the closed months `Y-MM` and any earlier year shard of
 *  Y are merged with Xapian's compactor into `.morgue/tmp/<name>`, renamed into
 *  the archive as `Y` (or `Y.2`, `Y.3`, ... when `Y` exists), and the stub is
 *  rewritten (write + rename) to list it instead of its parts. The parts are then
 *  moved to `.morgue/trash/` and deleted (what cannot be deleted, the next compact
 *  empties): a search that opened the old stub keeps reading the old shards through
 *  the files it holds open, one that opens the new stub reads the new shard; none
 *  sees both or neither. So a compaction needs free space for one merge at a time,
 *  and leaves none of the replaced shards behind. A killed compact leaves a
 *  directory the stub does not list, which the next compact removes.
 *
 *  Then, by size: every query pays a B-tree lookup per term in every shard, so
 *  decades of year shards are slow to search. Neighbouring shards of closed years
 *  (years before the year of `before`) are merged, oldest first, into spans named
 *  `FIRST..LAST` (`.N` when the name exists) while a span stays under
 *  `span_bytes`; a shard already that big is left alone.
 *
 *  Each merged shard's store is compressed again before the swap (recompress.h): a dictionary
 *  trained on the shard's own articles, zstd level `store_level`.
 */
#pragma once

#include "common/postings_file.h"
#include "indexer/recompress.h"

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

namespace morgue::indexer {

struct CompactOptions {
    std::filesystem::path archive;
    /// Months before this one ("YYYY-MM") are closed; empty = before last month (UTC).
    std::string before;
    bool wait = false;
    bool dry_run = false;
    /// Spans of closed years are merged up to this size on disk; 0 = year shards only.
    std::uint64_t span_bytes = std::uint64_t{4096} << 20;
    /// zstd level of each merged shard's store, compressed again with a dictionary trained on
    /// its own articles (recompress.h); 0 keeps the articles as the nightly writer stored them.
    int store_level = 12;
    unsigned threads = 2;  ///< compression threads for the store
};

struct CompactMerge {
    std::string shard;                ///< the new shard's name
    std::vector<std::string> parts;   ///< the shards it replaces
    std::uint64_t bytes_before = 0;
    std::uint64_t bytes_after = 0;
    double seconds = 0;
    RecompressReport store;           ///< the store compressed again (articles 0: not done)
};

struct CompactReport {
    std::vector<CompactMerge> merges;
    std::vector<std::string> removed;  ///< leftovers (trash, orphans) removed
    double seconds = 0;
};

[[nodiscard]] CompactReport run_compact(const CompactOptions& options, std::ostream& log);

/// `morgue-index postings`: writes the postings file (common/postings_file.h) of every shard of
/// the archive that has none for its current revision (compaction writes one for each shard it
/// merges; a month still written nightly has none until it is). `all`: every shard, afresh.
/// Logs a line per shard written; returns how many.
std::size_t run_write_postings(const std::filesystem::path& archive, bool all, std::ostream& log,
                               Xapian::doccount min_postings = kMinPostings);
[[nodiscard]] std::string compact_json(const CompactReport& r);

struct VerifyShard {
    std::string name;
    std::uint64_t articles = 0;
    std::uint64_t dictionaries = 0;  ///< articles carrying a zstd dictionary
    std::vector<std::string> problems;
};

struct VerifyReport {
    std::vector<VerifyShard> shards;
    std::vector<std::string> problems;  ///< archive-wide (ids in two shards, orphans, stub, word list)
    std::uint64_t articles = 0;
    std::uint64_t words = 0;  ///< in the archive's word list (common/word_list.h); 0 if it has none
    [[nodiscard]] bool ok() const;
};

/// Xapian's checker on every shard, schema version, counts (one Q term per
/// article, no id twice in the archive), dictionaries present where used; the
/// word list, when there is one: Xapian's checker and its format version.
[[nodiscard]] VerifyReport run_verify(const std::filesystem::path& archive);
[[nodiscard]] std::string verify_text(const VerifyReport& r);
[[nodiscard]] std::string verify_json(const VerifyReport& r);

/// Size of a directory tree in bytes.
[[nodiscard]] std::uint64_t directory_bytes(const std::filesystem::path& dir);

}  // namespace morgue::indexer
