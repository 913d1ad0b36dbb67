/** @file facets.h
 *  @brief Facets over everything a query matched: top entities and sources, attention over time.
 *
 *  Sources and days are counted exactly over every match by Xapian's built-in
 *  ValueCountMatchSpy (slots 3 and 0), which remote shards support too.
 *  Entities are many per article, so a value slot cannot carry them for a match
 *  spy: they are counted from the entity terms of the matching articles, all of
 *  them up to FacetOptions::sample, beyond that the first `sample` in document
 *  order (spread over every shard), and Facets::sampled says so.
 *  The histogram's unit (day, week, month, year) is chosen so that the span
 *  fits in about sixty buckets; each bucket's share is its count over all
 *  articles of the archive in that bucket (from the D/M/Y date terms).
 */
#pragma once

#include <xapian.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace morgue::searcher {

struct FacetOptions {
    std::size_t top = 10;        ///< entries per list
    std::size_t sample = 20000;  ///< at most this many matches are read for entity counts
};

struct FacetCount {
    std::string name;
    std::uint64_t count = 0;
};

struct TimeBucket {
    std::string start;  ///< YYYY-MM-DD, the bucket's first day (weeks start on Monday)
    std::uint64_t count = 0;
    double share = 0;   ///< count / articles of the whole archive in this bucket
};

struct Facets {
    std::vector<FacetCount> person, org, place, misc, source;
    std::string unit;   ///< "day", "week", "month" or "year"; empty when nothing dated matched
    std::vector<TimeBucket> buckets;
    std::uint64_t undated = 0;          ///< matches without a date (not in the histogram)
    std::optional<std::uint64_t> sampled;  ///< entity counts from this many matches, when not all
    double seconds = 0;                 ///< time spent on facets
};

/// Facets of every document matching query. Throws ArchiveError on Xapian failure.
[[nodiscard]] Facets compute_facets(const Xapian::Database& db, const Xapian::Query& query,
                                    const FacetOptions& options = {});

/// The histogram's unit for a span of days: day (up to 62), week (up to 62 weeks),
/// month (up to 62 months), else year.
[[nodiscard]] std::string time_unit_for_span(std::int64_t days);

}  // namespace morgue::searcher
