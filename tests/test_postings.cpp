/** @file test_postings.cpp
 *  @brief Morgue's own posting lists (common/postings_file.h) and the fast tiers over them
 *  (searcher/fast_tiers.h): every list reads back as Xapian holds it, and search() shows the
 *  same pages with them as with Xapian's matcher alone.
 *
 *  On two files of the Reuters-21578 corpus (2,000 stories, two month shards), with every list
 *  of two postings or more in the file, so that block decoding, seeks across blocks and the
 *  wdf forms are all exercised; shorter lists come from Xapian as in the real thing.
 */
#include "common/error.h"
#include "common/postings_file.h"
#include "common/schema.h"
#include "indexer/add_command.h"
#include "indexer/compact.h"
#include "searcher/fast_tiers.h"
#include "searcher/query_builder.h"
#include "searcher/search.h"
#include "searcher/shard_set.h"
#include "test_helpers.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

using namespace morgue;

namespace {

constexpr Xapian::doccount kTestMinPostings = 2;

/// The Reuters archive (built once), with a postings file in every shard.
const std::filesystem::path& reuters_archive() {
    static const std::filesystem::path dir = [] {
        const auto root = test::scratch("postings_reuters");
        const auto reuters = test::shared_dir() / "corpus" / "reuters21578";
        indexer::AddOptions o;
        o.archive = root / "archive";
        o.threads = 2;
        o.inputs = {(reuters / "reut2-000.sgm").string(), (reuters / "reut2-001.sgm").string()};
        std::ostringstream log;
        REQUIRE(indexer::run_add(o, log).added >= 1900);
        for (const auto& entry : std::filesystem::directory_iterator(o.archive)) {
            if (!std::filesystem::exists(entry.path() / "iamglass")) continue;
            const Xapian::Database shard(entry.path().string());
            const auto r = write_postings_file(shard, entry.path() / kPostingsFileName, kTestMinPostings);
            REQUIRE(r.terms > 0);
        }
        return o.archive;
    }();
    return dir;
}

std::vector<std::filesystem::path> shard_dirs(const std::filesystem::path& archive) {
    std::vector<std::filesystem::path> out;
    for (const auto& entry : std::filesystem::directory_iterator(archive))
        if (std::filesystem::exists(entry.path() / "iamglass")) out.push_back(entry.path());
    std::sort(out.begin(), out.end());
    return out;
}

struct Postings {
    std::vector<Xapian::docid> docids;
    std::vector<Xapian::termcount> wdfs;
};

Postings xapian_postings(const Xapian::Database& db, const std::string& term) {
    Postings p;
    for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
        p.docids.push_back(*it);
        p.wdfs.push_back(it.get_wdf());
    }
    return p;
}

/// The same search with Morgue's lists and with Xapian's matcher alone.
void same_pages(const searcher::ShardSet& set, const std::string& query, std::size_t offset) {
    CAPTURE(query);
    CAPTURE(offset);
    searcher::SearchRequest xapian;
    xapian.query = query;
    xapian.offset = offset;
    xapian.shards = set.local_shards();
    searcher::SearchRequest own = xapian;
    own.postings = set.postings();
    REQUIRE(own.postings != nullptr);
    const auto a = searcher::search(set.db(), xapian);
    const auto b = searcher::search(set.db(), own);
    CHECK(a.partial == b.partial);
    CHECK(a.did_you_mean == b.did_you_mean);
    REQUIRE(a.hits.size() == b.hits.size());
    for (std::size_t i = 0; i < a.hits.size(); ++i) {
        CAPTURE(i);
        CHECK(a.hits[i].id == b.hits[i].id);
        CHECK(a.hits[i].partial == b.hits[i].partial);
        CHECK(a.hits[i].similar == b.hits[i].similar);
        CHECK(std::fabs(a.hits[i].score - b.hits[i].score) <= 1e-9 * std::max(1.0, a.hits[i].score));
    }
    // Counts: the fast tiers know theirs exactly; where Xapian's are exact too, they agree.
    if (a.total_exact && b.total_exact) CHECK(a.total == b.total);
    if (a.total_exact) CHECK(b.total_exact);
    if (b.total_exact) CHECK(b.total == searcher::count_matches(set.db(), query));
}

}  // namespace

