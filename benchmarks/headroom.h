/** @file headroom.h
 *  @brief `morgue-bench headroom`: how much of a query's match time is Xapian's posting format.
 *
 *  For each plain-word query: the ranked matches search() runs for its first two tiers (all the
 *  words; all but one, when fewer than a page have them all), timed in Xapian as search() ranks
 *  them (BM25 at the archive's schema, the entity boost, the top 21 of at least 110 looked at),
 *  and the same tiers over the same posting lists decoded beforehand into plain arrays in memory
 *  (docids and wdfs), scored with the same formula and boost, with no pruning at all. The two
 *  must find the same number of matches and the same best hits, or the command fails.
 *  The gap is what a posting format of Morgue's own could win at most on the match, before
 *  that format's own decoding; `postings` says how many postings each query's lists hold.
 */
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace morgue::bench {

struct HeadroomOptions {
    std::string archive;
    std::string queries;  ///< file, one query per line
    unsigned runs = 15;   ///< timed runs of each tier and engine (median taken)
};

struct HeadroomTier {
    bool ran = false;
    std::uint64_t matches = 0;
    double xapian_ms = 0;   ///< median
    double decoded_ms = 0;  ///< median
    /// Over the archive's own posting lists (morgue.postings, searcher/fast_tiers.h), when it has
    /// them: match_tier on every shard and the best 21 of its matches (median); -1 when not run.
    double own_ms = -1;
};

struct HeadroomQuery {
    std::string query;
    bool plain = true;            ///< only plain words (else skipped)
    std::uint64_t postings = 0;   ///< postings in the lists both tiers read (words and boost terms)
    HeadroomTier all_words, all_but_one;
};

struct HeadroomReport {
    double own_ms = 0;  ///< summed over the tiers run over the archive's own lists
    std::vector<HeadroomQuery> queries;
    double xapian_ms = 0, decoded_ms = 0;  ///< sums over the tiers that ran
};

/// Throws Error when the two engines disagree on a query's matches or best hits.
[[nodiscard]] HeadroomReport run_headroom(const HeadroomOptions& options);
[[nodiscard]] std::string headroom_text(const HeadroomReport& r);
[[nodiscard]] std::string headroom_json(const HeadroomReport& r);

}  // namespace morgue::bench
