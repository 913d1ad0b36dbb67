/** @file plain_xapian.h
 *  @brief The plain Xapian writer the benchmarks issue measures Morgue's indexing against.
 *
 *  "A plain Xapian indexer (one document at a time, commit every 10,000)": the title and body of
 *  each JSON Lines article through Xapian's TermGenerator (English stems, STEM_SOME, positions),
 *  the line itself as the document data, add_document, a commit every 10,000 documents. One
 *  thread, no cleaning, entities, duplicates or compression: the floor Morgue's pipeline is
 *  compared with on the same machine, in the same run (compare_fts5.py --plain-xapian).
 */
#pragma once

#include <cstdint>
#include <string>

namespace morgue::bench {

struct PlainXapianReport {
    std::uint64_t articles = 0;
    std::uint64_t raw_text_bytes = 0;  ///< title + body
    double seconds = 0;
    double cpu_seconds = 0;
    std::uint64_t database_bytes = 0;
};

/// Indexes up to `limit` articles (0: all) of a JSON Lines file into a new database at `path`.
/// Throws morgue::Error naming the file and line on a line it cannot read.
PlainXapianReport run_plain_xapian(const std::string& input, const std::string& path, std::uint64_t limit,
                                   std::uint64_t commit_every = 10000);

[[nodiscard]] std::string plain_xapian_json(const PlainXapianReport& r);

}  // namespace morgue::bench
