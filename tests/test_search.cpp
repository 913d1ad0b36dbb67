/** @file test_search.cpp
 *  @brief The query language, ranking, folding, facets and output, checked against independent scans.
 *
 *  Counts on the bundled sample are checked against a scan of its JSON Lines
 *  here (its own tokeniser, the stemmer only to decide what a word's stem is);
 *  ranking, folding and entities on small archives built in the test, with the
 *  cluster keys and entities the later indexer stages will write.
 */
#include "common/entity_key.h"
#include "common/error.h"
#include "common/schema.h"
#include "indexer/add_command.h"
#include "indexer/document_builder.h"
#include "indexer/word_list_writer.h"
#include "searcher/archive_reader.h"
#include "searcher/output.h"
#include "searcher/query_syntax.h"
#include "searcher/search.h"
#include "searcher/shard_set.h"
#include "searcher/spelling.h"
#include "common/word_list.h"
#include "test_helpers.h"

#include <doctest/doctest.h>

#include <bit>
#include <nlohmann/json.hpp>

#include <cctype>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

using namespace morgue;

namespace {

struct SampleDoc {
    std::string id, date, source, title;
    std::set<std::string> stems, title_stems, words;
    std::vector<std::string> sequence;  ///< lower-case words of the body, in order
};

std::vector<std::string> words_of(const std::string& text) { return test::ascii_words(text); }

const std::vector<SampleDoc>& sample_docs() {
    static const std::vector<SampleDoc> docs = [] {
        std::vector<SampleDoc> out;
        Xapian::Stem stem("english");
        std::ifstream in(MORGUE_SAMPLE_JSONL);
        for (std::string line; std::getline(in, line);) {
            const auto j = nlohmann::json::parse(line);
            SampleDoc d;
            d.id = j.at("id");
            d.date = j.value("date", "").substr(0, 10);
            d.source = j.value("source", "");
            d.title = j.value("title", "");
            for (const auto& w : words_of(d.title)) {
                d.title_stems.insert(stem(w));
                d.stems.insert(stem(w));
                d.words.insert(w);
            }
            d.sequence = words_of(j.value("body", ""));
            for (const auto& w : d.sequence) {
                d.stems.insert(stem(w));
                d.words.insert(w);
            }
            out.push_back(std::move(d));
        }
        return out;
    }();
    return docs;
}

std::size_t scan(const std::function<bool(const SampleDoc&)>& pred) {
    std::size_t n = 0;
    for (const auto& d : sample_docs()) n += pred(d) ? 1 : 0;
    return n;
}

bool has(const SampleDoc& d, const std::string& word) { return d.stems.count(Xapian::Stem("english")(word)) > 0; }

const Xapian::Database& sample_db() {
    static const Xapian::Database db = [] {
        const auto dir = test::scratch("search_sample");
        indexer::AddOptions o;
        o.archive = dir / "archive";
        o.inputs = {MORGUE_SAMPLE_JSONL};
        std::ostringstream log;
        REQUIRE(indexer::run_add(o, log).rejected == 0);
        return searcher::open_archive(o.archive.string());
    }();
    return db;
}

std::uint64_t count(const std::string& q) { return searcher::count_matches(sample_db(), q); }

/// How build_archive keeps the spelling words.
enum class Spelling { WordList, ShardTable };

/// A one-shard archive of the given articles; cluster[i], when not empty, is the
/// article's cluster key, set the way the duplicate stage sets it (a copy when it is
/// another article's id). Its words go into a word list beside it (words_of_archive),
/// as the nightly writer keeps them, or into the shard's own spelling table, as
/// shards written before the word list hold them.
Xapian::Database build_archive(const std::string& name, const std::vector<Article>& articles,
                               const std::vector<std::string>& cluster = {}, Spelling spelling = Spelling::WordList) {
    const auto root = test::scratch(name);
    const auto dir = root / "shard";
    {
        Xapian::WritableDatabase db(dir.string(), Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
        db.set_metadata(std::string(schema::kSchemaVersionKey), std::to_string(schema::kSchemaVersion));
        indexer::DocumentBuilder builder;
        indexer::WordListWriter words(root / "words");
        for (std::size_t i = 0; i < articles.size(); ++i) {
            Xapian::Document doc = builder.build(articles[i]);
            if (spelling == Spelling::WordList) words.add(builder.take_spelling_words());
            else indexer::add_legacy_spelling_words(articles[i], db);
            if (i < cluster.size() && !cluster[i].empty())
                indexer::DocumentBuilder::set_cluster(doc, cluster[i], cluster[i] != articles[i].id);
            db.replace_document(schema::make_term(schema::kPrefixId, articles[i].id), doc);
        }
        words.commit();
        db.commit();
    }
    return searcher::open_archive(dir.string());
}

/// The word list build_archive wrote for archive `name`.
const Xapian::Database& words_of_archive(const std::string& name) {
    static std::map<std::string, Xapian::Database> open;
    auto it = open.find(name);
    if (it == open.end()) it = open.emplace(name, Xapian::Database((std::filesystem::path(MORGUE_TEST_TMP) / name / "words").string())).first;
    return it->second;
}

Article article(const std::string& id, const std::string& date, const std::string& title, const std::string& body,
                const std::string& source = "Test Wire") {
    Article a;
    a.id = id;
    a.title = title;
    a.body = body;
    a.source = source;
    if (!date.empty()) a.date = parse_iso8601(date);
    return a;
}

ArticleEntity entity(EntityKind kind, const std::string& name, int mentions, bool in_title = false, bool in_lead = false) {
    ArticleEntity e;
    e.kind = kind;
    e.name = name;
    e.key = entity_key(name);  // as the NER and the readers key entities
    e.mentions = mentions;
    e.in_title = in_title;
    e.in_lead = in_lead;
    return e;
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const QueryError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("date forms match a scan of the sample's dates") {
    auto between = [](const std::string& lo, const std::string& hi) {
        return scan([&](const SampleDoc& d) { return !d.date.empty() && d.date >= lo && d.date <= hi; });
    };
    CHECK(between("2021-01-01", "2021-01-31") > 0);
    CHECK(count("date:2021-01") == between("2021-01-01", "2021-01-31"));
    CHECK(count("date:2021-01-01..2021-03-31") == between("2021-01-01", "2021-03-31"));
    CHECK(count("date:2021-01..2021-03") == between("2021-01-01", "2021-03-31"));
    CHECK(count("date:2020..2021") == between("2020-01-01", "2021-12-31"));
    CHECK(count("date:2021") == between("2021-01-01", "2021-12-31"));
    CHECK(count("date:2021..") == between("2021-01-01", "9999"));
    CHECK(count("date:..2020-06") == between("0000", "2020-06-30"));
    CHECK(count("after:2024-06") == between("2024-06-01", "9999"));
    CHECK(count("before:2019-02") == between("0000", "2019-02-28"));
    CHECK(count("after:2020-02-01 before:2020-02-29") == between("2020-02-01", "2020-02-29"));
    CHECK(count("date:\"2021-01..2021-03\"") == between("2021-01-01", "2021-03-31"));
    // One day: every article of that day (both ends inclusive, whatever the time of day).
    const std::string day = sample_docs().front().date;
    CHECK(count("date:" + day) == between(day, day));
    CHECK(count("date:" + day) >= 1);
    // Dates filter words.
    CHECK(count("flood date:2020") ==
          scan([&](const SampleDoc& d) { return has(d, "flood") && d.date >= "2020" && d.date <= "2020-12-31"; }));
    // --from / --to, alone (every article in the range) and with words.
    searcher::SearchRequest r;
    r.from = "2020-03";
    r.to = "2021-02-15";
    CHECK(searcher::count_matches(sample_db(), r) == between("2020-03-01", "2021-02-15"));
    r.query = "energy";
    CHECK(searcher::count_matches(sample_db(), r) ==
          scan([&](const SampleDoc& d) { return has(d, "energy") && d.date >= "2020-03-01" && d.date <= "2021-02-15"; }));
    // The sample has no undated article.
    CHECK(count("date:none") == 0);
}

TEST_CASE("operators and fields match a scan of the sample's words") {
    const auto n = [&](const std::function<bool(const SampleDoc&)>& p) { return scan(p); };
    CHECK(count("flood") == n([](const SampleDoc& d) { return has(d, "flood"); }));
    CHECK(count("flood rain") == n([](const SampleDoc& d) { return has(d, "flood") && has(d, "rain"); }));
    CHECK(count("flood AND rain") == n([](const SampleDoc& d) { return has(d, "flood") && has(d, "rain"); }));
    CHECK(count("flood OR strike") == n([](const SampleDoc& d) { return has(d, "flood") || has(d, "strike"); }));
    CHECK(count("flood NOT rain") == n([](const SampleDoc& d) { return has(d, "flood") && !has(d, "rain"); }));
    CHECK(count("flood -rain") == n([](const SampleDoc& d) { return has(d, "flood") && !has(d, "rain"); }));
    CHECK(count("+energy +minister") == n([](const SampleDoc& d) { return has(d, "energy") && has(d, "minister"); }));
    CHECK(count("(flood OR strike) AND halifax") ==
          n([](const SampleDoc& d) { return (has(d, "flood") || has(d, "strike")) && has(d, "halifax"); }));
    CHECK(count("evac*") == n([](const SampleDoc& d) {
              for (const auto& w : d.words)
                  if (w.rfind("evac", 0) == 0) return true;
              return false;
          }));
    // Capitalised words are stemmed like any other.
    CHECK(count("Floods") == count("floods"));
    CHECK(count("FLOODING") == count("flood"));
    CHECK(count("title:Floods") == n([](const SampleDoc& d) { return d.title_stems.count("flood") > 0; }));
    CHECK(count("source:\"Harbor Wire\"") == n([](const SampleDoc& d) { return d.source == "Harbor Wire"; }));
    CHECK(count("lang:en") == sample_docs().size());
    // A phrase: the words adjacent, in order, in the body (the sample's titles don't hold this one).
    auto phrase = [](const SampleDoc& d, const std::vector<std::string>& p) {
        for (std::size_t i = 0; i + p.size() <= d.sequence.size(); ++i) {
            bool ok = true;
            for (std::size_t k = 0; k < p.size() && ok; ++k) ok = d.sequence[i + k] == p[k];
            if (ok) return true;
        }
        return false;
    };
    CHECK(count("\"heavy rain\"") == n([&](const SampleDoc& d) { return phrase(d, {"heavy", "rain"}); }));
    CHECK(count("\"rain heavy\"") == n([&](const SampleDoc& d) { return phrase(d, {"rain", "heavy"}); }));
    // NEAR: within 10 words, either order.
    auto near = [](const SampleDoc& d, const std::string& a, const std::string& b) {
        Xapian::Stem stem("english");
        for (std::size_t i = 0; i < d.sequence.size(); ++i) {
            if (stem(d.sequence[i]) != stem(a)) continue;
            for (std::size_t j = i >= 9 ? i - 9 : 0; j < d.sequence.size() && j <= i + 9; ++j)
                if (j != i && stem(d.sequence[j]) == stem(b)) return true;
        }
        return false;
    };
    const auto near_expected = n([&](const SampleDoc& d) { return near(d, "flooding", "families"); });
    CHECK(near_expected > 0);
    CHECK(count("flooding NEAR families") == near_expected);
    CHECK(count("heavy NEAR families") == n([&](const SampleDoc& d) { return near(d, "heavy", "families"); }));
}

TEST_CASE("bad queries: one line pointing at the problem, QueryError (exit 2)") {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"\"unbalanced quote", "column 1"},
        {"kim \"jong un", "column 5"},
        {"(flood OR rain", "column 1"},
        {"flood OR rain)", "column 14"},
        {"perso:kim", "unknown field 'perso:'"},
        {"flood Title:x", "unknown field 'Title:'"},
        {"date:2021-02-30", "no such day 2021-02-30"},
        {"date:2021-13", "no such month"},
        {"date:2021-03..2021-01", "ends before it starts"},
        {"date:yesterday", "is not YYYY"},
        {"after:2021..2022", "takes one date"},
        {"date:..", "at least one end"},
        {"person:\"kim", "never closed"},
        // A date glued to punctuation, seen only by QueryParser (found by fuzz_query), and control characters.
        {"flood,date:2021-02-30", "no such day"},
        {"\x01-date:2021-02-30", "no such day"},
    };
    for (const auto& [q, expect] : cases) {
        CAPTURE(q);
        const std::string msg = error_of([&] { (void)count(q); });
        CHECK(msg.find(expect) != std::string::npos);
        CHECK(msg.find('\n') == std::string::npos);
    }
    searcher::SearchRequest r;
    r.from = "2021-02-31";
    CHECK(error_of([&] { (void)searcher::search(sample_db(), r); }).find("--from") != std::string::npos);
    r.from = "2022";
    r.to = "2021";
    CHECK(error_of([&] { (void)searcher::search(sample_db(), r); }).find("ends before it starts") != std::string::npos);
    // Not fields: a URL typed bare, a time of day, a colon with nothing after it.
    CHECK_NOTHROW((void)count("http://example.com"));
    CHECK_NOTHROW((void)count("10:30 flood"));
    CHECK_NOTHROW((void)count("flood title: rain"));
    CHECK_THROWS_AS((void)searcher::parse_half_life("soon"), UsageError);
    CHECK(searcher::parse_half_life("2w") == doctest::Approx(14.0));
}

TEST_CASE("ranking: deterministic order, sorting, recency") {
    std::vector<Article> arts;
    // Six articles with the same text: equal BM25 scores; tie-break is newest first, then id.
    arts.push_back(article("b", "2021-03-01T10:00:00Z", "Harbour cranes", "Cranes idle at the harbour."));
    arts.push_back(article("a", "2021-03-01T10:00:00Z", "Harbour cranes", "Cranes idle at the harbour."));
    arts.push_back(article("c", "2021-01-01T10:00:00Z", "Harbour cranes", "Cranes idle at the harbour."));
    arts.push_back(article("d", "2021-06-01T10:00:00Z", "Harbour cranes", "Cranes idle at the harbour."));
    arts.push_back(article("e", "", "Harbour cranes", "Cranes idle at the harbour."));
    // One that is far more about cranes, and old; and three about other things.
    arts.push_back(article("f", "2019-01-01T10:00:00Z", "Harbour cranes, harbour cranes",
                           "Cranes at the harbour. Harbour cranes idle."));
    for (const char* id : {"x", "y", "z"}) arts.push_back(article(id, "2021-02-01", "Budget", "A vote on the budget."));
    const auto db = build_archive("rank", arts);
    searcher::SearchRequest r;
    r.query = "cranes harbour";
    auto ids = [&](const searcher::SearchRequest& req) {
        std::vector<std::string> out;
        for (const auto& h : searcher::search(db, req).hits) out.push_back(h.id);
        return out;
    };
    CHECK(ids(r) == std::vector<std::string>{"f", "d", "b", "a", "c", "e"});
    CHECK(ids(r) == ids(r));
    r.offset = 2;
    r.limit = 2;
    CHECK(ids(r) == std::vector<std::string>{"b", "a"});
    r.offset = 0;
    r.limit = 10;
    r.sort = searcher::SortOrder::Newest;
    CHECK(ids(r) == std::vector<std::string>{"d", "b", "a", "c", "f", "e"});
    r.sort = searcher::SortOrder::Oldest;
    CHECK(ids(r) == std::vector<std::string>{"e", "f", "c", "a", "b", "d"});
    // Recency: with a short half-life the newest comes first, the old one last among the dated.
    r.sort = searcher::SortOrder::Relevance;
    r.recency_half_life_days = 30;
    const auto recent = ids(r);
    CHECK(recent.front() == "d");
    CHECK(recent.back() == "e");  // undated: no freshness at all
    // A half-life of centuries changes nothing in the order of relevance.
    r.recency_half_life_days = 365.25 * 1000;
    CHECK(ids(r).front() == "f");
}

TEST_CASE("entities rank by salience, entity: looks under every kind, results carry them") {
    std::vector<Article> arts;
    Article passing = article("p1", "2021-01-02", "Budget talks resume", "Ministers met. Kim Jong Un was mentioned once.");
    passing.entities = {entity(EntityKind::Person, "Kim Jong Un", 1)};
    Article central = article("c1", "2021-01-01", "Kim Jong Un visits factory",
                              "Kim Jong Un toured a factory. Kim Jong Un praised workers. Kim Jong Un left.");
    central.entities = {entity(EntityKind::Person, "Kim Jong Un", 3, true, true),
                        entity(EntityKind::Place, "Pyongyang", 1), entity(EntityKind::Org, "Workers' Party", 1)};
    Article org = article("o1", "2021-01-03", "Party congress", "The Kim Jong Un foundation, an organisation.");
    org.entities = {entity(EntityKind::Org, "Kim Jong Un", 1)};
    const auto db = build_archive("entities", {passing, central, org});
    searcher::SearchRequest r;
    r.query = "person:\"Kim Jong Un\"";
    auto res = searcher::search(db, r);
    REQUIRE(res.hits.size() == 2);
    CHECK(res.hits[0].id == "c1");
    CHECK(res.hits[0].score > res.hits[1].score);
    CHECK(searcher::count_matches(db, "entity:\"kim jong un\"") == 3);
    CHECK(searcher::count_matches(db, "org:\"KIM JONG UN\"") == 1);
    CHECK(searcher::count_matches(db, "place:pyongyang") == 1);
    const auto j = nlohmann::json::parse(searcher::results_json(res));
    CHECK(j["results"][0]["entities"]["person"] == nlohmann::json::array({"Kim Jong Un"}));
    CHECK(j["results"][0]["entities"]["place"] == nlohmann::json::array({"Pyongyang"}));
    CHECK(j["results"][0]["entities"]["misc"] == nlohmann::json::array());
    CHECK(searcher::results_text(res).find("person: Kim Jong Un") != std::string::npos);
    // --show prints the whole article with its entities.
    const auto shown = searcher::find_article(db, "c1");
    CHECK(searcher::article_text(shown).find("Pyongyang (1)") != std::string::npos);
    CHECK(nlohmann::json::parse(searcher::article_json(shown))["entities"]["org"][0]["name"] == "Workers' Party");
    CHECK_THROWS_AS((void)searcher::find_article(db, "nope"), Error);
}

TEST_CASE("near-duplicate copies fold; counts include every copy") {
    std::vector<Article> arts;
    std::vector<std::string> cluster;
    for (int i = 0; i < 4; ++i) {
        arts.push_back(article("wire-" + std::to_string(i), "2021-02-0" + std::to_string(i + 1),
                               "Storm closes port", "A storm closed the port on Monday, officials said."));
        cluster.push_back("wire-0");  // the first copy indexed
    }
    arts.push_back(article("other", "2021-02-09", "Port reopens", "The port reopened after the storm."));
    cluster.push_back("");
    arts.push_back(article("unrelated", "2021-02-09", "Budget", "Nothing about weather."));
    cluster.push_back("");
    const auto db = build_archive("fold", arts, cluster);
    searcher::SearchRequest r;
    r.query = "storm port";
    auto res = searcher::search(db, r);
    CHECK(res.total == 5);
    CHECK(res.total_folded == 2);
    REQUIRE(res.hits.size() == 2);
    std::uint64_t similar = 0;
    for (const auto& h : res.hits) similar += h.similar;
    CHECK(similar == 3);
    CHECK(searcher::results_text(res).find("(and 3 similar)") != std::string::npos);
    const auto j = nlohmann::json::parse(searcher::results_json(res));
    CHECK(j["total"] == 5);
    CHECK(j["total_folded"] == 2);
    CHECK(searcher::count_matches(db, r) == 5);
    // Copies that do not match the query are not counted as similar.
    r.query = "storm port date:2021-02-01..2021-02-02";
    res = searcher::search(db, r);
    REQUIRE(res.hits.size() == 1);
    CHECK(res.hits[0].similar == 1);
    r.query = "storm port";
    r.collapse = false;
    res = searcher::search(db, r);
    CHECK(res.hits.size() == 5);
    CHECK(res.total_folded == 5);
}

TEST_CASE("counts from the ranked match itself agree with counting apart") {
    // Every article keyed as the indexer keys them (a copy by its cluster's first article, any
    // other by its own id). Relevance order counts what its ranked match looked at; date order
    // counts in separate passes (searcher/search.cpp): both must give the same, exact totals.
    for (const int copies : {20, 200}) {
        std::vector<Article> arts;
        std::vector<std::string> cluster;
        for (int i = 0; i < copies; ++i) {
            arts.push_back(article("copy-" + std::to_string(i), "2021-03-01", "Harbour crane collapses",
                                   "A harbour crane collapsed in the storm, the port said. Copy " + std::to_string(i) + "."));
            cluster.push_back("copy-0");
        }
        for (int i = 0; i < 40; ++i) {
            const std::string id = "own-" + std::to_string(i);
            arts.push_back(article(id, "2021-03-02", "Crane inspections",
                                   "Inspectors checked every harbour crane " + std::to_string(i) + " times."));
            cluster.push_back(id);
        }
        arts.push_back(article("elsewhere", "2021-03-03", "Budget", "Nothing about the port."));
        cluster.push_back("elsewhere");
        const auto db = build_archive("spy_counts_" + std::to_string(copies), arts, cluster);
        searcher::SearchRequest r;
        r.query = "harbour crane";
        r.limit = 3;
        const auto ranked = searcher::search(db, r);
        r.sort = searcher::SortOrder::Newest;
        const auto dated = searcher::search(db, r);
        const auto expected_total = static_cast<std::uint64_t>(copies + 40);
        INFO("copies " << copies << ": ranked " << ranked.total << "/" << ranked.total_folded << ", dated "
                       << dated.total << "/" << dated.total_folded);
        CHECK(ranked.total_folded == dated.total_folded);
        for (const auto* res : {&ranked, &dated}) {
            if (res->total_exact) CHECK(res->total == expected_total);
            if (res->total_folded_exact) CHECK(res->total_folded == 41);
            CHECK(res->total >= res->total_folded);
        }
        if (copies + 40 < 110) {  // fewer than the match checks: exact from it alone
            CHECK(ranked.total_exact);
            CHECK(ranked.total == expected_total);
            CHECK(ranked.total_folded_exact);
        }
        REQUIRE(ranked.hits.size() == 3);
        CHECK(searcher::count_matches(db, r) == expected_total);
    }
}

TEST_CASE("a phrase folds the copies that hold it, and counts only those") {
    // The phrase is checked against each copy's stored text (searcher/positional.h): the fifth
    // copy has the words but not the phrase.
    std::vector<Article> arts;
    std::vector<std::string> cluster;
    for (int i = 0; i < 4; ++i) {
        arts.push_back(article("wire-" + std::to_string(i), "2021-02-0" + std::to_string(i + 1),
                               "Storm closes port", "A storm closed the port on Monday, officials said."));
        cluster.push_back("wire-0");
    }
    arts.push_back(article("wire-4", "2021-02-06", "Storm closes port", "The port closed on Monday after a storm."));
    cluster.push_back("wire-0");
    arts.push_back(article("other", "2021-02-09", "Port reopens", "The port reopened after the storm."));
    cluster.push_back("");
    const auto db = build_archive("fold_phrase", arts, cluster);
    searcher::SearchRequest r;
    r.query = "\"closed the port\"";
    auto res = searcher::search(db, r);
    CHECK(res.total == 4);
    CHECK(res.total_exact);
    CHECK(res.total_folded == 1);
    CHECK(res.total_folded_exact);
    REQUIRE(res.hits.size() == 1);
    CHECK(res.hits[0].similar == 3);
    CHECK(searcher::count_matches(db, r) == 4);
    r.query = "storm -\"closed the port\"";
    res = searcher::search(db, r);
    CHECK(res.total == 2);
    CHECK(searcher::count_matches(db, r) == 2);
    r.collapse = false;
    r.query = "\"closed the port\"";
    res = searcher::search(db, r);
    CHECK(res.hits.size() == 4);
    r.query = "\"port closed\" OR reopened";
    res = searcher::search(db, r);
    std::set<std::string> ids;
    for (const auto& h : res.hits) ids.insert(h.id);
    CHECK(ids == std::set<std::string>{"wire-4", "other"});
}

TEST_CASE("facets: sources and time match a scan of the sample; entities count every match") {
    searcher::SearchRequest r;
    r.query = "flood";
    r.facets = true;
    const auto res = searcher::search(sample_db(), r);
    REQUIRE(res.facets);
    const auto& f = *res.facets;
    CHECK_FALSE(f.sampled);
    REQUIRE_FALSE(f.source.empty());
    for (const auto& s : f.source) {
        CAPTURE(s.name);
        CHECK(s.count == scan([&](const SampleDoc& d) { return has(d, "flood") && schema::boolean_key(d.source) == s.name; }));
    }
    // The sample spans six years: one bucket per year, summing to the total, shares against a scan.
    CHECK(f.unit == "year");
    std::uint64_t sum = 0;
    for (const auto& b : f.buckets) {
        sum += b.count;
        const std::string y = b.start.substr(0, 4);
        const auto in_year = scan([&](const SampleDoc& d) { return d.date.substr(0, 4) == y; });
        const auto hits = scan([&](const SampleDoc& d) { return has(d, "flood") && d.date.substr(0, 4) == y; });
        CHECK(b.count == hits);
        CHECK(b.share == doctest::Approx(static_cast<double>(hits) / static_cast<double>(in_year)));
    }
    CHECK(sum == res.total);
    CHECK(searcher::time_unit_for_span(30) == "day");
    CHECK(searcher::time_unit_for_span(200) == "week");
    CHECK(searcher::time_unit_for_span(900) == "month");
    // A month of the sample: day or week buckets, each starting where it should.
    r.query = "date:2021-01..2021-02";
    const auto two_months = searcher::search(sample_db(), r);
    CHECK((two_months.facets->unit == "day" || two_months.facets->unit == "week"));
    // Entities on a built archive; a sample smaller than the matches says so.
    std::vector<Article> arts;
    for (int i = 0; i < 6; ++i) {
        // (appended, not "..." + to_string(): g++ 12 warns -Wrestrict wrongly on that here)
        std::string id = "e", day = "2021-03-0";
        id += std::to_string(i);
        day += std::to_string(i + 1);
        Article a = article(id, day, "Talks", "Talks went on.");
        a.entities = {entity(EntityKind::Person, "Ana Lima", 1), entity(EntityKind::Place, i < 4 ? "Lisbon" : "Porto", 1)};
        arts.push_back(a);
    }
    const auto db = build_archive("facets", arts);
    searcher::SearchRequest er;
    er.query = "talks";
    er.facets = true;
    auto ef = searcher::search(db, er).facets;
    REQUIRE(ef);
    REQUIRE(ef->person.size() == 1);
    CHECK(ef->person[0].name == "Ana Lima");
    CHECK(ef->person[0].count == 6);
    REQUIRE(ef->place.size() == 2);
    CHECK(ef->place[0].name == "Lisbon");
    CHECK(ef->place[0].count == 4);
    CHECK(ef->place[1].count == 2);
    CHECK(ef->unit == "day");
    CHECK(ef->buckets.size() == 6);
    CHECK(ef->buckets[0].share == doctest::Approx(1.0));
    er.facet_options.sample = 3;
    ef = searcher::search(db, er).facets;
    CHECK(ef->sampled == std::optional<std::uint64_t>(3));
    CHECK(ef->person[0].count == 3);
    const auto j = nlohmann::json::parse(searcher::results_json(searcher::search(db, er)));
    CHECK(j["facets"]["sampled"] == 3);
    CHECK(j["facets"]["time"]["unit"] == "day");
    CHECK(j["facets"]["person"][0]["name"] == "Ana Lima");
}

TEST_CASE("over several shards, counting shard by shard gives Xapian's answers over the combined database") {
    (void)sample_db();  // builds the sample archive: one shard per month
    const searcher::ShardSet set((std::filesystem::path(MORGUE_TEST_TMP) / "search_sample" / "archive").string());
    REQUIRE(set.local_shards() != nullptr);
    CHECK(set.local_shards()->size() > 10);
    const std::vector<std::string> queries{
        "strike",          "port strike",    "floods rain evacuations", "budget vote parliament minister",
        "\"heavy rain\"", "rain OR snow",   "\"heavy rain\" OR floods", "strike -port",
        "zzzunknownword",  "date:2019-03",   "ferry sinking coast",     "officials said sanctions stay"};
    for (const auto& q : queries) {
        CAPTURE(q);
        searcher::SearchRequest combined;
        combined.query = q;
        searcher::SearchRequest by_shard = combined;
        by_shard.shards = set.local_shards();
        const auto a = searcher::search(set.db(), combined);
        const auto b = searcher::search(set.db(), by_shard);
        CHECK(a.total_exact == b.total_exact);
        if (a.total_exact && b.total_exact) CHECK(a.total == b.total);
        if (a.total_folded_exact && b.total_folded_exact) CHECK(a.total_folded == b.total_folded);
        CHECK(a.partial == b.partial);
        REQUIRE(a.hits.size() == b.hits.size());
        for (std::size_t i = 0; i < a.hits.size(); ++i) CHECK(a.hits[i].id == b.hits[i].id);
        CHECK(searcher::count_matches(set.db(), combined) == searcher::count_matches(set.db(), by_shard));
    }
}

TEST_CASE("did you mean, --like, date-only queries and undated articles") {
    std::vector<Article> arts{
        article("1", "2021-05-01", "Lighthouse keepers strike", "The lighthouse keepers walked out over pay."),
        article("2", "2021-05-02", "Keepers return", "Lighthouse keepers returned to work after the strike."),
        article("3", "2021-05-03", "Budget vote", "Parliament passed the budget."),
        article("4", "", "Undated note", "A note without a date about the budget.")};
    const auto db = build_archive("misc", arts);
    searcher::SearchRequest r;
    r.words = &words_of_archive("misc");
    r.query = "lighthuose";
    auto res = searcher::search(db, r);
    CHECK(res.hits.empty());
    CHECK(res.did_you_mean == "lighthouse");
    r.query = "lighthouse";
    CHECK(searcher::search(db, r).did_you_mean.empty());
    r.query.clear();
    r.like_id = "1";
    res = searcher::search(db, r);
    REQUIRE_FALSE(res.hits.empty());
    CHECK(res.hits[0].id == "2");
    for (const auto& h : res.hits) CHECK(h.id != "1");
    r.like_id = "missing";
    CHECK_THROWS_AS((void)searcher::search(db, r), Error);
    CHECK(searcher::count_matches(db, "date:none") == 1);
    CHECK(searcher::count_matches(db, "budget date:none") == 1);
    CHECK(searcher::count_matches(db, "date:2021-05") == 3);
    CHECK(searcher::count_matches(db, "date:2021-05-02..") == 2);
}

TEST_CASE("did you mean: only when some word is in no article") {
    std::vector<Article> arts{
        article("1", "2021-05-01", "Lighthouse keepers strike", "The lighthouse keepers walked out over pay."),
        article("2", "2021-05-03", "Budget vote", "Parliament passed the budget.")};
    const auto db = build_archive("spelling_gate", arts);
    searcher::SearchRequest r;
    r.words = &words_of_archive("spelling_gate");
    r.query = "lighthouse budget";  // no article has both: partial matches, but nothing is misspelt
    auto res = searcher::search(db, r);
    CHECK(res.partial);
    CHECK(res.did_you_mean.empty());
    r.query = "lighthuose budget";
    res = searcher::search(db, r);
    CHECK(res.partial);
    CHECK(res.did_you_mean == "lighthouse budget");
}

namespace {

/// Each one-hit page at offsets 0..n-1 shows the hit the single page shows there, at its rank.
void check_pages_agree(const Xapian::Database& db, const searcher::SearchRequest& r, const searcher::SearchResults& res,
                       std::size_t n) {
    REQUIRE(res.hits.size() >= n);
    for (std::size_t offset = 0; offset < n; ++offset) {
        searcher::SearchRequest page = r;
        page.offset = offset;
        page.limit = 1;
        const auto single = searcher::search(db, page);
        REQUIRE(single.hits.size() == 1);
        CHECK(single.hits[0].id == res.hits[offset].id);
        CHECK(single.hits[0].rank == offset + 1);
    }
}

}  // namespace

TEST_CASE("all the words first, then the best partial matches, across pages") {
    std::vector<Article> arts{
        // Partial matches with many mentions: BM25 alone could put them above the full ones.
        article("p1", "2021-01-01", "Ferry ferry ferry", "Ferry ferry ferry ferry ferry ferry."),
        article("p2", "2021-01-02", "Sinking sinking", "Sinking sinking sinking sinking."),
        article("f1", "2021-01-03", "Ferry sinking", "A ferry sinking off the coast."),
        article("f2", "2021-01-04", "Notes", "The ferry report mentions one sinking in passing, among much else."),
        article("n1", "2021-01-05", "Budget", "Nothing here.")};
    const auto db = build_archive("tiers", arts);
    searcher::SearchRequest r;
    r.query = "ferry sinking";
    auto res = searcher::search(db, r);
    CHECK_FALSE(res.partial);
    CHECK(res.total == 2);  // articles with all the words
    REQUIRE(res.hits.size() == 4);
    CHECK(res.hits[0].id == "f1");
    CHECK(res.hits[1].id == "f2");
    CHECK_FALSE(res.hits[1].partial);
    CHECK(res.hits[2].partial);
    CHECK(res.hits[3].partial);
    CHECK(res.hits[3].rank == 4);
    CHECK(searcher::results_text(res).find("only some of the words") != std::string::npos);
    // Pages across the boundary agree with the single page.
    check_pages_agree(db, r, res, 4);
    // Sorted by date, only the articles with all the words.
    r.sort = searcher::SortOrder::Newest;
    res = searcher::search(db, r);
    REQUIRE(res.hits.size() == 2);
    CHECK(res.hits[0].id == "f2");
}

TEST_CASE("three words: all of them, then all but one, then any, across pages; no article with all: all but one first") {
    std::vector<Article> arts{
        // One word, many mentions: a plain any-word ranking could put these above two-word matches.
        article("o1", "2021-01-01", "Ferry ferry ferry", "Ferry ferry ferry ferry ferry ferry ferry."),
        article("o2", "2021-01-02", "Coast coast", "Coast coast coast coast coast coast."),
        article("o3", "2021-01-06", "Harbour harbour", "Harbour harbour harbour harbour harbour."),
        article("m1", "2021-01-03", "Ferry sinking", "A ferry sinking, reported late, in a long account of the week."),
        article("m2", "2021-01-04", "Notes", "The coast guard logged one sinking among much else that week."),
        article("a1", "2021-01-05", "Ferry sinking off the coast", "A ferry sinking off the coast."),
        article("n1", "2021-01-07", "Budget", "Nothing here.")};
    const auto db = build_archive("three_tiers", arts);
    searcher::SearchRequest r;
    r.query = "ferry sinking coast";
    auto res = searcher::search(db, r);
    CHECK_FALSE(res.partial);
    CHECK(res.total == 1);
    REQUIRE(res.hits.size() == 5);
    CHECK(res.hits[0].id == "a1");
    CHECK_FALSE(res.hits[0].partial);
    const std::set<std::string> two{res.hits[1].id, res.hits[2].id};
    CHECK(two == std::set<std::string>{"m1", "m2"});
    const std::set<std::string> one{res.hits[3].id, res.hits[4].id};
    CHECK(one == std::set<std::string>{"o1", "o2"});
    for (std::size_t i = 1; i < 5; ++i) CHECK(res.hits[i].partial);
    check_pages_agree(db, r, res, 5);
    // No article has all three: those with two of them come before those with one.
    r.query = "ferry sinking harbour";
    res = searcher::search(db, r);
    CHECK(res.partial);
    CHECK(res.total == 5);  // every article with any of the words
    REQUIRE(res.hits.size() == 5);
    const std::set<std::string> pair{res.hits[0].id, res.hits[1].id};
    CHECK(pair == std::set<std::string>{"m1", "a1"});
    check_pages_agree(db, r, res, 5);
}

TEST_CASE("four and five words: the all-but-one tier holds exactly the articles missing one word, each weighing its words' sum") {
    // The tier is "at least n - 1 of n" written as a chain (searcher/search.cpp, at_least): an
    // article with exactly n - 1 of the words must match through one branch only, so that it
    // weighs what the same words weigh together as a query of their own.
    std::vector<Article> arts{
        article("all", "2021-02-01", "Ferry sinking", "A ferry sinking off the coast near the harbour."),
        article("no_ferry", "2021-02-02", "Notes", "A sinking off the coast, the harbour said."),
        article("no_sinking", "2021-02-03", "Ferry", "The ferry left the coast for the harbour, harbour, harbour."),
        article("no_coast", "2021-02-04", "Ferry", "Ferry sinking: the ferry harbour was shut."),
        article("no_harbour", "2021-02-05", "Sinking", "A ferry sinking off the coast, coast guard says."),
        article("two", "2021-02-06", "Ferry", "The ferry and the coast."),
        article("one", "2021-02-07", "Ferry ferry", "Ferry ferry ferry ferry ferry."),
        article("none", "2021-02-08", "Budget", "Nothing here.")};
    const auto db = build_archive("at_least", arts);
    searcher::SearchRequest r;
    r.query = "ferry sinking coast harbour";
    auto res = searcher::search(db, r);
    REQUIRE(res.hits.size() >= 6);
    CHECK(res.hits[0].id == "all");
    std::set<std::string> missing_one;
    for (std::size_t i = 1; i < 5; ++i) {
        CHECK(res.hits[i].partial);
        missing_one.insert(res.hits[i].id);
        // Its three words as a query of their own weigh it the same.
        const std::string& id = res.hits[i].id;
        searcher::SearchRequest alone;
        alone.query = id == "no_ferry"     ? "sinking coast harbour"
                      : id == "no_sinking" ? "ferry coast harbour"
                      : id == "no_coast"   ? "ferry sinking harbour"
                                           : "ferry sinking coast";
        const auto own = searcher::search(db, alone);
        const auto it = std::find_if(own.hits.begin(), own.hits.end(), [&](const auto& h) { return h.id == id; });
        REQUIRE(it != own.hits.end());
        CHECK(it->score == doctest::Approx(res.hits[i].score).epsilon(1e-12));
    }
    CHECK(missing_one == std::set<std::string>{"no_ferry", "no_sinking", "no_coast", "no_harbour"});
    for (std::size_t i = 5; i < res.hits.size(); ++i) CHECK(missing_one.count(res.hits[i].id) == 0);
    check_pages_agree(db, r, res, 3);
    // Five words, none in every article: the four with four of them come first.
    r.query = "ferry sinking coast harbour guard";
    res = searcher::search(db, r);
    CHECK(res.partial);
    REQUIRE(res.hits.size() >= 3);
    const std::set<std::string> four{res.hits[0].id, res.hits[1].id};
    CHECK(four == std::set<std::string>{"all", "no_harbour"});
    CHECK(res.hits[2].id != "all");
    check_pages_agree(db, r, res, 2);
}

TEST_CASE("no article has all the words: the folded count is of any of them, not of the tier shown") {
    // The page shows those with all but one word first; the totals count every article with
    // any of them, folded or not (once, the folded total was the shown tier's count, 2, and
    // said to be exact).
    std::vector<Article> arts{
        article("m1", "2021-01-03", "Ferry sinking", "A ferry sinking, reported late."),
        article("m2", "2021-01-04", "Harbour ferry", "The harbour ferry ran late."),
        article("o1", "2021-01-01", "Ferry times", "Ferry times changed."),
        article("o2", "2021-01-02", "Harbour dues", "Harbour dues rose."),
        article("o3", "2021-01-06", "Sinking fund", "A sinking fund was set up."),
        article("c1", "2021-01-07", "Harbour dues", "Harbour dues rose, a copy."),
        article("n1", "2021-01-08", "Budget", "Nothing here.")};
    const auto db = build_archive("partial_folded", arts, {"m1", "m2", "o1", "o2", "o3", "o2", "n1"});
    searcher::SearchRequest r;
    r.query = "ferry sinking harbour";
    const auto res = searcher::search(db, r);
    CHECK(res.partial);
    REQUIRE(res.hits.size() == 5);
    const std::set<std::string> pair{res.hits[0].id, res.hits[1].id};
    CHECK(pair == std::set<std::string>{"m1", "m2"});
    CHECK(res.total == 6);
    CHECK(res.total_exact);
    CHECK(res.total_folded == 5);  // c1 folds under o2
    CHECK(res.total_folded_exact);
}

TEST_CASE("any of the words with a phrase among them: counted apart from the phrase, sampled") {
    // No article has all three parts and five have two, shown first; the count is of any of
    // them, and past 300 candidates it is Xapian's for the words without a phrase plus a checked
    // sample of the rest (searcher/search.cpp, split_or).
    std::vector<Article> arts;
    std::vector<std::string> cluster;
    auto add = [&](const std::string& id, const std::string& body) {
        arts.push_back(article(id, "2021-05-01", "Report " + id, body));
        cluster.push_back(id);
    };
    for (int i = 0; i < 500; ++i) {
        const std::string n = std::to_string(i);
        switch (i % 5) {
            case 0: add("h" + n, "The harbour report, part " + n + "."); break;
            case 1: add("c" + n, "A crane was seen, item " + n + "."); break;
            case 2: add("p" + n, "They shop on line now, note " + n + "."); break;  // the phrase
            default: add("w" + n, "The line went on and on, note " + n + "."); break;  // the words only
        }
    }
    for (int i = 0; i < 5; ++i) add("hc" + std::to_string(i), "A crane fell in the harbour.");  // two of three
    const auto db = build_archive("split_or", arts, cluster);
    searcher::SearchRequest r;
    r.query = "on-line harbour crane";
    const auto res = searcher::search(db, r);
    CHECK(res.partial);
    CHECK(searcher::count_matches(db, r) == 305);
    INFO("total " << res.total << ", folded " << res.total_folded);
    CHECK(res.total >= 260);
    CHECK(res.total <= 350);
    if (res.total_exact) CHECK(res.total == 305);
    CHECK(res.total_folded <= res.total);
    REQUIRE(res.hits.size() == 10);
    for (std::size_t i = 0; i < 5; ++i) CHECK(res.hits[i].id.rfind("hc", 0) == 0);
    for (const auto& h : res.hits) CHECK(h.id[0] != 'w');
}

TEST_CASE("a story shown in one tier does not come back as its copy in a later tier") {
    // c2 is a lightly edited copy of c1 (same cluster) that lost the word "coast": it matches
    // all but one word, but its story is already the first result.
    std::vector<Article> arts{
        article("c1", "2021-01-05", "Ferry sinking off the coast", "A ferry sinking off the coast, officials said."),
        article("c2", "2021-01-06", "Ferry sinking", "A ferry sinking off the shore, officials said."),
        article("m1", "2021-01-03", "Ferry sinking", "A ferry sinking, reported late, in a long account of the week."),
        article("o1", "2021-01-01", "Ferry ferry ferry", "Ferry ferry ferry ferry ferry ferry ferry."),
        article("n1", "2021-01-07", "Budget", "Nothing here.")};
    const auto db = build_archive("tier_copies", arts, {"c1", "c1", "m1", "o1", "n1"});
    searcher::SearchRequest r;
    r.query = "ferry sinking coast";
    const auto res = searcher::search(db, r);
    REQUIRE(res.hits.size() == 3);
    CHECK(res.hits[0].id == "c1");
    CHECK(res.hits[1].id == "m1");
    CHECK(res.hits[2].id == "o1");
    // Without folding, the copy is a result of its own, among those with all but one word.
    r.collapse = false;
    const auto all = searcher::search(db, r);
    REQUIRE(all.hits.size() == 4);
    CHECK(all.hits[0].id == "c1");
    const std::set<std::string> two{all.hits[1].id, all.hits[2].id};
    CHECK(two == std::set<std::string>{"c2", "m1"});
    CHECK(all.hits[3].id == "o1");
}

TEST_CASE("a folded page is the first distinct stories in rank order, however many copies rank first") {
    // Three wire stories carried 12 times each (the copies score alike and fill the first
    // ranks), then 30 stories of their own. The searcher folds the first hits of an
    // uncollapsed match itself and asks Xapian's collapse only when those hold too few
    // stories (search.cpp, kFoldSlack): every page must be what folding the whole ranking gives.
    std::vector<Article> arts;
    std::vector<std::string> cluster;
    const std::vector<std::string> wires{"Harbour strike halts harbour cranes", "Harbour fire near the cranes",
                                         "Cranes idle at the harbour"};
    for (std::size_t w = 0; w < wires.size(); ++w) {
        const std::string story = "w" + std::to_string(w);
        for (int c = 0; c < 12; ++c) {
            const std::string copy = std::to_string(c);
            arts.push_back(article(story + "-" + copy, "2021-04-0" + std::to_string(1 + c % 9), wires[w],
                                   wires[w] + ": the harbour cranes stopped, copy " + copy + "."));
            cluster.push_back(story + "-0");
        }
    }
    for (int i = 0; i < 30; ++i) {
        const std::string id = "own-" + std::to_string(i);
        arts.push_back(article(id, "2021-05-01", "Port report " + std::to_string(i),
                               "The harbour authority listed " + std::to_string(i) + " cranes among its assets, and a long "
                               "account of the port's week followed with no more about them."));
        cluster.push_back(id);
    }
    const auto db = build_archive("fold_pages", arts, cluster);
    std::map<std::string, std::string> key_of;
    for (std::size_t i = 0; i < arts.size(); ++i) key_of[arts[i].id] = cluster[i];
    for (const std::string query : {"harbour cranes", "harbour cranes strike fire idle"}) {
        searcher::SearchRequest every;
        every.query = query;
        every.collapse = false;
        every.limit = arts.size();
        std::vector<std::string> folded;  // the whole ranking folded by hand
        std::set<std::string> seen;
        for (const auto& h : searcher::search(db, every).hits)
            if (seen.insert(key_of.at(h.id)).second) folded.push_back(h.id);
        REQUIRE(folded.size() >= 20);
        for (const std::size_t offset : {0, 1, 2, 9}) {
            for (const std::size_t limit : {1, 3, 10}) {
                searcher::SearchRequest r;
                r.query = query;
                r.offset = offset;
                r.limit = limit;
                std::vector<std::string> got;
                for (const auto& h : searcher::search(db, r).hits) got.push_back(h.id);
                const std::vector<std::string> want(folded.begin() + static_cast<std::ptrdiff_t>(offset),
                                                    folded.begin() + static_cast<std::ptrdiff_t>(offset + limit));
                INFO(query << ", offset " << offset << ", limit " << limit);
                CHECK(got == want);
            }
        }
    }
}

TEST_CASE("plain words that name an entity rank up articles where it is central") {
    Article passing = article("passing", "2021-01-01", "Trade talks", "Trade talks went on; China was mentioned.");
    passing.entities = {entity(EntityKind::Place, "China", 1)};
    Article central = article("central", "2021-01-01", "Trade talks", "Trade talks went on; China was mentioned.");
    central.entities = {entity(EntityKind::Place, "China", 4, true, true)};
    const auto db = build_archive("entity_boost", {passing, central});
    searcher::SearchRequest r;
    r.query = "china trade";
    auto res = searcher::search(db, r);
    REQUIRE(res.hits.size() == 2);
    CHECK(res.hits[0].id == "central");
    CHECK(res.hits[0].score > res.hits[1].score);
    r.entity_boost = false;
    res = searcher::search(db, r);
    REQUIRE(res.hits.size() == 2);
    CHECK(res.hits[0].id == "passing");  // the entity's wdf only lengthens the central one
}

TEST_CASE("entity fields find a name however it is typed, under the one canonical key") {
    Article tagged = article("tagged", "2021-01-01", "Party meets", "The Workers' Party met.");
    tagged.entities = {entity(EntityKind::Org, "Workers' Party", 2)};
    Article given = article("given", "2021-01-02", "Party meets again", "The Workers Party met again.");
    given.entities = {entity(EntityKind::Org, "WORKERS PARTY", 1)};
    Article person = article("person", "2021-01-03", "Visit", "Joe Biden visited.");
    person.entities = {entity(EntityKind::Person, "Joe Biden", 1)};
    const auto db = build_archive("entity_keys", {tagged, given, person});
    CHECK(searcher::count_matches(db, "org:\"Workers' Party\"") == 2);
    CHECK(searcher::count_matches(db, "org:\"workers party\"") == 2);
    CHECK(searcher::count_matches(db, "entity:\"WORKERS' PARTY\"") == 2);
    CHECK(searcher::count_matches(db, "place:\"workers party\"") == 0);
    CHECK(searcher::count_matches(db, "person:\"joe biden\"") == 1);
    CHECK(searcher::count_matches(db, "person:biden") == 1);  // a surname finds the full name
    CHECK(searcher::count_matches(db, "person:joe") == 0);
    CHECK_THROWS_AS((void)searcher::count_matches(db, "org:\"!!!\""), QueryError);  // nothing to look up
}

TEST_CASE("snippets highlight the query's words, never a word the query excludes") {
    std::vector<Article> arts;
    arts.push_back(article("h1", "2021-03-01", "Storm warning for the coast",
                           "A storm is expected. The old port stays open, the port authority said."));
    arts.push_back(article("h2", "2021-03-02", "Storm and port", "A storm hit the port."));
    const auto db = build_archive("highlight", arts);
    searcher::SearchRequest r;
    r.query = "storm NOT title:port";
    r.snippets = true;
    r.snippet_options.hi_start = "[";
    r.snippet_options.hi_end = "]";
    const auto res = searcher::search(db, r);
    REQUIRE(res.hits.size() == 1);
    CHECK(res.hits[0].id == "h1");
    CHECK(res.hits[0].snippet.find("[storm]") != std::string::npos);
    CHECK(res.hits[0].snippet.find("[port]") == std::string::npos);
    CHECK(res.hits[0].title_highlighted == "[Storm] warning for the coast");
}

TEST_CASE("a date-restricted query opens only the shards it needs, and answers the same") {
    (void)sample_db();  // builds the archive
    const std::string archive = (std::filesystem::path(MORGUE_TEST_TMP) / "search_sample" / "archive").string();
    searcher::SearchRequest r;
    r.query = "said date:2021-01..2021-02";
    r.sort = searcher::SortOrder::Newest;  // what the CLI narrows: date order and counts
    const auto range = searcher::request_day_range(r);
    REQUIRE(range);
    CHECK(range->from == "20210101");
    CHECK(range->to == "20210228");
    searcher::OpenOptions narrow;
    narrow.days = range;
    const searcher::ShardSet some(archive, narrow);
    const searcher::ShardSet all(archive);
    CHECK(some.shards().size() == 2);  // 2021-01 and 2021-02
    CHECK(all.shards().size() > 10);
    const auto a = searcher::search(some.db(), r);
    const auto b = searcher::search(all.db(), r);
    CHECK(a.total == b.total);
    CHECK(a.total > 0);
    std::set<std::string> ids_a, ids_b;
    for (const auto& h : a.hits) ids_a.insert(h.id);
    for (const auto& h : b.hits) ids_b.insert(h.id);
    CHECK(ids_a == ids_b);
    CHECK(searcher::count_matches(some.db(), r) == searcher::count_matches(all.db(), r));
    // --from/--to count too; a query whose dates may not filter every match opens everything.
    r.query = "said";
    r.from = "2021-02-10";
    CHECK(searcher::request_day_range(r)->from == "20210210");
    r.from.clear();
    r.query = "said OR date:2021-01";
    CHECK_FALSE(searcher::request_day_range(r));
    r.query = "said date:none";
    CHECK_FALSE(searcher::request_day_range(r));
    r.query = "said -date:2021";
    CHECK_FALSE(searcher::request_day_range(r));
}

TEST_CASE("the bounded edit distance is the full table's, capped") {
    // The searcher fills only the band of the table within the bound of the diagonal
    // (searcher/spelling.cpp); the whole table, filled here, must agree on every pair.
    auto full = [](const std::string& a, const std::string& b) {
        std::vector<std::vector<unsigned>> d(a.size() + 1, std::vector<unsigned>(b.size() + 1));
        for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = static_cast<unsigned>(i);
        for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = static_cast<unsigned>(j);
        for (std::size_t i = 1; i <= a.size(); ++i)
            for (std::size_t j = 1; j <= b.size(); ++j) {
                d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0U : 1U)});
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
            }
        return d[a.size()][b.size()];
    };
    std::uint32_t state = 12345;  // a fixed sequence of words over four letters, lengths 0-9
    auto word = [&] {
        std::string w;
        state = state * 1103515245U + 12345U;
        const unsigned len = (state >> 16) % 10;
        for (unsigned k = 0; k < len; ++k) {
            state = state * 1103515245U + 12345U;
            w += static_cast<char>('a' + (state >> 16) % 4);
        }
        return w;
    };
    std::size_t within = 0;
    for (int pair = 0; pair < 4000; ++pair) {
        const std::string a = word(), b = word();
        for (const unsigned max : {1U, 2U, 3U}) {
            const unsigned expected = std::min(full(a, b), max + 1);
            INFO(a << " / " << b << ", max " << max);
            CHECK(searcher::bounded_edit_distance(a, b, max) == expected);
            within += expected <= max ? 1 : 0;
            // Within reach, the letter sets differ in 2 x max at most (suggest_word's filter).
            if (expected <= max) CHECK(std::popcount(searcher::letter_set(a) ^ searcher::letter_set(b)) <= static_cast<int>(2 * max));
        }
    }
    CHECK(within > 1000);  // the pairs reach inside the bound, not only past it
    CHECK(searcher::bounded_edit_distance("zurich", "zürich", 1) == 1);  // code points, not bytes
}

