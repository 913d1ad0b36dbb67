/** @file test_nightly.cpp
 *  @brief Nightly indexing: fingerprints, date-range shard selection, and every Reuters group of identical bodies folding.
 */
#include "common/article.h"
#include "common/date.h"
#include "common/dictionary_cache.h"
#include "common/schema.h"
#include "common/shard_select.h"
#include "common/stored_article.h"
#include "common/word_list.h"
#include "corpus/reader.h"
#include "indexer/add_command.h"
#include "indexer/archive_writer.h"
#include "common/postings_file.h"
#include "indexer/compact.h"
#include "indexer/glass_compression.h"
#include "indexer/simhash.h"
#include "searcher/search.h"
#include "test_helpers.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <xapian.h>

#include <atomic>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

using namespace morgue;

TEST_CASE("simhash: identical texts agree, an edit stays near, another text is far") {
    const std::string a =
        "The central bank raised its key interest rate by a quarter point on Tuesday, citing persistent inflation "
        "in services and a tight labour market, and signalled that further increases were possible this year.";
    const std::string edited = a + " Markets had expected the move.";
    const std::string other =
        "Heavy rain flooded the lower town overnight and the river rose above its banks, forcing the council to "
        "open two schools as shelters while crews cleared fallen trees from the coast road.";
    const auto fa = indexer::fingerprint(a);
    REQUIRE(fa);
    CHECK(indexer::fingerprint(a)->simhash == fa->simhash);
    CHECK(indexer::hamming(fa->simhash, indexer::fingerprint(edited)->simhash) <= 12);
    CHECK(indexer::hamming(fa->simhash, indexer::fingerprint(other)->simhash) > indexer::kMaxDistance);
    CHECK_FALSE(indexer::fingerprint(" -- "));
    CHECK(indexer::fingerprint("Blah blah blah.")->simhash == indexer::fingerprint("blah, BLAH blah")->simhash);
    CHECK(indexer::fingerprint("Blah blah blah.")->simhash != indexer::fingerprint("blah blah")->simhash);
    // Case and punctuation do not matter.
    std::string upper = a;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CHECK(indexer::fingerprint(upper)->simhash == fa->simhash);
}

namespace {

/// The simhash of fingerprint() written the plain way: each word built and FNV-1a hashed, each
/// 3-word shingle voting +1 / -1 on all 64 bits.
std::uint64_t plain_simhash(std::string_view text) {
    auto mix = [](std::uint64_t h) {
        h ^= h >> 31;
        h *= 0x9e3779b97f4a7c15ULL;
        h ^= h >> 29;
        h *= 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 32;
        return h;
    };
    std::vector<std::uint64_t> words;
    std::string word;
    auto end_word = [&] {
        if (word.empty()) return;
        std::uint64_t h = 1469598103934665603ULL;
        for (const unsigned char c : word) {
            h ^= c;
            h *= 1099511628211ULL;
        }
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdULL;
        h ^= h >> 33;
        words.push_back(h);
        word.clear();
    };
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) || c >= 0x80) word.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
        else end_word();
    }
    end_word();
    std::uint64_t out = 0;
    if (words.size() < 5) {
        for (const std::uint64_t w : words) out = mix(out ^ w);
        return out;
    }
    std::array<long, 64> votes{};
    for (std::size_t i = 0; i + 3 <= words.size(); ++i) {
        std::uint64_t h = 0;
        for (std::size_t k = 0; k < 3; ++k) h = mix(h ^ (words[i + k] + k));
        for (std::size_t bit = 0; bit < 64; ++bit) votes[bit] += ((h >> bit) & 1U) ? 1 : -1;
    }
    for (std::size_t bit = 0; bit < 64; ++bit)
        if (votes[bit] > 0) out |= 1ULL << bit;
    return out;
}

}  // namespace

