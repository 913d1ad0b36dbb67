/** @file latency.cpp
 *  @brief Percentiles by linear interpolation between ranks (the same rule numpy uses by default).
 */
#include "benchmarks/latency.h"

#include <algorithm>
#include <numeric>

namespace morgue::bench {

double percentile_of_sorted(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0;
    const double idx = std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(sorted.size() - 1);
    const auto lo = static_cast<std::size_t>(idx);
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (idx - static_cast<double>(lo));
}

LatencySummary summarise(std::vector<double> ms) {
    LatencySummary s;
    s.count = ms.size();
    if (ms.empty()) return s;
    std::sort(ms.begin(), ms.end());
    s.p50_ms = percentile_of_sorted(ms, 50);
    s.p90_ms = percentile_of_sorted(ms, 90);
    s.p99_ms = percentile_of_sorted(ms, 99);
    s.max_ms = ms.back();
    s.mean_ms = std::accumulate(ms.begin(), ms.end(), 0.0) / static_cast<double>(ms.size());
    return s;
}

}  // namespace morgue::bench