TEST_CASE("every list of a postings file reads back as Xapian holds it, and seeks land where Xapian's would") {
    if (!test::have_shared()) {
        MESSAGE("skipped: shared corpora not found (set MORGUE_SHARED)");
        return;
    }
    std::size_t lists = 0, postings = 0;
    for (const auto& dir : shard_dirs(reuters_archive())) {
        CAPTURE(dir);
        const Xapian::Database shard(dir.string());
        const auto file = PostingsFile::open(dir / kPostingsFileName);
        REQUIRE(file != nullptr);
        CHECK(file->fits(shard));
        CHECK(file->min_postings() == kTestMinPostings);
        for (auto t = shard.allterms_begin(); t != shard.allterms_end(); ++t) {
            const std::string term = *t;
            const auto list = file->find(term);
            const bool kept = postings_file_keeps(term) && t.get_termfreq() >= kTestMinPostings;
            CAPTURE(term);
            REQUIRE(list.has_value() == kept);
            if (!kept) continue;
            const Postings want = xapian_postings(shard, term);
            PostingsCursor c(*list);
            CHECK(c.size() == want.docids.size());
            std::size_t i = 0;
            for (; !c.at_end() && i < want.docids.size(); c.next(), ++i) {
                if (c.docid() != want.docids[i] || c.wdf() != want.wdfs[i]) {
                    CHECK(c.docid() == want.docids[i]);
                    CHECK(c.wdf() == want.wdfs[i]);
                    break;
                }
            }
            CHECK(i == want.docids.size());
            CHECK(c.at_end());
            ++lists;
            postings += want.docids.size();
            // Seeks, forward only, to docids in the list and between them.
            PostingsCursor s(*list);
            for (Xapian::docid target = 1; target <= shard.get_lastdocid() + 1; target += 1 + target % 37) {
                const auto at = std::lower_bound(want.docids.begin(), want.docids.end(), target);
                const bool found = s.seek(target);
                if (at == want.docids.end()) {
                    CHECK_FALSE(found);
                    CHECK(s.at_end());
                    break;
                }
                REQUIRE_FALSE(s.at_end());
                CHECK(s.docid() == *at);
                CHECK(found == (*at == target));
                CHECK(s.wdf() == want.wdfs[static_cast<std::size_t>(at - want.docids.begin())]);
            }
        }
    }
    MESSAGE(lists << " lists, " << postings << " postings checked");
    CHECK(lists > 1000);
}

