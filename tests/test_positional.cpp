/** @file test_positional.cpp
 *  @brief Phrases and NEAR checked against the stored text give what Xapian's own positions give.
 *
 *  The same articles are indexed twice: as the indexer does now (no term positions, schema 3),
 *  and with Xapian's position table (`--xapian-positions`). For each query, Xapian's native
 *  phrase matching on the second archive is the reference: the articles morgue-search finds on
 *  the first, by checking candidates' stored text, must be exactly those.
 */
#include "common/free_text.h"
#include "common/schema.h"
#include "corpus/reader.h"
#include "indexer/add_command.h"
#include "searcher/archive_reader.h"
#include "searcher/positional.h"
#include "searcher/query_builder.h"
#include "searcher/search.h"
#include "test_helpers.h"

#include <doctest/doctest.h>

#include <map>
#include <set>
#include <sstream>

using namespace morgue;

namespace {

Xapian::Database index_into(const std::string& name, const std::string& input, bool xapian_positions) {
    indexer::AddOptions o;
    o.archive = test::scratch(name) / "archive";
    o.inputs = {input};
    o.build.positions = xapian_positions;
    std::ostringstream log;
    REQUIRE(indexer::run_add(o, log).rejected == 0);
    return searcher::open_archive(o.archive.string());
}

std::set<std::string> ids_of(const Xapian::Database& db, const Xapian::MSet& m) {
    std::set<std::string> out;
    for (auto it = m.begin(); it != m.end(); ++it)
        out.insert(searcher::read_article(db, it.get_document(), searcher::thread_dictionaries()).id);
    return out;
}

/// What Xapian's own phrase and NEAR matching finds, on an archive with positions.
std::set<std::string> native(const Xapian::Database& db, const std::string& text) {
    searcher::QueryBuilder qb(db);
    Xapian::Enquire e(db);
    e.set_query(qb.parse(text).query);
    e.set_weighting_scheme(Xapian::BoolWeight());
    return ids_of(db, e.get_mset(0, db.get_doccount()));
}

/// What morgue-search finds (every match, copies not folded), and its counts.
struct Found {
    std::set<std::string> ids;
    std::uint64_t total = 0;
    bool total_exact = false;
    std::uint64_t counted = 0;
};

Found morgue_finds(const Xapian::Database& db, const std::string& text) {
    searcher::SearchRequest r;
    r.query = text;
    r.limit = db.get_doccount();
    r.collapse = false;
    r.snippets = false;
    const auto res = searcher::search(db, r);
    Found f;
    for (const auto& h : res.hits)
        if (!h.partial) f.ids.insert(h.id);
    f.total = res.total;
    f.total_exact = res.total_exact;
    f.counted = searcher::count_matches(db, text);
    return f;
}

void same_as_native(const Xapian::Database& plain, const Xapian::Database& with_positions,
                    const std::vector<std::string>& queries, bool some_match = true) {
    for (const auto& q : queries) {
        CAPTURE(q);
        const auto expected = native(with_positions, q);
        if (some_match) CHECK_FALSE(expected.empty());  // (a query no article matches falls back to any word)
        const Found got = morgue_finds(plain, q);
        CHECK(got.ids == expected);
        CHECK(got.counted == expected.size());
        if (got.total_exact) CHECK(got.total == expected.size());
    }
}

}  // namespace

TEST_CASE("positional: the superset Xapian runs, and the windows") {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    searcher::QueryBuilder qb(db);
    const auto phrase = qb.parse("\"oil prices\"").query;
    CHECK(searcher::positional_window(phrase) == 2);
    CHECK(searcher::positional_window(qb.parse("oil NEAR prices").query) == 11);
    CHECK(searcher::positional_window(qb.parse("oil NEAR/3 prices").query) == 4);
    CHECK(searcher::positional_window(qb.parse("oil prices").query) == 0);

    const searcher::PositionalQuery p(phrase);
    CHECK(p.positional());
    CHECK(p.superset().get_type() == Xapian::Query::OP_AND);
    // Negated, a phrase drops out of the superset: "oil" alone, checked afterwards.
    const searcher::PositionalQuery n(qb.parse("oil -\"crude prices\"").query);
    CHECK(n.positional());
    CHECK(n.superset().get_description().find("crude") == std::string::npos);
    // No phrase: the query itself.
    const auto plain = qb.parse("oil prices").query;
    const searcher::PositionalQuery q(plain);
    CHECK_FALSE(q.positional());
    CHECK(q.superset().serialise() == plain.serialise());
}