TEST_CASE("simhash: the vote counted 8 bits to a lane gives the plain vote's fingerprint") {
    // Generated texts of 0 to 3,000 words (past 255 shingles, where the lanes are emptied),
    // mixed case, digits, punctuation and UTF-8 bytes.
    const std::vector<std::string> vocab = {"Strike", "dock", "HALIFAX", "1987", "union", "wage", "talks", "Café",
                                            "ministry", "port's", "x", "a", "the", "of", "rain", "cargo"};
    std::uint64_t state = 88172645463325252ULL;
    auto next = [&] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    int compared = 0;
    for (int t = 0; t < 300; ++t) {
        std::string text;
        const std::size_t n = next() % (t < 100 ? 12 : 3000);
        for (std::size_t i = 0; i < n; ++i) {
            text += vocab[next() % vocab.size()];
            text += (next() % 7 == 0) ? ", " : (next() % 11 == 0 ? ".\n\n" : " ");
        }
        const auto fp = indexer::fingerprint(text);
        if (!fp) {
            CHECK(text.empty());
            continue;
        }
        CHECK(fp->simhash == plain_simhash(text));
        ++compared;
    }
    CHECK(compared > 250);
    // One shingle over and over: every set bit counted in every shingle (each lane's bytes fill).
    for (const std::size_t n : {254, 255, 256, 257, 600, 2000}) {
        std::string same, cycle;
        for (std::size_t i = 0; i < n; ++i) {
            same += "dock ";
            cycle += vocab[i % 3] + " ";
        }
        CHECK(indexer::fingerprint(same)->simhash == plain_simhash(same));
        CHECK(indexer::fingerprint(cycle)->simhash == plain_simhash(cycle));
    }
}

TEST_CASE("shards_for_range opens only the shards a date range needs") {
    const auto dir = test::scratch("shard_select");
    std::ofstream(dir / "XAPIANDB") << "glass 1986\nglass 1987-01\nglass 1987-02\nglass 1987.2\nglass undated\n";
    auto names = [&](const std::optional<DayRange>& r) {
        std::vector<std::string> out;
        for (const auto& p : shards_for_range(dir, r)) out.push_back(p.filename().string());
        return out;
    };
    CHECK(names(std::nullopt).size() == 5);
    CHECK(names(DayRange{"19870201", "19870215"}) == std::vector<std::string>{"1987-02", "1987.2"});
    CHECK(names(DayRange{"", "19861231"}) == std::vector<std::string>{"1986"});
    CHECK(names(DayRange{"19880101", ""}).empty());
    CHECK(names(DayRange{"19861231", "19870101"}) == std::vector<std::string>{"1986", "1987-01", "1987.2"});
    CHECK_FALSE(shard_day_range("undated"));
    CHECK(shard_day_range("2024-02")->to == "20240229");
    // Spans of years (compact by size).
    CHECK(shard_day_range("1996..2003")->from == "19960101");
    CHECK(shard_day_range("1996..2003")->to == "20031231");
    CHECK(shard_day_range("1996..2003.2")->to == "20031231");
    CHECK(shard_day_range("1996..20x3")->from.empty());  // unknown form: always opened
}

