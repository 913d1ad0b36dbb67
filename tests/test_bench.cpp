/** @file test_bench.cpp
 *  @brief Benchmark arithmetic: percentiles and summaries, checked against values worked out by hand;
 *         `morgue-bench headroom` against the searcher's own counts on the bundled sample.
 */
#include "benchmarks/headroom.h"
#include "benchmarks/latency.h"
#include "indexer/add_command.h"
#include "indexer/compact.h"
#include "searcher/archive_reader.h"
#include "searcher/search.h"
#include "test_helpers.h"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

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

TEST_CASE("headroom: the decoded tiers find what the searcher counts, and skip what is not plain words") {
    const auto dir = morgue::test::scratch("headroom");
    morgue::indexer::AddOptions o;
    o.archive = dir / "archive";
    o.inputs = {MORGUE_SAMPLE_JSONL};
    std::ostringstream log;
    REQUIRE(morgue::indexer::run_add(o, log).rejected == 0);
    const auto queries = dir / "queries.txt";
    // Few articles have all three words, so the all-but-one tier runs; a phrase is not plain words.
    std::ofstream(queries) << "Halifax turnout recount\nrecount\n\"dock strike\"\ndock strike\n";
    morgue::bench::HeadroomOptions h;
    h.archive = o.archive.string();
    h.queries = queries.string();
    h.runs = 3;
    const auto r = morgue::bench::run_headroom(h);  // throws if the two engines disagree
    REQUIRE(r.queries.size() == 4);
    const auto db = morgue::searcher::open_archive(o.archive.string());
    const auto& three = r.queries[0];
    CHECK(three.plain);
    CHECK(three.all_words.matches == morgue::searcher::count_matches(db, "+halifax +turnout +recount"));
    CHECK(three.all_words.matches > 0);
    CHECK(three.all_words.matches < 10);
    REQUIRE(three.all_but_one.ran);
    CHECK(three.all_but_one.matches ==
          morgue::searcher::count_matches(db, "(halifax turnout) OR (halifax recount) OR (turnout recount)"));
    CHECK(three.all_but_one.matches > three.all_words.matches);
    CHECK(r.queries[1].all_words.matches == morgue::searcher::count_matches(db, "recount"));
    CHECK_FALSE(r.queries[1].all_but_one.ran);  // one word: no such tier
    CHECK_FALSE(r.queries[2].plain);
    CHECK(r.queries[3].all_words.matches == morgue::searcher::count_matches(db, "+dock +strike"));
    CHECK(r.queries[3].all_words.matches >= 10);
    CHECK_FALSE(r.queries[3].all_but_one.ran);  // a page of articles has both words
    CHECK(morgue::bench::headroom_json(r).find("\"decoded_ms\"") != std::string::npos);
    CHECK(three.all_words.own_ms < 0);  // the archive has no postings files yet

    // With them (every list of two postings or more, so that the files, not Xapian, hold them),
    // the tiers run over the archive's own lists too, and must find Xapian's matches (it throws if not).
    CHECK(morgue::indexer::run_write_postings(o.archive, true, log, 2) > 1);
    const auto own = morgue::bench::run_headroom(h);
    REQUIRE(own.queries.size() == 4);
    CHECK(own.queries[0].all_words.own_ms >= 0);
    CHECK(own.queries[0].all_but_one.own_ms >= 0);
    CHECK(own.queries[0].all_but_one.matches == three.all_but_one.matches);
    CHECK(own.queries[3].all_words.own_ms >= 0);
    CHECK(own.own_ms > 0);
}
