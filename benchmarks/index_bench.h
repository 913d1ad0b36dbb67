/** @file index_bench.h
 *  @brief Indexing throughput: morgue-index run as a child process, timed, with its peak memory from wait4.
 */
#pragma once

#include "benchmarks/store_walk.h"

#include <cstdint>
#include <string>
#include <vector>

namespace morgue::bench {

/// One finished child process.
struct ChildRun {
    int exit_status = 0;
    double wall_seconds = 0;
    double user_seconds = 0;
    double system_seconds = 0;
    double peak_rss_mb = 0;   ///< the child's maximum resident set size
    std::string out;          ///< its standard output (standard error is passed through)
};

/// Runs argv[0] (a path, or a name looked up on PATH) and waits for it; its standard error
/// goes to ours unless discard_stderr. Throws Error if it cannot be started or is killed by a signal.
[[nodiscard]] ChildRun run_child(const std::vector<std::string>& argv, bool discard_stderr = false);

struct IndexBenchOptions {
    std::string archive;                ///< must not hold shards yet: a fresh build is measured
    std::string indexer;                ///< the morgue-index executable
    std::vector<std::string> add_args;  ///< passed to `morgue-index add` as given (options and inputs)
    bool compact = true;                ///< run `morgue-index compact` afterwards, if it exists
};

struct IndexBenchReport {
    IndexBenchOptions options;
    ChildRun add;
    std::uint64_t read = 0;           ///< articles the indexer read (its summary), else those stored
    StoreTotals store;
    std::uint64_t archive_bytes = 0;  ///< shards on disk after the add
    bool compacted = false;
    ChildRun compact;
    std::uint64_t compacted_bytes = 0;
    StoreTotals compacted_store;      ///< the store after compaction compressed it again
};

/// The morgue-index next to this executable if there is one, else "morgue-index" (PATH).
[[nodiscard]] std::string default_indexer();

[[nodiscard]] IndexBenchReport run_index_bench(const IndexBenchOptions& options);
[[nodiscard]] std::string index_report_json(const IndexBenchReport& report);
[[nodiscard]] std::string index_report_text(const IndexBenchReport& report);

}  // namespace morgue::bench