TEST_CASE("a tier's matches over the lists: exactly the articles with enough of the words, weighed as BM25 at b = 0") {
    if (!test::have_shared()) {
        MESSAGE("skipped: shared corpora not found (set MORGUE_SHARED)");
        return;
    }
    // The biggest shard.
    auto dirs = shard_dirs(reuters_archive());
    std::sort(dirs.begin(), dirs.end(), [](const auto& a, const auto& b) {
        return Xapian::Database(a.string()).get_doccount() > Xapian::Database(b.string()).get_doccount();
    });
    const Xapian::Database shard(dirs.front().string());
    const auto file = PostingsFile::open(dirs.front() / kPostingsFileName);
    REQUIRE(file != nullptr);
    const std::vector<std::pair<std::string, double>> boosts{{"XORG:opec", 0.5}};
    auto holds = [&](const std::string& term, Xapian::docid did) {
        Xapian::PostingIterator p = shard.postlist_begin(term);
        p.skip_to(did);
        return p != shard.postlist_end(term) && *p == did;
    };
    // Lists of like lengths (decoded whole and counted); one far longer than the others
    // together ("said", left to seeks while the rarer two drive; for all three words, every list
    // but the rarest is long beside it: leapfrog); all of four words where two lists are left
    // to seeks.
    const std::vector<std::vector<std::string>> sets{
        {"Zoil", "Zprice", "Zcrude", "Zopec"}, {"Zsaid", "Zcocoa", "Zexport"}, {"Zopec", "Zsaid", "Zcrude", "Zdlrs"}};
    CHECK(shard.get_termfreq("Zsaid") > 8 * (shard.get_termfreq("Zcocoa") + shard.get_termfreq("Zexport")));
    CHECK(shard.get_termfreq("Zexport") > 8 * shard.get_termfreq("Zcocoa"));
    CHECK(shard.get_termfreq("Zcrude") < 8 * shard.get_termfreq("Zopec"));
    CHECK(shard.get_termfreq("Zdlrs") > 8 * shard.get_termfreq("Zopec"));
    for (const auto& words : sets)
    for (std::size_t need = 1; need <= words.size(); ++need) {
        // Nothing left out; the articles with every word; those with the first word and a
        // term that is not a word of the tier.
        for (const int excluding : {0, 1, 2}) {
            const bool exclude_all = excluding == 1;
            const std::vector<std::string> excluded = excluding == 0   ? std::vector<std::string>{}
                                                      : excluding == 1 ? words
                                                                       : std::vector<std::string>{words[0], "Zyear"};
            CAPTURE(need);
            CAPTURE(excluding);
            const auto spec = searcher::tier_spec(shard, words, boosts, need, excluded, schema::kWdfScale);
            const auto got = searcher::match_tier(spec, file.get(), shard);
            // Brute force: every article, each word looked up in Xapian.
            std::map<Xapian::docid, std::pair<std::size_t, double>> expect;
            for (std::size_t i = 0; i < words.size(); ++i)
                for (auto p = shard.postlist_begin(words[i]); p != shard.postlist_end(words[i]); ++p) {
                    const double wdf = p.get_wdf();
                    auto& e = expect[*p];
                    ++e.first;
                    e.second += spec.words[i].termweight * (wdf / (schema::kWdfScale + wdf));
                }
            std::vector<searcher::TierMatch> want;
            for (const auto& [did, e] : expect) {
                if (e.first < need || (exclude_all && e.first == words.size())) continue;
                if (excluding == 2 && holds(words[0], did) && holds("Zyear", did)) continue;
                double w = e.second;
                Xapian::PostingIterator b = shard.postlist_begin(boosts[0].first);
                b.skip_to(did);
                if (b != shard.postlist_end(boosts[0].first) && *b == did) {
                    const double wdf = b.get_wdf();
                    w += spec.boosts[0].termweight * (wdf / (schema::kWdfScale + wdf));
                }
                want.push_back({did, w});
            }
            REQUIRE(got.size() == want.size());
            for (std::size_t i = 0; i < got.size(); ++i) {
                CHECK(got[i].docid == want[i].docid);
                CHECK(std::fabs(got[i].weight - want[i].weight) <= 1e-9 * std::max(1.0, want[i].weight));
            }
            if (need == 2 && excluding == 0) CHECK(got.size() > (words.size() == 4 ? 50U : 10U));
            if (need == words.size() && excluding == 0 && words.size() == 4) CHECK_FALSE(got.empty());
        }
    }
}

