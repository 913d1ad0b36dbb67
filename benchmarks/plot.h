/** @file plot.h
 *  @brief Latency distribution plots through gnuplot (Debian's gnuplot-nox).
 */
#pragma once

#include "benchmarks/latency.h"

#include <string>
#include <vector>

namespace morgue::bench {

/// Draws the distribution of ms (a histogram on a log scale, and the cumulative share
/// of queries answered within a time, with p50/p90/p99 marked) into a PNG at png_path.
/// Throws Error if gnuplot is missing or fails.
void plot_latency(const std::vector<double>& ms, const std::string& title, const std::string& png_path);

}  // namespace morgue::bench
