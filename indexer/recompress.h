/** @file recompress.h
 *  @brief The store of a merged shard compressed again: a dictionary trained on the shard's own
 *         articles and a higher zstd level than the nightly writer can afford.
 *
 *  The nightly writer compresses each article at zstd level 3 with a 256 KB dictionary trained once
 *  on the archive's first 4,000 articles: fast, and good enough while a month is open. A closed
 *  year or span is written once and read for decades, so `morgue-index compact` spends more on
 *  it: it trains a new dictionary on a sample of the merged shard's articles (up to 2 MB, about a
 *  fortieth of the shard's article JSON, so that the dictionary pays for itself) and compresses
 *  every article again at `level` (12 by default, chosen by measurement: docs/BENCHMARKS.md,
 *  "The store at compaction"). Every article takes the new dictionary, if articles outside its
 *  training sample show that it saves more than it costs; without one (a shard under ~640 KB of
 *  articles, or a dictionary that would not pay), an article is rewritten only if that makes it
 *  smaller.
 *  Dictionaries no article names any more are removed (carrier term, value slot, metadata); the
 *  new one is carried like the writer's (dictionary_cache.h).
 *
 *  Only document data changes: each article is re-read and replaced with its data alone modified,
 *  which Xapian's glass backend writes without touching the postings.
 */
#pragma once

#include <xapian.h>

#include <cstdint>
#include <filesystem>
#include <string>

namespace morgue::indexer {

struct RecompressOptions {
    int level = 12;            ///< zstd level of the new frames
    unsigned threads = 2;      ///< compression threads
    std::size_t max_dictionary = std::size_t{2} << 20;
    std::size_t max_samples = 16000;  ///< articles the dictionary is trained on
};

struct RecompressReport {
    std::uint64_t articles = 0;
    std::uint64_t rewritten = 0;        ///< articles given a new frame
    std::uint64_t bytes_before = 0;     ///< document data, all articles
    std::uint64_t bytes_after = 0;
    std::uint64_t dictionary_bytes = 0; ///< the new dictionary (0: none trained)
    std::uint64_t dictionary_bytes_before = 0; ///< the dictionaries the shard held before
    unsigned dictionary_id = 0;
    unsigned dictionaries_removed = 0;
    double seconds = 0;
};

/// Recompresses every article of the (closed, not live) glass database at db_path and commits.
/// Throws morgue::ArchiveError naming the shard and document on a frame it cannot decode.
RecompressReport recompress_shard(const std::filesystem::path& db_path, const RecompressOptions& options);

/// Removes the zstd dictionary that carrier term `term` (XDICT:<id>) names from the articles
/// carrying it: from all of them, or all but the first (merged shards bring one copy each).
void prune_carriers(Xapian::WritableDatabase& db, const std::string& term, bool keep_first);

}  // namespace morgue::indexer
