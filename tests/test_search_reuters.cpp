/** @file test_search_reuters.cpp
 *  @brief The query language on the Reuters-21578 shared corpus, against counts from a scan of its SGML.
 *
 *  reut2-000.sgm (1,000 stories) is indexed through morgue-index's add pipeline; the test then
 *  reads the same SGML itself, with its own small parser (DATE, PLACES, PEOPLE, TOPICS, TITLE
 *  and the text), and checks each operator, field and date form against what it counted.
 *  Skips with a message when ../shared is absent.
 */
#include "common/schema.h"
#include "common/text.h"
#include "indexer/add_command.h"
#include "searcher/archive_reader.h"
#include "searcher/search.h"
#include "test_helpers.h"

#include <doctest/doctest.h>

#include <cctype>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

using namespace morgue;

namespace {

struct Story {
    std::string day;  ///< YYYY-MM-DD
    std::set<std::string> places, people, topics, stems, title_stems;
    std::vector<std::string> words;  ///< every word of title and text, in order (title first)
    bool dotted_us = false;          ///< "U.S." somewhere in title or text
};

std::filesystem::path sgml_file() { return test::shared_dir() / "corpus" / "reuters21578" / "reut2-000.sgm"; }

std::string between(const std::string& s, const std::string& open, const std::string& close) {
    const auto a = s.find(open);
    if (a == std::string::npos) return {};
    const auto b = s.find(close, a + open.size());
    return b == std::string::npos ? std::string() : s.substr(a + open.size(), b - a - open.size());
}

std::set<std::string> d_values(const std::string& block) {
    std::set<std::string> out;
    for (std::size_t at = block.find("<D>"); at != std::string::npos; at = block.find("<D>", at + 3)) {
        std::string v = block.substr(at + 3, block.find("</D>", at) - at - 3);
        for (char& c : v)
            if (c == '-') c = ' ';  // the reader names el-salvador "el salvador"
        out.insert(v);
    }
    return out;
}

/// Entities and markup out; words split at anything but letters and digits.
std::vector<std::string> words_of(std::string text) {
    std::string clean;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text.compare(i, 4, "&lt;") == 0) {
            clean += ' ';
            i += 3;
        } else if (text.compare(i, 5, "&amp;") == 0) {
            clean += ' ';
            i += 4;
        } else if (text.compare(i, 2, "&#") == 0 && text.find(';', i) != std::string::npos) {
            clean += ' ';
            i = text.find(';', i);
        } else {
            clean += text[i];
        }
    }
    return test::ascii_words(clean);
}

const std::vector<Story>& stories() {
    static const std::vector<Story> all = [] {
        static const std::map<std::string, std::string> months{{"JAN", "01"}, {"FEB", "02"}, {"MAR", "03"},
                                                               {"APR", "04"}, {"MAY", "05"}, {"JUN", "06"}};
        std::ifstream in(sgml_file(), std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        const std::string sgml = ss.str();
        std::vector<Story> out;
        Xapian::Stem stem("english");
        for (std::size_t at = sgml.find("<REUTERS"); at != std::string::npos; at = sgml.find("<REUTERS", at + 1)) {
            const std::string doc = sgml.substr(at, sgml.find("</REUTERS>", at) - at);
            Story s;
            std::string date = between(doc, "<DATE>", "</DATE>");
            date.erase(0, date.find_first_not_of(' '));
            // D-MON-YYYY
            const auto d1 = date.find('-'), d2 = date.find('-', d1 + 1);
            const std::string day = date.substr(0, d1);
            s.day = date.substr(d2 + 1, 4) + "-" + months.at(date.substr(d1 + 1, 3)) + "-" + (day.size() == 1 ? "0" : "") + day;
            s.places = d_values(between(doc, "<PLACES>", "</PLACES>"));
            s.people = d_values(between(doc, "<PEOPLE>", "</PEOPLE>"));
            s.topics = d_values(between(doc, "<TOPICS>", "</TOPICS>"));
            const std::string title = between(doc, "<TITLE>", "</TITLE>");
            for (const auto& w : words_of(title)) {
                s.title_stems.insert(stem(w));
                s.words.push_back(w);
            }
            std::string body = between(doc, "<BODY>", "</BODY>");
            if (doc.find("<BODY>") == std::string::npos && doc.find("TYPE=\"UNPROC\"") != std::string::npos)
                body = between(doc, "<TEXT TYPE=\"UNPROC\">", "</TEXT>");
            s.words.push_back("");  // the gap between title and body: no phrase spans it
            for (auto& w : words_of(body)) s.words.push_back(std::move(w));
            for (const auto& w : s.words)
                if (!w.empty()) s.stems.insert(stem(w));
            s.dotted_us = (title + body).find("U.S.") != std::string::npos;
            out.push_back(std::move(s));
        }
        return out;
    }();
    return all;
}

std::size_t scan(const std::function<bool(const Story&)>& pred) {
    std::size_t n = 0;
    for (const auto& s : stories()) n += pred(s) ? 1 : 0;
    return n;
}

bool has(const Story& s, const std::string& word) { return s.stems.count(Xapian::Stem("english")(word)) > 0; }

bool phrase(const Story& s, const std::vector<std::string>& p) {
    for (std::size_t i = 0; i + p.size() <= s.words.size(); ++i) {
        bool ok = true;
        for (std::size_t k = 0; k < p.size() && ok; ++k) ok = s.words[i + k] == p[k];
        if (ok) return true;
    }
    return false;
}

const Xapian::Database& reuters_db() {
    static const Xapian::Database db = [] {
        const auto dir = test::scratch("search_reuters");
        indexer::AddOptions o;
        o.archive = dir / "archive";
        o.inputs = {sgml_file().string()};
        o.quiet = true;
        std::ostringstream log;
        const auto summary = indexer::run_add(o, log);
        REQUIRE(summary.rejected == 0);
        return searcher::open_archive(o.archive.string());
    }();
    return db;
}

std::uint64_t count(const std::string& q) { return searcher::count_matches(reuters_db(), q); }

}  // namespace

