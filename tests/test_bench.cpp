/** @file test_bench.cpp
 *  @brief Benchmark arithmetic: percentiles and summaries, checked against values worked out by hand.
 */
#include "benchmarks/latency.h"

#include <doctest/doctest.h>

using morgue::bench::percentile_of_sorted;
using morgue::bench::summarise;

TEST_CASE("percentiles interpolate linearly between ranks") {
    std::vector<double> v;
    for (int i = 1; i <= 101; ++i) v.push_back(i);  // rank r holds r+1: p-th percentile is exactly p+1
    CHECK(percentile_of_sorted(v, 50) == doctest::Approx(51));
    CHECK(percentile_of_sorted(v, 90) == doctest::Approx(91));
    CHECK(percentile_of_sorted(v, 99) == doctest::Approx(100));
    CHECK(percentile_of_sorted({10, 20}, 50) == doctest::Approx(15));
    CHECK(percentile_of_sorted({10, 20, 40}, 75) == doctest::Approx(30));
    CHECK(percentile_of_sorted({7}, 99) == doctest::Approx(7));
    CHECK(percentile_of_sorted({}, 50) == 0);
}

TEST_CASE("summarise sorts its input and reports max and mean") {
    const auto s = summarise({5, 1, 3, 2, 4});
    CHECK(s.count == 5);
    CHECK(s.p50_ms == doctest::Approx(3));
    CHECK(s.p90_ms == doctest::Approx(4.6));
    CHECK(s.max_ms == 5);
    CHECK(s.mean_ms == doctest::Approx(3));
    CHECK(summarise({}).count == 0);
}