TEST_CASE("Reuters-21578: every group of identical bodies folds under one cluster key") {
    if (!test::have_shared()) {
        MESSAGE("skipped: shared corpora not found (set MORGUE_SHARED)");
        return;
    }
    std::vector<Article> all;
    corpus::Sink sink;
    sink.article = [&](Article&& a) { all.push_back(std::move(a)); };
    sink.reject = [](corpus::Reject&&) {};
    sink.skipped = [](const std::string&, const std::string&) {};
    corpus::read_path((test::shared_dir() / "corpus" / "reuters21578").string(), corpus::Format::Auto, sink);
    REQUIRE(all.size() >= 17000);
    std::map<std::string, std::set<std::string>> by_body;
    for (const auto& a : all)
        if (!a.body.empty()) by_body[a.body].insert(a.id);
    // Bodies without a single word ("******"), Reuters' placeholder
    // "******Blah blah blah." and a bare "REUTER" sign-off (which ingest
    // cleaning drops as debris) are left
    // out: they belong to different stories (their titles differ), and folding
    // them would hide those stories.
    std::vector<std::set<std::string>> groups;
    std::size_t wordless = 0;
    for (auto& [body, ids] : by_body) {
        if (ids.size() < 2) continue;
        const bool placeholder = body.find("Blah blah blah") != std::string::npos || body == "REUTER" || body == "Reuter";
        if (indexer::fingerprint(body) && !placeholder) groups.push_back(ids);
        else ++wordless;
    }
    MESSAGE("Reuters: " << groups.size() << " groups of identical bodies with words; " << wordless
                        << " groups of wordless or placeholder bodies left out");
    INFO("groups of identical bodies: " << groups.size());
    CHECK(groups.size() > 250);

    // Index the members of every group, through the real pipeline.
    std::set<std::string> members;
    for (const auto& g : groups) members.insert(g.begin(), g.end());
    const auto dir = test::scratch("reuters_dups");
    const auto input = dir / "members.jsonl";
    {
        std::ofstream out(input);
        for (const auto& a : all) {
            if (!members.count(a.id)) continue;
            nlohmann::json j{{"id", a.id}, {"title", a.title}, {"body", a.body}, {"source", a.source}};
            if (a.date) j["date"] = format_iso8601(*a.date);
            out << j.dump() << '\n';
        }
    }
    indexer::AddOptions o;
    o.archive = dir / "archive";
    o.inputs = {input.string()};
    o.threads = 2;
    std::ostringstream log;
    const auto summary = indexer::run_add(o, log);
    CHECK(summary.added == members.size());

    Xapian::Database db((dir / "archive").string());
    std::size_t folded = 0;
    for (const auto& g : groups) {
        std::set<std::string> keys;
        for (const auto& id : g) {
            const std::string term = schema::make_term(schema::kPrefixId, id);
            auto pl = db.postlist_begin(term);
            REQUIRE(pl != db.postlist_end(term));
            keys.insert(db.get_document(*pl).get_value(schema::kSlotCluster));
        }
        if (keys.size() == 1 && !keys.begin()->empty()) ++folded;
        else MESSAGE("group not folded: " << *g.begin() << " (" << g.size() << " articles, " << keys.size() << " keys)");
    }
    CHECK(folded == groups.size());
    CHECK(summary.duplicates == members.size() - groups.size());

    // The searcher's folded count over every member: one result per group. Collapsing every
    // matching copy, it is exact; allowed fewer, an estimate from the first clusters, said to be one.
    const Xapian::Query every(schema::make_term(schema::kPrefixYear, "1987"));
    const auto all_members = db.get_termfreq(schema::make_term(schema::kPrefixYear, "1987"));
    CHECK(all_members == members.size());
    const auto [exact, is_exact] = searcher::folded_count(db, every, all_members, 100000);
    CHECK(is_exact);
    CHECK(exact == groups.size());
    const auto [sampled, sampled_exact] = searcher::folded_count(db, every, all_members, 64);
    CHECK_FALSE(sampled_exact);
    CHECK(static_cast<double>(sampled) == doctest::Approx(static_cast<double>(groups.size())).epsilon(0.1));
    // And through search(): the folded total of a page agrees.
    searcher::SearchRequest r;
    r.query = "date:1987";
    const auto res = searcher::search(db, r);
    CHECK(res.total == members.size());
    CHECK(res.total_folded == groups.size());
}

TEST_CASE("route_shard: a month, else the compacted shard holding its whole year, spans first") {
    const auto day = [](int y, int m) { return std::optional<UnixTime>(days_from_civil(y, m, 15) * 86400); };
    CHECK(indexer::route_shard(std::nullopt, {"1997"}) == "undated");
    CHECK(indexer::route_shard(day(1997, 5), {}) == "1997-05");
    CHECK(indexer::route_shard(day(1997, 5), {"1997-05", "1997"}) == "1997");
    CHECK(indexer::route_shard(day(1997, 5), {"1997", "1997.2"}) == "1997.2");
    CHECK(indexer::route_shard(day(1997, 5), {"1996..1998", "1997"}) == "1996..1998");
    CHECK(indexer::route_shard(day(1997, 5), {"1996..1998", "1996..1998.2"}) == "1996..1998.2");
    CHECK(indexer::route_shard(day(1999, 5), {"1996..1998", "1998"}) == "1999-05");
}