TEST_CASE("Reuters-21578: operators, fields and dates against a scan of the SGML") {
    if (!std::filesystem::exists(sgml_file())) {
        MESSAGE("skipped: " << sgml_file() << " is absent (set MORGUE_SHARED)");
        return;
    }
    REQUIRE(stories().size() == 1000);
    CHECK(count("date:1987") == 1000);
    // Words, stemmed at both ends, capitalised or not.
    for (const std::string w : {"oil", "wheat", "coffee", "gold", "dividend"}) {
        CAPTURE(w);
        const auto expected = scan([&](const Story& s) { return has(s, w); });
        CHECK(expected > 0);
        CHECK(count(w) == expected);
        std::string upper = w;
        upper[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(upper[0])));
        CHECK(count(upper) == expected);
    }
    CHECK(count("oil AND opec") == scan([](const Story& s) { return has(s, "oil") && has(s, "opec"); }));
    CHECK(count("oil opec") == scan([](const Story& s) { return has(s, "oil") && has(s, "opec"); }));
    CHECK(count("coffee OR cocoa") == scan([](const Story& s) { return has(s, "coffee") || has(s, "cocoa"); }));
    CHECK(count("oil NOT crude") == scan([](const Story& s) { return has(s, "oil") && !has(s, "crude"); }));
    CHECK(count("+oil -crude") == scan([](const Story& s) { return has(s, "oil") && !has(s, "crude"); }));
    CHECK(count("(coffee OR cocoa) AND brazil") ==
          scan([](const Story& s) { return (has(s, "coffee") || has(s, "cocoa")) && has(s, "brazil"); }));
    CHECK(count("\"crude oil\"") == scan([](const Story& s) { return phrase(s, {"crude", "oil"}); }));
    // "U.S." is one word to the indexer (TermGenerator's acronym rule: "us"), so the query
    // must read it so too, not as the phrase "u s" (which finds almost none of them).
    const auto dotted = scan([](const Story& s) { return s.dotted_us; });
    CHECK(dotted > 100);
    CHECK(count("U.S.") >= dotted);
    CHECK(count("U.S.") == count("us"));
    CHECK(count("U.S. oil") == count("us oil"));
    CHECK(count("\"U.S. officials\"") > 0);
    CHECK(count("\"U.S. officials\"") == count("\"us officials\""));
    CHECK(count("title:oil") == scan([](const Story& s) { return s.title_stems.count("oil") > 0; }));
    // Fields from the collection's own metadata.
    CHECK(count("place:usa") == scan([](const Story& s) { return s.places.count("usa") > 0; }));
    CHECK(count("place:\"west germany\"") == scan([](const Story& s) { return s.places.count("west germany") > 0; }));
    CHECK(count("topic:acq") == scan([](const Story& s) { return s.topics.count("acq") > 0; }));
    const auto reagan = scan([](const Story& s) { return s.people.count("reagan") > 0; });
    CHECK(count("person:reagan") == reagan);
    CHECK(count("entity:reagan") >= reagan);
    CHECK(count("source:reuters") == 1000);
    // Dates: a day, a range of days, month and open forms, after/before.
    const std::string first = stories().front().day;
    auto in = [](const std::string& lo, const std::string& hi) {
        return scan([&](const Story& s) { return s.day >= lo && s.day <= hi; });
    };
    CHECK(count("date:" + first) == in(first, first));
    CHECK(count("date:1987-03-01..1987-03-02") == in("1987-03-01", "1987-03-02"));
    CHECK(count("date:1987-02") == in("1987-02-01", "1987-02-28"));
    CHECK(count("date:1987-02..1987-03") == in("1987-02-01", "1987-03-31"));
    CHECK(count("after:1987-03-02") == in("1987-03-02", "9999"));
    CHECK(count("before:1987-02-28") == in("0000", "1987-02-28"));
    CHECK(count("oil date:1987-03") ==
          scan([](const Story& s) { return has(s, "oil") && s.day >= "1987-03-01" && s.day <= "1987-03-31"; }));
    CHECK(count("date:none") == 0);
}