TEST_CASE("positional: one article, every operator") {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    searcher::QueryBuilder qb(db);
    Article a;
    a.id = "a1";
    a.title = "Crude oil prices fall";
    a.body = "Prices of heating oil rose. The minister said the strike at the port would end soon.";
    a.source = "Harbor Wire";
    Xapian::Document doc;  // no terms: every field outside a phrase's reach is read from it
    doc.add_term("XSOURCE:harbor wire");
    auto m = [&](const std::string& text) { return searcher::PositionalQuery(qb.parse(text).query).matches(a, doc); };
    CHECK(m("\"crude oil\""));
    CHECK(m("\"oil prices\""));               // the title's words
    CHECK(m("\"heating oil rose\""));
    CHECK_FALSE(m("\"oil heating\""));
    CHECK_FALSE(m("\"fall prices\""));         // the title's end and the body's start are fields apart
    CHECK(m("title:\"oil prices\""));
    CHECK_FALSE(m("title:\"heating oil\""));   // a body phrase, not the title's
    CHECK(m("minister NEAR strike"));
    CHECK(m("strike NEAR/3 minister"));
    CHECK_FALSE(m("strike NEAR/2 minister"));  // "minister said the strike": three words apart
    CHECK_FALSE(m("heating NEAR/5 soon"));
    CHECK(m("oil -\"oil heating\""));
    CHECK_FALSE(m("oil -\"heating oil\""));
    CHECK(m("\"oil heating\" OR minister"));
    CHECK_FALSE(m("\"oil heating\" OR zebra"));
    CHECK(m("\"oil heating\" OR source:\"harbor wire\""));
    CHECK_FALSE(m("\"oil heating\" OR source:other"));
    CHECK(m("\"crude oil\" XOR zebra"));
    CHECK_FALSE(m("\"crude oil\" XOR strike"));
}

TEST_CASE("positional: phrases and NEAR on the sample, as Xapian's own positions find them") {
    const auto plain = index_into("positional_plain", MORGUE_SAMPLE_JSONL, false);
    const auto with_positions = index_into("positional_xapian", MORGUE_SAMPLE_JSONL, true);
    REQUIRE(plain.get_doccount() == with_positions.get_doccount());
    CHECK_FALSE(plain.has_positions());
    CHECK(with_positions.has_positions());
    same_as_native(plain, with_positions,
                   {"\"heavy rain\"", "flooding NEAR families", "heavy NEAR/3 rain",
                    "rain NEAR/2 heavy", "flood -\"heavy rain\"", "\"heavy rain\" OR strike",
                    "\"heavy rain\" OR source:\"harbor wire\"", "(\"heavy rain\" OR energy) date:2021",
                    "\"heavy rain\" XOR flood", "-\"heavy rain\"", "(\"heavy rain\" date:2020) OR minister",
                    "\"in the\"", "\"of the\" -\"in the\""});
    same_as_native(plain, with_positions, {"\"rain heavy\"", "\"heavy rain\" -rain"}, false);
    // Facets of a phrase query count the articles that hold the phrase.
    searcher::SearchRequest f;
    f.query = "\"heavy rain\"";
    f.facets = true;
    const auto faceted = searcher::search(plain, f);
    REQUIRE(faceted.facets);
    searcher::QueryBuilder qb(with_positions);
    const auto expected = searcher::compute_facets(with_positions, qb.parse(f.query).query);
    REQUIRE_FALSE(expected.source.empty());
    auto pairs = [](const std::vector<searcher::FacetCount>& v) {
        std::vector<std::pair<std::string, std::uint64_t>> out;
        for (const auto& c : v) out.emplace_back(c.name, c.count);
        return out;
    };
    CHECK(pairs(faceted.facets->source) == pairs(expected.source));
    CHECK(pairs(faceted.facets->place) == pairs(expected.place));
    CHECK_FALSE(faceted.facets->sampled);

    // Pages of a phrase query follow one another, as one long page would have them.
    searcher::SearchRequest r;
    r.query = "\"heavy rain\"";
    r.snippets = false;
    r.limit = 30;
    std::vector<std::string> all;
    for (const auto& h : searcher::search(plain, r).hits) all.push_back(h.id);
    REQUIRE(all.size() > 6);
    std::vector<std::string> paged;
    r.limit = 3;
    for (r.offset = 0; r.offset < all.size(); r.offset += 3)
        for (const auto& h : searcher::search(plain, r).hits) paged.push_back(h.id);
    CHECK(paged == all);
}

