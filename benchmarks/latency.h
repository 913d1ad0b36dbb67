/** @file latency.h
 *  @brief Latency summaries: percentiles, mean and max of a set of timings in milliseconds.
 */
#pragma once

#include <cstddef>
#include <vector>

namespace morgue::bench {

struct LatencySummary {
    std::size_t count = 0;
    double p50_ms = 0;
    double p90_ms = 0;
    double p99_ms = 0;
    double max_ms = 0;
    double mean_ms = 0;
};

/// The p-th percentile (0..100) of sorted timings, linearly interpolated between
/// neighbouring ranks; 0 for none.
[[nodiscard]] double percentile_of_sorted(const std::vector<double>& sorted, double p);

/// Summarises timings in any order.
[[nodiscard]] LatencySummary summarise(std::vector<double> ms);

}  // namespace morgue::bench
