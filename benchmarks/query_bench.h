/** @file query_bench.h
 *  @brief Query latency: every query of a file against an archive, timed, on one or more threads.
 */
#pragma once

#include "searcher/search.h"

#include "benchmarks/latency.h"

#include <cstdint>
#include <string>
#include <vector>

namespace morgue::bench {

struct QueryBenchOptions {
    std::string archive;
    std::vector<std::string> queries;
    std::size_t limit = 10;
    bool snippets = false;
    bool facets = false;
    /// Rank up articles where entities the words name are central, as morgue-search does by
    /// default; false: `--no-entity-boost`, to measure what that ranking costs.
    bool entity_boost = true;
    int warmup = 1;   ///< untimed passes over the queries before timing
    int passes = 1;   ///< timed passes over the queries
    int threads = 1;  ///< each thread opens its own Database and Enquire
    /// Xapian's block reads from memory maps, as a long-lived searching process would
    /// (searcher/mapped_reads.h; morgue-search, one search per process, does not);
    /// false: a pread system call each, as Xapian alone does (`--pread`).
    bool mapped_reads = true;
    /// Morgue's own posting lists for plain-word tiers where the archive has them
    /// (searcher/fast_tiers.h), as morgue-search does; false: `--xapian-match`, Xapian's matcher
    /// for every tier, to compare the two.
    bool own_postings = true;
};

/// One query's figures over the timed passes.
struct QueryTiming {
    std::string query;
    std::vector<double> ms;   ///< one per timed pass
    std::uint64_t hits = 0;   ///< matches (Xapian's estimate) in the last pass
    std::string error;        ///< non-empty when the query was rejected (not timed)
    searcher::SearchPhases phases;  ///< summed over the timed passes
};

struct QueryBenchReport {
    QueryBenchOptions options;
    std::uint64_t mapped_files = 0;  ///< index files read from memory maps
    /// The tiers of plain words ran over the archive's own posting lists (every shard has them).
    bool own_postings = false;
    std::uint64_t reads_from_maps = 0;  ///< block reads served from them (all passes)
    std::uint64_t pread_calls = 0;   ///< block reads left to pread
    std::vector<QueryTiming> per_query;  ///< in file order
    LatencySummary overall;              ///< over every timed search
    double wall_seconds = 0;             ///< timed passes, all threads
    double qps = 0;
    double mean_hits = 0;
    std::size_t failed = 0;
    searcher::SearchPhases phases;       ///< mean per timed search ("phase_mean_ms")
    [[nodiscard]] std::vector<double> all_ms() const;
};

/// Reads one query per line, skipping blank lines; throws InputError naming the file.
[[nodiscard]] std::vector<std::string> read_query_file(const std::string& path);

/// Runs the benchmark. Throws ArchiveError if the archive cannot be opened, UsageError for
/// impossible options.
[[nodiscard]] QueryBenchReport run_query_bench(const QueryBenchOptions& options);

/// The report as one JSON object: the overall figures at the top level (p50_ms, p90_ms,
/// p99_ms, max_ms, mean_ms, qps, mean_hits), per-query figures under "per_query", and where
/// the time went, the mean milliseconds per search of each phase, under "phase_mean_ms".
[[nodiscard]] std::string query_report_json(const QueryBenchReport& report);
/// A short text report: the overall line, then the slowest queries.
[[nodiscard]] std::string query_report_text(const QueryBenchReport& report, std::size_t slowest = 10);

}  // namespace morgue::bench