TEST_CASE("Reuters-21578: folded copies add up to the total; facets match the scan") {
    if (!std::filesystem::exists(sgml_file())) {
        MESSAGE("skipped: " << sgml_file() << " is absent (set MORGUE_SHARED)");
        return;
    }
    searcher::SearchRequest r;
    r.query = "oil";
    r.limit = 1000;
    r.facets = true;
    const auto res = searcher::search(reuters_db(), r);
    const auto expected = scan([](const Story& s) { return has(s, "oil"); });
    CHECK(res.total == expected);
    CHECK(res.total_folded <= res.total);
    std::uint64_t shown = 0;
    for (const auto& h : res.hits) shown += 1 + h.similar;
    CHECK(shown == res.total);  // every copy is counted once, in the result it folded into
    r.collapse = false;
    CHECK(searcher::search(reuters_db(), r).hits.size() == expected);
    // The folded count of a short page (where the ranked match saw only some matches) is
    // exact: the distinct cluster keys of every match, read here from each article itself.
    for (const std::string q : {"oil", "said", "wheat OR corn", "dividend", "oil -crude"}) {
        CAPTURE(q);
        searcher::SearchRequest all;
        all.query = q;
        all.limit = 1000;
        all.collapse = false;
        std::set<std::string> keys;
        const auto every = searcher::search(reuters_db(), all);
        for (const auto& h : every.hits) {
            auto pl = reuters_db().postlist_begin(schema::make_term(schema::kPrefixId, h.id));
            REQUIRE(pl != reuters_db().postlist_end(schema::make_term(schema::kPrefixId, h.id)));
            keys.insert(reuters_db().get_document(*pl).get_value(schema::kSlotCluster));
        }
        searcher::SearchRequest page;
        page.query = q;
        page.limit = 10;
        const auto folded = searcher::search(reuters_db(), page);
        CHECK(folded.total == every.hits.size());
        CHECK(folded.total_folded == keys.size());
    }
    REQUIRE(res.facets);
    const auto& f = *res.facets;
    CHECK_FALSE(f.sampled);
    REQUIRE(f.source.size() == 1);
    CHECK(f.source[0].count == expected);
    REQUIRE_FALSE(f.place.empty());
    for (const auto& p : f.place) {
        CAPTURE(p.name);
        const std::string key = schema::boolean_key(p.name);
        CHECK(p.count == scan([&](const Story& s) { return has(s, "oil") && s.places.count(key) > 0; }));
    }
    // Ten days of 1987: one bucket per day, each with its count and its share of that day's stories.
    CHECK(f.unit == "day");
    std::uint64_t sum = 0;
    for (const auto& b : f.buckets) {
        const auto hits = scan([&](const Story& s) { return s.day == b.start && has(s, "oil"); });
        const auto all = scan([&](const Story& s) { return s.day == b.start; });
        CHECK(b.count == hits);
        if (all) CHECK(b.share == doctest::Approx(static_cast<double>(hits) / static_cast<double>(all)));
        sum += b.count;
    }
    CHECK(sum == expected);
}

TEST_CASE("Reuters-21578: snippets are whole words of the text, highlighted, never cut mid-word") {
    if (!std::filesystem::exists(sgml_file())) {
        MESSAGE("skipped: " << sgml_file() << " is absent (set MORGUE_SHARED)");
        return;
    }
    searcher::SearchRequest r;
    r.query = "crude oil prices";
    r.limit = 40;
    const auto res = searcher::search(reuters_db(), r);
    REQUIRE(res.hits.size() == 40);
    std::size_t highlighted = 0;
    for (const auto& h : res.hits) {
        CAPTURE(h.id);
        std::string s = h.snippet;
        highlighted += s.find("<b>") != std::string::npos ? 1 : 0;
        for (const std::string mark : {"<b>", "</b>"})
            for (auto at = s.find(mark); at != std::string::npos; at = s.find(mark)) s.erase(at, mark.size());
        const std::string ellipsis = "\xE2\x80\xA6";
        if (s.rfind(ellipsis + " ", 0) == 0) s.erase(0, ellipsis.size() + 1);
        if (s.size() > ellipsis.size() + 1 && s.compare(s.size() - ellipsis.size() - 1, std::string::npos, " " + ellipsis) == 0)
            s.erase(s.size() - ellipsis.size() - 1);
        if (s.empty()) continue;
        const std::string body = text::collapse_spaces(h.article.body);
        const auto at = body.find(s);
        REQUIRE(at != std::string::npos);
        const auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
        CHECK((at == 0 || !alnum(body[at - 1]) || !alnum(s.front())));
        const auto end = at + s.size();
        CHECK((end == body.size() || !alnum(body[end]) || !alnum(s.back())));
        CHECK(s.size() < 700);
    }
    CHECK(highlighted >= 35);
}