TEST_CASE("did you mean keeps the query's syntax and corrects only unknown words") {
    CHECK(searcher::bounded_edit_distance("lighthouse", "lighthuose", 2) == 1);  // a transposition is one edit
    CHECK(searcher::bounded_edit_distance("budget", "budgte", 2) == 1);
    CHECK(searcher::bounded_edit_distance("keepers", "kepers", 2) == 1);
    CHECK(searcher::bounded_edit_distance("strike", "stroke", 2) == 1);
    CHECK(searcher::bounded_edit_distance("parliament", "pay", 2) == 3);  // past the bound: bound + 1
    CHECK(searcher::bounded_edit_distance("zo\xC3\xAB", "zoe", 2) == 1);  // by letter, not byte
    std::vector<Article> arts{
        article("1", "2021-05-01", "Lighthouse keepers strike", "The lighthouse keepers walked out over pay."),
        article("2", "2021-05-03", "Budget vote", "Parliament passed the budget, a budget of Keepers Bank.")};
    const Xapian::Stem stem("english");
    for (const Spelling spelling : {Spelling::WordList, Spelling::ShardTable}) {
        // The same answers from the archive's word list and from a shard's own spelling table.
        const std::string name = spelling == Spelling::WordList ? "spelling_syntax" : "spelling_syntax_legacy";
        CAPTURE(name);
        const auto db = build_archive(name, arts, {}, spelling);
        const Xapian::Database* words = spelling == Spelling::WordList ? &words_of_archive(name) : nullptr;
        CHECK(searcher::suggest_query(db, words, stem, "Lighthuose AND budgte") == "lighthouse AND budget");
        CHECK(searcher::suggest_query(db, words, stem, "\"lighthouse kepers\" -parlaiment") ==
              "\"lighthouse keepers\" -parliament");
        CHECK(searcher::suggest_query(db, words, stem, "title:budgte lighthuose") == "title:budgte lighthouse");
        CHECK(searcher::suggest_query(db, words, stem, "org:\"kepers bank\" strike").empty());
        CHECK(searcher::suggest_query(db, words, stem, "lighthu* strike").empty());  // a wildcard is not a word
        CHECK(searcher::suggest_query(db, words, stem, "keepers strike").empty());   // nothing unknown
        CHECK(searcher::suggest_word(db, words, stem, "xylophone").empty());          // nothing close
        CHECK(searcher::suggest_word(db, words, stem, "ighthouse").empty());          // first letter wrong
        // Without the word list, an archive that has one gives no suggestion.
        if (words != nullptr) CHECK(searcher::suggest_word(db, nullptr, stem, "lighthuose").empty());
    }
}