TEST_CASE("a re-run recognises unchanged articles without tagging them; changed ones are tagged") {
    const auto dir = test::scratch("rerun_untagged");
    auto line = [](int i, const std::string& body) {
        const std::string n = std::to_string(i);
        nlohmann::json j;
        j["id"] = std::string("a").append(n);
        j["title"] = std::string("Harbour report ").append(n);
        j["body"] = body;
        j["date"] = std::string("2021-03-0").append(std::to_string(1 + i % 9)).append("T10:00:00Z");
        return j.dump();
    };
    auto write = [&](const std::string& name, const std::vector<std::string>& lines) {
        const auto path = dir / name;
        std::ofstream out(path);
        for (const auto& l : lines) out << l << '\n';
        return path.string();
    };
    std::vector<std::string> lines;
    for (int i = 0; i < 100; ++i)  // over 64: a new archive tags them first and trains its dictionary on them
        lines.push_back(line(i, "Dockers in Halifax met on day " + std::to_string(i) + " to talk about the strike."));
    const std::string first = write("first.jsonl", lines);

    std::atomic<int> tagged{0};
    indexer::AddOptions o;
    o.archive = dir / "archive";
    o.threads = 2;
    o.enricher = [&](Article& a) {
        ++tagged;
        a.entities.push_back(ArticleEntity{EntityKind::Place, "Halifax", "halifax", 1, false, true, false});
    };
    std::ostringstream log;
    o.inputs = {first};
    CHECK(indexer::run_add(o, log).added == 100);
    CHECK(tagged == 100);

    tagged = 0;
    const auto again = indexer::run_add(o, log);
    CHECK(again.unchanged == 100);
    CHECK(tagged == 0);

    // a7 changed, then a7 as it was: the second is unchanged against the archive as the
    // run started but not against the run itself, so the writer tags and builds it.
    const std::string changed = line(7, "Dockers in Halifax settled the strike.");
    o.inputs = {write("second.jsonl", {changed, lines[7]})};
    tagged = 0;
    const auto third = indexer::run_add(o, log);
    CHECK(third.replaced == 2);
    CHECK(tagged == 2);
    Xapian::Database db((dir / "archive").string());
    const std::string id_term = schema::make_term(schema::kPrefixId, "a7");
    auto pl = db.postlist_begin(id_term);
    REQUIRE(pl != db.postlist_end(id_term));
    bool has_place = false;
    for (auto t = db.termlist_begin(*pl); t != db.termlist_end(*pl); ++t) has_place = has_place || *t == "XPLACE:halifax";
    CHECK(has_place);
    // The writer stored the hash of a7 as read: the first input is unchanged again.
    o.inputs = {first};
    tagged = 0;
    CHECK(indexer::run_add(o, log).unchanged == 100);
    CHECK(tagged == 0);
}

namespace {

/// Every stored article of an archive (opened through its stub), as JSON, by id.
std::map<std::string, std::string> stored_articles(const std::filesystem::path& archive) {
    const Xapian::Database db((archive / "XAPIANDB").string());
    DictionaryCache dicts;
    std::map<std::string, std::string> out;
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
        const Article a = decode_stored_article(db.get_document(*it).get_data(), db, dicts);
        out[a.id] = article_to_json(a);
    }
    return out;
}

}  // namespace

