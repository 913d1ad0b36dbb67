/** @file test_end_to_end.cpp
 *  @brief Index the bundled sample, then search it through the library.
 */
#include "common/error.h"
#include "common/schema.h"
#include "indexer/add_command.h"
#include "indexer/stats.h"
#include "searcher/archive_reader.h"
#include "searcher/search.h"
#include "test_helpers.h"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

using namespace morgue;

namespace {

std::filesystem::path indexed_sample() {
    static const std::filesystem::path dir = [] {
        const auto d = test::scratch("e2e_sample");
        indexer::AddOptions o;
        o.archive = d / "archive";
        o.inputs = {MORGUE_SAMPLE_JSONL};
        std::ostringstream log;
        const auto s = indexer::run_add(o, log);
        REQUIRE(s.rejected == 0);
        REQUIRE(s.added > 200);
        return o.archive;
    }();
    return dir;
}

std::size_t sample_lines() {
    std::ifstream in(MORGUE_SAMPLE_JSONL);
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);) ++n;
    return n;
}

}  // namespace

TEST_CASE("index the sample: every line becomes an article, sharded by month") {
    const auto dir = indexed_sample();
    const auto stats = indexer::archive_stats(dir);
    CHECK(stats.articles == sample_lines());
    CHECK(stats.shards.size() > 40);
    CHECK(stats.first_date.rfind("2019-01", 0) == 0);
    CHECK(stats.last_date.rfind("2024-12", 0) == 0);
    for (const auto& s : stats.shards) {
        CHECK(s.articles > 0);
        CHECK(s.first_date.substr(0, 7) == s.name);
        CHECK(s.last_date.substr(0, 7) == s.name);
    }
}

TEST_CASE("adding the same input again changes nothing; a changed article is replaced") {
    const auto d = test::scratch("e2e_repeat");
    indexer::AddOptions o;
    o.archive = d / "archive";
    o.inputs = {MORGUE_SAMPLE_JSONL};
    std::ostringstream log;
    const auto first = indexer::run_add(o, log);
    const auto again = indexer::run_add(o, log);
    CHECK(again.added == 0);
    CHECK(again.replaced == 0);
    CHECK(again.unchanged == first.added);
    // Change one article's body.
    const auto changed = d / "changed.jsonl";
    std::ofstream(changed) << R"({"id":"sample-0001","title":"Rewritten headline","body":"A corrected body about lighthouses.","date":"2020-05-05"})"
                           << '\n';
    o.inputs = {changed.string()};
    const auto third = indexer::run_add(o, log);
    CHECK(third.replaced + third.added == 1);
    const auto db = searcher::open_archive(o.archive.string());
    CHECK(searcher::count_matches(db, "lighthouses") == 1);
}

TEST_CASE("search ranks, snippets and highlights from the decompressed text") {
    const auto db = searcher::open_archive(indexed_sample().string());
    searcher::SearchRequest req;
    req.query = "dock strike";
    req.limit = 5;
    const auto r = searcher::search(db, req);
    REQUIRE(r.hits.size() == 5);
    CHECK_FALSE(r.partial);
    CHECK(r.total >= 5);
    for (std::size_t i = 0; i < r.hits.size(); ++i) {
        const auto& h = r.hits[i];
        CHECK(h.rank == i + 1);
        CHECK(h.article.id == h.id);
        if (i > 0) CHECK(r.hits[i - 1].score >= h.score);
        const std::string text = h.article.title + " " + h.article.body;
        CHECK(text.find("strike") != std::string::npos);
        // The snippet shows the query words, highlighted with the same stemmer.
        CHECK(h.snippet.find("<b>") != std::string::npos);
        CHECK(h.snippet.size() < 600);
    }
    // Paging: offset 2 gives ranks 3.. and the same ids as the first page's tail.
    req.offset = 2;
    const auto page2 = searcher::search(db, req);
    REQUIRE(page2.hits.size() >= 3);
    CHECK(page2.hits[0].rank == 3);
    CHECK(page2.hits[0].id == r.hits[2].id);
}

TEST_CASE("fields: title, source, site and exact counts against a scan of the sample") {
    const auto db = searcher::open_archive(indexed_sample().string());
    std::ifstream in(MORGUE_SAMPLE_JSONL);
    std::size_t harbor = 0, title_floods = 0;
    for (std::string line; std::getline(in, line);) {
        if (line.find("\"source\":\"Harbor Wire\"") != std::string::npos) ++harbor;
        const auto t = line.find("\"title\":\"");
        const auto tend = line.find('"', t + 9);
        if (line.substr(t + 9, tend - t - 9).find("Floods") != std::string::npos) ++title_floods;
    }
    CHECK(harbor > 0);
    CHECK(searcher::count_matches(db, "source:\"harbor wire\"") == harbor);
    CHECK(searcher::count_matches(db, "site:harborwire.example") == harbor);
    CHECK(title_floods > 0);
    CHECK(searcher::count_matches(db, "title:floods") == title_floods);
    CHECK(searcher::count_matches(db, "zzzzunknownword") == 0);
}

TEST_CASE("words that never occur together give partial matches, said so") {
    const auto db = searcher::open_archive(indexed_sample().string());
    searcher::SearchRequest req;
    req.query = "turbine measles";
    const auto r = searcher::search(db, req);
    CHECK(r.partial);
    CHECK_FALSE(r.hits.empty());
}

TEST_CASE("bad queries and archives give morgue errors") {
    const auto db = searcher::open_archive(indexed_sample().string());
    searcher::SearchRequest req;
    req.query = "\"unbalanced AND (";
    // Xapian's parser is lenient with quotes; either it parses or it throws QueryError, never crashes.
    try {
        (void)searcher::search(db, req);
    } catch (const QueryError&) {
    }
    CHECK_THROWS_AS((void)searcher::open_archive("/nonexistent/archive"), ArchiveError);
    const auto empty = test::scratch("e2e_empty");
    CHECK_THROWS_AS((void)searcher::open_archive(empty.string()), ArchiveError);
}