TEST_CASE("positional: Reuters phrases, as Xapian's own positions find them") {
    const auto sgml = test::shared_dir() / "corpus" / "reuters21578" / "reut2-000.sgm";
    if (!std::filesystem::exists(sgml)) return;  // ../shared is beside every checkout and in CI
    const auto plain = index_into("positional_reuters_plain", sgml.string(), false);
    const auto with_positions = index_into("positional_reuters_xapian", sgml.string(), true);
    same_as_native(plain, with_positions,
                   {"\"crude oil\"", "oil -\"crude oil\"", "\"west germany\" OR place:japan", "prices NEAR/3 oil",
                    "\"U.S. officials\"", "\"bank of england\"", "\"mln dlrs\" title:\"to buy\"",
                    "said NEAR/2 acquire", "title:\"oil prices\"", "non-oil exports", "\"first quarter\" -profit"});
}

namespace {

/// Every word (Z term) of an article with its positions, from a Document a plain TermGenerator
/// (Xapian's own English stemmer, no cache) built with positions: the reference.
std::map<std::string, std::vector<Xapian::termpos>> reference_words(const Article& a) {
    Xapian::TermGenerator tg;
    tg.set_stemmer(Xapian::Stem("english"));
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL_Z);
    Xapian::Document doc;
    tg.set_document(doc);
    index_free_text(a, tg, true);
    std::map<std::string, std::vector<Xapian::termpos>> out;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        if ((*t).empty() || (*t)[0] != 'Z') continue;
        auto& p = out[*t];
        for (auto i = t.positionlist_begin(); i != t.positionlist_end(); ++i) p.push_back(*i);
    }
    return out;
}

/// word_positions() of every word the reference finds, and of some no article has, against it.
void same_words_as_termgenerator(const Article& a) {
    CAPTURE(a.id);
    const auto expected = reference_words(a);
    std::vector<std::string> words{"Zqqzzyx", "ZSqqzzyx"};
    for (const auto& [term, positions] : expected) words.push_back(term);
    std::sort(words.begin(), words.end());
    const auto got = searcher::word_positions(a, words);
    REQUIRE(got.size() == words.size());
    std::size_t differ = 0;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const auto it = expected.find(words[i]);
        const std::vector<Xapian::termpos> want = it == expected.end() ? std::vector<Xapian::termpos>{} : it->second;
        if (got[i] != want) {
            if (differ++ == 0) FAIL_CHECK("positions of " << words[i] << " differ");
        }
    }
    CHECK(differ == 0);
    // A few words asked alone: the answer does not depend on what else is asked.
    for (std::size_t i = 0; i < words.size(); i += 37) {
        const auto alone = searcher::word_positions(a, {words[i]});
        CHECK(alone.at(0) == got[i]);
    }
}

}  // namespace

TEST_CASE("positional: the check's word positions are the TermGenerator's, on hard text") {
    Article a;
    a.id = "hard";
    a.title = "Ça va? L'été \xe2\x80\x94 U.S.-led talks, 3.5% rise; C++ & AT&T's \"re-run\"";
    a.authors = {"José Ñúñez", "", "Mary O'Brien-Smith"};
    a.body = "Naïve café owners' co-operative in Zürich said 1,000.50 dlrs. 東京 株式市場 "
             "\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0 "
             + std::string(70, 'x') + " after " + std::string(80, 'y') + " words_with_underscores "
             "e-mail e.g. i.e. don't can't won't ca'n't 'quoted' -- dash--dash ... ellipsis\n\nNew paragraph, bad \xff\xc3 bytes \xe2\x80.\t"
             "Tabs and\r\nCRLF. Numbers: 1987 1987's 1980s 10-K 8-K/A #hash @handle http://example.com/a?b=c";
    same_words_as_termgenerator(a);
    Article empty;
    empty.id = "empty";
    CHECK(searcher::word_positions(empty, {"Zword"}).at(0).empty());
    same_words_as_termgenerator(empty);
}

TEST_CASE("positional: the check's word positions are the TermGenerator's, on the shared corpora") {
    if (!test::have_shared()) return;
    std::size_t articles = 0;
    corpus::Sink sink;
    sink.article = [&](Article&& a) {
        ++articles;
        same_words_as_termgenerator(a);
    };
    sink.reject = [](corpus::Reject&&) {};
    const auto corpus = test::shared_dir() / "corpus";
    corpus::read_path((corpus / "reuters21578" / "reut2-000.sgm").string(), corpus::Format::Auto, sink);
    corpus::read_path((corpus / "rcv1_ifn647" / "docs").string(), corpus::Format::Auto, sink);
    corpus::read_path((corpus / "seed").string(), corpus::Format::Text, sink);
    CHECK(articles > 2500);
}