TEST_CASE("compaction compresses a closed year again with a dictionary of its own; every article reads back the same") {
    if (!test::have_shared()) {
        MESSAGE("skipped: shared corpora not found (set MORGUE_SHARED)");
        return;
    }
    const auto dir = test::scratch("recompress");
    const auto reuters = test::shared_dir() / "corpus" / "reuters21578";
    indexer::AddOptions o;
    o.archive = dir / "archive";
    o.threads = 2;
    // The nightly dictionary learns from the first 400 articles (a long-running archive's was
    // trained on articles of years before), the year's own from all of it.
    o.dict_samples = 400;
    o.inputs = {(reuters / "reut2-000.sgm").string(), (reuters / "reut2-001.sgm").string(),
                (reuters / "reut2-002.sgm").string()};
    std::ostringstream log;
    const auto before_add = indexer::glass_deflate_counts();
    const auto added = indexer::run_add(o, log).added;
    REQUIRE(added >= 2900);
    // No zlib while adding (indexer/glass_compression.h): every data and term-list tag skipped.
    const auto after_add = indexer::glass_deflate_counts();
    CHECK(after_add.passed == before_add.passed);
    CHECK(after_add.skipped >= before_add.skipped + 2 * added);
    const auto before = stored_articles(o.archive);
    const Xapian::Database nightly((o.archive / "1987-03").string());
    const std::string nightly_dict_term = *nightly.allterms_begin(std::string(schema::kPrefixDict));

    // A searcher that opened the archive before the compaction (its stub and the month shard).
    const Xapian::Database held(o.archive.string());
    REQUIRE(held.get_doccount() == static_cast<Xapian::doccount>(added));

    indexer::CompactOptions c;
    c.archive = o.archive;
    c.before = "2026-01";
    c.span_bytes = 0;
    const auto report = indexer::run_compact(c, log);
    REQUIRE(report.merges.size() == 1);
    // The month the year replaced is gone from the disk, not kept in the trash...
    CHECK_FALSE(std::filesystem::exists(o.archive / "1987-03"));
    CHECK_FALSE(std::filesystem::exists(o.archive / ".morgue" / "trash" / "1987-03"));
    // ... and the searcher that had it open still reads every article of it.
    {
        DictionaryCache dicts;
        std::size_t read = 0;
        for (auto pl = held.postlist_begin(""); pl != held.postlist_end(""); ++pl)
            if (!decode_stored_article(held.get_document(*pl).get_data(), held, dicts).id.empty()) ++read;
        CHECK(read == held.get_doccount());
    }
    // The compactor deflates each term list it copies; no stored article (copied, then stored
    // again at level 12) goes to zlib.
    const auto after_compact = indexer::glass_deflate_counts();
    CHECK(after_compact.passed >= after_add.passed + added);
    CHECK(after_compact.skipped >= after_add.skipped + 2 * added);
    const auto& m = report.merges.front();
    CHECK(m.shard == "1987");
    // Morgue's own posting lists for the merged year, for its revision (common/postings_file.h).
    {
        const Xapian::Database year((o.archive / "1987").string());
        const auto postings = PostingsFile::open(o.archive / "1987" / kPostingsFileName);
        REQUIRE(postings != nullptr);
        CHECK(postings->fits(year));
        CHECK(postings->doccount() == year.get_doccount());
    }
    MESSAGE("1987, " << m.store.articles << " articles: store " << m.store.bytes_before << " -> " << m.store.bytes_after
                     << " bytes, dictionaries " << m.store.dictionary_bytes_before << " -> " << m.store.dictionary_bytes
                     << " bytes, level 12");
    CHECK(m.store.dictionary_bytes > 0);
    CHECK(m.store.rewritten == m.store.articles);
    // Smaller with its dictionary than before with the nightly one (each shard carries a copy).
    CHECK(m.store.dictionary_bytes_before > 0);
    CHECK(m.store.bytes_after + m.store.dictionary_bytes < m.store.bytes_before + m.store.dictionary_bytes_before);
    CHECK(m.store.dictionaries_removed == 1);  // the nightly dictionary: no article names it any more

    // The same articles, byte for byte, through the stub.
    CHECK(stored_articles(o.archive) == before);
    {
        const Xapian::Database year((o.archive / "1987").string());
        const std::string own = std::string(schema::kPrefixDict) + std::to_string(m.store.dictionary_id);
        CHECK(year.get_termfreq(own) == 1);
        CHECK(year.get_termfreq(nightly_dict_term) == 0);
        CHECK(year.get_termfreq(std::string(schema::kTermDictionary)) == 1);
        CHECK(year.get_metadata(std::string(schema::kDictMetadataPrefix) + std::to_string(m.store.dictionary_id)).size() ==
              m.store.dictionary_bytes);
    }
    CHECK(indexer::run_verify(o.archive).ok());

    // A late article of 1987 is written into the year with the nightly dictionary, which the year
    // now carries again beside its own.
    const auto late = dir / "late.jsonl";
    std::ofstream(late) << R"({"id":"late-1987","title":"Late wheat report","body":"Wheat shipments from the port )"
                           R"(rose in March, traders said, as barges returned after the thaw.","date":"1987-03-09T12:00:00Z"})"
                        << '\n';
    o.inputs = {late.string()};
    CHECK(indexer::run_add(o, log).added == 1);
    const auto after = stored_articles(o.archive);
    CHECK(after.size() == before.size() + 1);
    REQUIRE(after.count("late-1987") == 1);
    CHECK(after.at("late-1987").find("barges returned") != std::string::npos);
    CHECK(Xapian::Database((o.archive / "1987").string()).get_termfreq(nightly_dict_term) == 1);
    const auto verified = indexer::run_verify(o.archive);
    CHECK(verified.ok());
    // The word list ("did you mean") has the words of every run, the late article's too.
    CHECK(verified.words > 1000);
    const Xapian::Database list(ArchiveLayout(o.archive).words_db().string());
    CHECK(list.get_metadata(words::key("barges")) == "Zbarg");
    CHECK(list.get_metadata(words::key("thaw")) == "Zthaw");
    // The searcher finds it from the archive directory and from the archive's own stub.
    CHECK(words::open_for(o.archive.string()).has_value());
    CHECK(words::open_for((o.archive / "XAPIANDB").string()).has_value());
    CHECK_FALSE(words::open_for((o.archive / "1987").string()).has_value());  // a shard alone
}
