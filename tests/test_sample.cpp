/** @file test_sample.cpp
 *  @brief The bundled sample has what the demo and fast tests need.
 */
#include "corpus/sample_generator.h"

#include <doctest/doctest.h>

#include <map>
#include <set>

using namespace morgue;

TEST_CASE("sample: a few hundred dated articles, several sources, months and years, wire copies") {
    const auto articles = corpus::generate_sample();
    CHECK(articles.size() >= 200);
    CHECK(articles.size() <= 600);
    std::set<std::string> ids, sources, months, years;
    std::size_t copies = 0;
    std::map<std::string, int> person_mentions;
    for (const auto& a : articles) {
        CHECK(ids.insert(a.id).second);
        REQUIRE(a.date.has_value());
        sources.insert(a.source);
        months.insert(format_year_month(*a.date));
        years.insert(format_year_month(*a.date).substr(0, 4));
        if (a.id.find("-c") != std::string::npos) ++copies;
        CHECK_FALSE(a.title.empty());
        CHECK(a.body.size() > 100);
        if (a.body.find("Mara Lindqvist") != std::string::npos) ++person_mentions["Mara Lindqvist"];
    }
    CHECK(sources.size() >= 4);
    CHECK(years.size() >= 5);
    CHECK(months.size() >= 40);
    CHECK(copies >= 10);
    CHECK(person_mentions["Mara Lindqvist"] >= 5);
}

TEST_CASE("sample is deterministic") {
    const auto a = corpus::generate_sample();
    const auto b = corpus::generate_sample();
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        CHECK(a[i].id == b[i].id);
        CHECK(a[i].body == b[i].body);
        CHECK(a[i].date == b[i].date);
    }
}
