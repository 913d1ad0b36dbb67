/** @file census.h
 *  @brief Where an archive's bytes go: Xapian table sizes, term kinds and value slots (`morgue-bench census`).
 */
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace morgue::bench {

struct TermKindCount {
    std::string kind;               ///< term prefix ("" = unprefixed words, "Z" = stems, "ZS", "XSH0:", ...)
    std::uint64_t distinct = 0;     ///< terms of this kind in the dictionary
    std::uint64_t postings = 0;     ///< sum of term frequencies (document-term pairs)
    std::uint64_t occurrences = 0;  ///< sum of collection frequencies (wdf; positions for positional terms)
    std::uint64_t term_bytes = 0;   ///< sum of the distinct terms' lengths
};

struct Census {
    std::uint64_t documents = 0;
    std::uint64_t shards = 0;
    std::map<std::string, std::uint64_t> table_bytes;  ///< "postlist" -> bytes, summed over the shards
    std::vector<TermKindCount> terms;                  ///< by postings, largest first
    std::map<unsigned, std::uint64_t> value_bytes;     ///< slot -> bytes of its values, summed
    std::uint64_t frame_bytes = 0;   ///< document data: format bytes and zstd frames (the store)
    std::uint64_t sketch_bytes = 0;  ///< document data: the word sketches in front of the frames
};

/// Walks every live shard of the archive (its stub) and its combined term dictionary.
[[nodiscard]] Census take_census(const std::string& archive);
[[nodiscard]] std::string census_text(const Census& c);
[[nodiscard]] std::string census_json(const Census& c);

}  // namespace morgue::bench