TEST_CASE("did you mean: the word list is written once per word, and words no article holds are passed over") {
    std::vector<Article> arts{
        article("1", "2021-05-01", "Lighthouse keepers strike", "The lighthouse keepers walked out over pay."),
        article("2", "2021-05-03", "Lighthouses", "Lighthouse keepers again, and a lightship.")};
    const auto root = test::scratch("word_list");
    {
        indexer::DocumentBuilder builder;
        indexer::WordListWriter words(root / "words");
        for (const auto& a : arts) {
            (void)builder.build(a);
            words.add(builder.take_spelling_words());
        }
        words.commit();
        // lighthouse, keepers, strike, the, walked, out, over, pay; then lighthouses, again, and, a, lightship.
        CHECK(words.added() == 13);
        // A builder gives each word once: the writer is not asked about it again.
        (void)builder.build(arts[0]);
        CHECK(builder.take_spelling_words().empty());
        // Words of a build nobody took are given by the next build that has them.
        auto given = [&] {
            std::vector<std::string> out;
            for (const auto& [word, term] : builder.take_spelling_words()) out.push_back(word);
            std::sort(out.begin(), out.end());
            return out;
        };
        const Article foghorn = article("3", "2021-05-04", "Foghorn", "A foghorn sounded.");
        (void)builder.build(foghorn);
        (void)builder.build(article("4", "2021-05-05", "Foghorns", "The foghorn again."));
        CHECK(given() == std::vector<std::string>{"foghorn", "foghorns"});
        (void)builder.build(foghorn);
        CHECK(given() == std::vector<std::string>{"sounded"});
        words.add({{"lighthouse", "Zlighthous"}});  // already in the list: nothing written
        words.commit();
        CHECK(words.added() == 13);
    }
    {
        // A new writer (a later run) finds the words already in the list.
        indexer::DocumentBuilder builder;
        indexer::WordListWriter words(root / "words");
        (void)builder.build(arts[1]);
        words.add(builder.take_spelling_words());
        words.commit();
        CHECK(words.added() == 0);
    }
    const Xapian::Database list((root / "words").string());
    std::vector<std::string> l_words;
    words::for_each_word(list, "l", [&](std::string_view w) {
        l_words.emplace_back(w);
        return true;
    });
    CHECK(l_words == std::vector<std::string>{"lighthouse", "lighthouses", "lightship"});
    CHECK(list.get_metadata(words::key("keepers")) == "Zkeeper");
    // Only the first article is in the shard: "lightship" (a word of the second) is
    // in the list but in no article of this archive, so it is never suggested.
    const auto db = build_archive("word_list_shard", {arts[0]});
    const Xapian::Stem stem("english");
    CHECK(searcher::suggest_word(db, &list, stem, "lightshop").empty());
    CHECK(searcher::suggest_word(db, &list, stem, "lihgthouse") == "lighthouse");
}