TEST_CASE("search shows the same pages over the archive's own lists as with Xapian's matcher") {
    if (!test::have_shared()) {
        MESSAGE("skipped: shared corpora not found (set MORGUE_SHARED)");
        return;
    }
    const searcher::ShardSet set(reuters_archive().string());
    REQUIRE(set.local_shards() != nullptr);  // several shards: the sources are per shard
    REQUIRE(set.postings() != nullptr);
    const auto runs_before = searcher::fast_tier_runs();
    const std::vector<std::string> queries{
        "oil",                            "oil prices",                 "crude oil opec output",
        "bank interest rates cut",        "coffee quota talks brazil",  "U.S. trade deficit japan",
        "wheat export subsidies soviet",  "gold mine ounces",           "zzzunknown oil prices",
        "oil OR gold",                    "\"interest rates\" bank",    "date:1987-03 oil prices",
        "sugar cocoa coffee tea rubber",  "the of and",                 "shipping strike port workers union",
        "oil, crude prices, opec"};
    for (const auto& q : queries)
        for (const std::size_t offset : {0, 10}) same_pages(set, q, offset);
    CHECK(searcher::fast_tier_runs() > runs_before);
    // Words grouped after commas (QueryParser nests them: oil AND (crude AND prices) AND opec)
    // are plain words too.
    searcher::QueryBuilder qb(set.db());
    const auto grouped = qb.parse("oil, crude prices, opec").query;
    CHECK(grouped.get_description().find("(Zcrude@2 AND Zprice@3)") != std::string::npos);
    CHECK(searcher::plain_words(grouped, Xapian::Query::OP_AND) == std::vector<std::string>{"Zoil", "Zcrude", "Zprice", "Zopec"});
    CHECK(searcher::plain_words(qb.parse("oil \"crude prices\"").query, Xapian::Query::OP_AND).empty());
}

TEST_CASE("a postings file out of date is left out; a damaged one is an error naming it, and search goes on") {
    if (!test::have_shared()) {
        MESSAGE("skipped: shared corpora not found (set MORGUE_SHARED)");
        return;
    }
    const auto root = test::scratch("postings_stale");
    std::filesystem::copy(reuters_archive(), root / "archive", std::filesystem::copy_options::recursive);
    const auto archive = root / "archive";
    const auto dirs = shard_dirs(archive);
    REQUIRE(dirs.size() >= 2);
    {
        // A late article added to the first shard: its file no longer fits it.
        Xapian::WritableDatabase w(dirs.front().string());
        Xapian::Document doc = w.get_document(1);
        w.add_document(doc);
        w.commit();
    }
    {
        const Xapian::Database shard(dirs.front().string());
        CHECK_FALSE(PostingsFile::open(dirs.front() / kPostingsFileName)->fits(shard));
        const searcher::ShardSet set(archive.string());
        REQUIRE(set.postings() != nullptr);  // the other shard's still fits
        CHECK(set.postings()->for_shard(set.local_shards()->front()) == nullptr);
        for (const std::string q : {"oil prices", "bank interest rates cut"}) same_pages(set, q, 0);
    }
    // Damaged: cut short, then not a postings file at all.
    const auto file = dirs.back() / kPostingsFileName;
    std::filesystem::resize_file(file, 100);
    CHECK_THROWS_WITH_AS((void)PostingsFile::open(file), doctest::Contains(doctest::String(file.string().c_str())), ArchiveError);
    {
        std::ofstream(file, std::ios::trunc) << std::string(4096, 'x');
    }
    CHECK_THROWS_WITH_AS((void)PostingsFile::open(file), doctest::Contains("not a postings file"), ArchiveError);
    const searcher::ShardSet set(archive.string());  // warns, and searches without it
    searcher::SearchRequest r;
    r.query = "oil prices";
    r.shards = set.local_shards();
    r.postings = set.postings();
    CHECK(searcher::search(set.db(), r).hits.size() == 10);
    // morgue-index postings writes both again; the archive is whole.
    std::ostringstream log;
    CHECK(indexer::run_write_postings(archive, false, log) == 2);
    const searcher::ShardSet fixed(archive.string());
    REQUIRE(fixed.postings() != nullptr);
    for (const auto& shard : *fixed.local_shards()) CHECK(fixed.postings()->for_shard(shard) != nullptr);
    CHECK(indexer::run_write_postings(archive, false, log) == 0);  // nothing left to write
}
