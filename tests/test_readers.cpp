/** @file test_readers.cpp
 *  @brief Each reader on the real shared files and on small generated fixtures of the bad cases.
 */
#include "common/error.h"
#include "common/text.h"
#include "corpus/date_parse.h"
#include "corpus/input_stream.h"
#include "corpus/jsonl_reader.h"
#include "corpus/newsml_reader.h"
#include "corpus/reader.h"
#include "corpus/sgml_reader.h"
#include "corpus/text_reader.h"
#include "test_helpers.h"

#include <doctest/doctest.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <future>
#include <thread>

#include <unistd.h>

using namespace morgue;
namespace fs = std::filesystem;

namespace {

struct Collected {
    std::vector<Article> articles;
    std::vector<corpus::Reject> rejects;
    std::vector<std::string> skipped;
    corpus::Sink sink() {
        corpus::Sink s;
        s.article = [this](Article&& a) { articles.push_back(std::move(a)); };
        s.reject = [this](corpus::Reject&& r) { rejects.push_back(std::move(r)); };
        s.skipped = [this](const std::string& f, const std::string& why) { skipped.push_back(f + ": " + why); };
        return s;
    }
    const Article* find(const std::string& id) const {
        for (const auto& a : articles)
            if (a.id == id) return &a;
        return nullptr;
    }
};

void write_file(const fs::path& p, const std::string& bytes) {
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out << bytes;
}

std::string zstd_compress(const std::string& s) {
    std::string out(ZSTD_compressBound(s.size()), '\0');
    out.resize(ZSTD_compress(out.data(), out.size(), s.data(), s.size(), 3));
    return out;
}

std::string gzip_compress(const std::string& s) {
    z_stream zs{};
    deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&zs, static_cast<uLong>(s.size())) + 32, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(s.data()));
    zs.avail_in = static_cast<uInt>(s.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

bool has_entity(const Article& a, EntityKind kind, const std::string& key) {
    return std::any_of(a.entities.begin(), a.entities.end(),
                       [&](const ArticleEntity& e) { return e.kind == kind && e.key == key && e.given; });
}

}  // namespace

// ---------------------------------------------------------------- Reuters-21578 SGML

/// All 18 files of Reuters-21578 into c.
void read_reuters(Collected& c) {
    const fs::path dir = test::shared_dir() / "corpus/reuters21578";
    for (int i = 0; i <= 17; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "reut2-%03d.sgm", i);
        corpus::read_path((dir / name).string(), corpus::Format::Auto, c.sink());
    }
}

TEST_CASE("Reuters-21578: all 18,000 stories, dated Feb-Jun 1987, metadata kept") {
    if (!test::have_shared()) {
        MESSAGE("skipped: shared corpus not found at " << test::shared_dir());
        return;
    }
    Collected c;
    read_reuters(c);
    CHECK(c.rejects.empty());
    REQUIRE(c.articles.size() == 18000);
    std::set<std::string> ids;
    const UnixTime from = *corpus::parse_date("1987-02-01"), to = *corpus::parse_date("1987-07-01");
    std::size_t places = 0, people = 0, orgs = 0, topics = 0, untitled = 0;
    for (const auto& a : c.articles) {
        ids.insert(a.id);
        REQUIRE(a.date.has_value());
        CHECK((*a.date >= from && *a.date < to));
        CHECK(text::is_valid_utf8(a.title + a.body));
        places += std::any_of(a.entities.begin(), a.entities.end(), [](auto& e) { return e.kind == EntityKind::Place; });
        people += std::any_of(a.entities.begin(), a.entities.end(), [](auto& e) { return e.kind == EntityKind::Person; });
        orgs += std::any_of(a.entities.begin(), a.entities.end(), [](auto& e) { return e.kind == EntityKind::Org; });
        topics += a.topics.empty() ? 0 : 1;
        untitled += a.title.empty() ? 1 : 0;
    }
    CHECK(ids.size() == 18000);
    CHECK(places == 15784);  // the shared README's counts
    CHECK(people == 930);
    CHECK(topics == 9747);
    CHECK(orgs >= 748);  // ORGS, plus EXCHANGES
    CHECK(untitled < 720);  // UNPROC stories take their first line as the title

    const Article* first = c.find("reuters21578:1");
    REQUIRE(first);
    CHECK(first->title == "BAHIA COCOA REVIEW");
    CHECK(first->dateline == "SALVADOR, Feb 26");
    CHECK(first->date == 541350061);  // 26-FEB-1987 15:01:01
    CHECK(first->topics == std::vector<std::string>{"cocoa"});
    CHECK(has_entity(*first, EntityKind::Place, "el salvador"));
    CHECK(has_entity(*first, EntityKind::Place, "usa"));
    CHECK(first->body.rfind("Showers continued throughout the week in the Bahia cocoa zone,", 0) == 0);
    CHECK(first->body.find("&#") == std::string::npos);

    const Article* empty = c.find("reuters21578:12793");  // no text at all: still an article
    REQUIRE(empty);
    CHECK(empty->title.empty());
    CHECK(empty->body.empty());
    CHECK(empty->date.has_value());

    // The one raw Latin-1 byte (0xFC) in reut2-017 comes out as UTF-8 "ü".
    const bool umlaut = std::any_of(c.articles.begin(), c.articles.end(), [](const Article& a) {
        return a.id.rfind("reuters21578:17", 0) == 0 && a.body.find("\xC3\xBC") != std::string::npos;
    });
    CHECK(umlaut);
}

TEST_CASE("Reuters SGML fixtures: missing parts, a bad story, a truncated file") {
    const std::string story_ok =
        "<REUTERS TOPICS=\"NO\" NEWID=\"7\">\n<DATE> 2-MAR-1987 10:00:00.00&#5;&#5;RM</DATE>\n"
        "<TOPICS></TOPICS><PLACES><D>uk</D></PLACES><PEOPLE><D>thatcher</D></PEOPLE><ORGS></ORGS>"
        "<EXCHANGES><D>lse</D></EXCHANGES>\n<TEXT TYPE=\"UNPROC\">&#2;\nBANK RATES TABLE\n Base rate ....10 pct\n"
        " Call money .....9 pct\n&#3;\n</TEXT>\n</REUTERS>\n";
    const std::string story_bad = "<REUTERS TOPICS=\"NO\">\n<DATE>2-MAR-1987</DATE>\n</REUTERS>\n";
    const std::string story_cut = "<REUTERS NEWID=\"9\">\n<DATE>3-MAR-1987 10:00:00.00</DATE>\n<TEXT>cut";
    std::istringstream in("<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n" + story_ok + story_bad + story_cut);
    Collected c;
    corpus::read_reuters_sgml(in, "fx.sgm", c.sink());
    REQUIRE(c.articles.size() == 1);
    const Article& a = c.articles[0];
    CHECK(a.id == "reuters21578:7");
    CHECK(a.title == "BANK RATES TABLE");
    CHECK(a.body == "Base rate ....10 pct\n\nCall money .....9 pct");
    CHECK(a.date == corpus::parse_date("1987-03-02T10:00:00Z"));
    CHECK(has_entity(a, EntityKind::Person, "thatcher"));
    CHECK(has_entity(a, EntityKind::Org, "lse"));
    REQUIRE(c.rejects.size() == 2);
    CHECK(c.rejects[0].line == 12);
    CHECK(c.rejects[0].reason == "REUTERS element without a numeric NEWID");
    CHECK(c.rejects[1].line == 15);
    CHECK(c.rejects[1].reason.find("not closed") != std::string::npos);
    CHECK(c.rejects[1].raw.find("<TEXT>cut") != std::string::npos);
}

TEST_CASE("stored JSON: article_to_json writes nlohmann's text byte for byte, for every Reuters and RCV1 story") {
    // The content hashes of stored articles (re-runs recognise unchanged ones by them) are
    // of this text, so the direct writer must not change a byte of what the DOM wrote.
    if (!test::have_shared()) {
        MESSAGE("skipped: shared corpus not found at " << test::shared_dir());
        return;
    }
    Collected c;
    read_reuters(c);
    corpus::read_path((test::shared_dir() / "corpus/rcv1_ifn647/docs").string(), corpus::Format::Auto, c.sink());
    REQUIRE(c.articles.size() == 18000 + 1866);
    std::size_t with_entities = 0, differ = 0;
    for (const auto& a : c.articles) {
        with_entities += a.entities.empty() ? 0 : 1;
        if (article_to_json(a) != article_to_json_reference(a)) {
            if (++differ <= 3) CHECK(article_to_json(a) == article_to_json_reference(a));
        }
    }
    CHECK(differ == 0);
    CHECK(with_entities > 10000);
}

// ---------------------------------------------------------------- NewsML (RCV1)

TEST_CASE("NewsML: all 1,866 RCV1 items, ids rcv1:ITEMID, countries as places, topics kept") {
    if (!test::have_shared()) {
        MESSAGE("skipped: shared corpus not found at " << test::shared_dir());
        return;
    }
    Collected c;
    corpus::read_path((test::shared_dir() / "corpus/rcv1_ifn647/docs").string(), corpus::Format::Auto, c.sink());
    CHECK(c.rejects.empty());
    CHECK(c.skipped.empty());
    REQUIRE(c.articles.size() == 1866);
    const UnixTime from = *corpus::parse_date("1996-08-20"), to = *corpus::parse_date("1996-09-24");
    for (const auto& a : c.articles) {
        CHECK(a.id.rfind("rcv1:", 0) == 0);
        REQUIRE(a.date.has_value());
        CHECK((*a.date >= from && *a.date < to));
        CHECK(!a.title.empty());
        CHECK(a.body.find("&quot;") == std::string::npos);
    }
    const Article* hk = c.find("rcv1:10117");
    REQUIRE(hk);
    CHECK(hk->title == "Hong Kong sees tourism up 10 pct in handover year.");
    CHECK(hk->dateline == "HONG KONG 1996-08-22");
    CHECK(hk->source == "Reuters");
    CHECK(hk->language == "en");
    CHECK(has_entity(*hk, EntityKind::Place, "hkong"));
    CHECK(std::find(hk->topics.begin(), hk->topics.end(), "GTOUR") != hk->topics.end());
    CHECK(hk->body.rfind("Hong Kong can expect tourist numbers", 0) == 0);
    CHECK(std::count(hk->body.begin(), hk->body.end(), '\n') == 6);  // four paragraphs
}

TEST_CASE("NewsML fixtures: no itemid, no newsitem, truncated") {
    Collected c;
    std::istringstream a("<?xml version=\"1.0\"?>\n<newsitem date=\"1996-08-22\"><title>T</title></newsitem>\n");
    corpus::read_newsml(a, "noid.xml", c.sink());
    std::istringstream b("<?xml version=\"1.0\"?>\n<other/>\n");
    corpus::read_newsml(b, "none.xml", c.sink());
    std::istringstream d("<?xml version=\"1.0\"?>\n<newsitem itemid=\"5\" date=\"1996-08-22\">\n<text><p>cut sh");
    corpus::read_newsml(d, "cut.xml", c.sink());
    CHECK(c.articles.empty());
    REQUIRE(c.rejects.size() == 3);
    CHECK(c.rejects[0].reason == "newsitem without an itemid");
    CHECK(c.rejects[1].reason == "XML file without a newsitem");
    CHECK(c.rejects[2].file == "cut.xml");
    CHECK(c.rejects[2].line == 2);
    CHECK(c.rejects[2].reason.find("not closed") != std::string::npos);
}

// ---------------------------------------------------------------- plain text

TEST_CASE("text: the seed article, read as a crawler saved it") {
    if (!test::have_shared()) {
        MESSAGE("skipped: shared corpus not found at " << test::shared_dir());
        return;
    }
    Collected c;
    corpus::read_path((test::shared_dir() / "corpus/seed").string(), corpus::Format::Auto, c.sink());
    CHECK(c.rejects.empty());
    CHECK(c.skipped.size() == 1);  // its README.md is not an article
    REQUIRE(c.articles.size() == 1);
    const Article& a = c.articles[0];
    CHECK(a.id == "kim-jong-un-party-congress.txt");
    std::ifstream file(test::shared_dir() / "corpus/seed/kim-jong-un-party-congress.txt");
    std::string first_line;
    std::getline(file, first_line);
    CHECK(a.title == first_line);  // the headline is the first line
    CHECK_FALSE(a.date.has_value());  // nothing in the file says when: undated, not dropped
    CHECK(a.body.find("\xC2\xA0") == std::string::npos);  // no-break spaces tidied
    // Its photo captions (credit in parentheses at the end) are kept apart from the body.
    REQUIRE(a.captions.size() == 2);
    for (const auto& caption : a.captions) CHECK(a.body.find(caption) == std::string::npos);
    CHECK(a.body.find("/Korea") == std::string::npos);
}

TEST_CASE("text fixtures: header block, ids, empty and binary files, directory walk") {
    const fs::path dir = test::scratch("text_fixtures");
    write_file(dir / "in/a/story.txt",
               "Date: Fri, 08 Jan 2021 10:00:00 +0000\nURL: https://News.Example.com/x?utm_source=rss\n"
               "Source: Example Wire\nAuthor: Lena Marsh\n\nDock strike halts cargo\n\nCranes stood idle on Friday as "
               "the port's workers walked out over pay.\n");
    write_file(dir / "in/b/story.txt", "Harbour pilots return to work\n\nThe pilots went back on Monday after a "
                                       "week-long dispute, the union said.\n");
    write_file(dir / "in/c/story.txt", "Harbour pilots return to work\n\nThe pilots went back on Monday after a "
                                       "week-long dispute, the union said.\n");
    write_file(dir / "in/d/headline-first.txt", "Tanker freed from the reef\nDate: 2021-01-09\n\nSalvage crews "
                                                "refloated the tanker at high tide, the coast guard said.\n");
    write_file(dir / "in/binary.bin", std::string("\x7F" "ELF\x02\x01\x01\0\0\0", 10) + std::string(200, '\x01'));
    write_file(dir / "in/notes.md", "# Notes\n\nThese are the operator's notes on the crawl, not an article.\n");
    write_file(dir / "in/empty.txt", "");
    Collected c;
    corpus::read_path((dir / "in").string(), corpus::Format::Auto, c.sink());
    CHECK(c.rejects.empty());
    REQUIRE(c.articles.size() == 4);
    CHECK(c.skipped.size() == 3);
    const Article* a = c.find("https://news.example.com/x");
    REQUIRE(a);
    CHECK(a->title == "Dock strike halts cargo");
    CHECK(a->date == 1610100000);
    CHECK(a->source == "Example Wire");
    CHECK(a->authors == std::vector<std::string>{"Lena Marsh"});
    // Identical files at different paths stay two articles.
    CHECK(c.find("b/story.txt"));
    CHECK(c.find("c/story.txt"));
    const Article* d = c.find("d/headline-first.txt");
    REQUIRE(d);
    CHECK(d->title == "Tanker freed from the reef");
    CHECK(d->date == corpus::parse_date("2021-01-09"));
    CHECK(d->body.rfind("Salvage crews", 0) == 0);

    // Forced to read as text: an empty file is a bad record; binary junk too.
    Collected forced;
    corpus::read_path((dir / "in/binary.bin").string(), corpus::Format::Text, forced.sink());
    std::istringstream blank("\n\n   \n");
    corpus::read_text(blank, "blank.txt", "blank.txt", forced.sink());
    REQUIRE(forced.rejects.size() == 2);
    CHECK(forced.rejects[0].reason == "binary data in a text article");
    CHECK(forced.rejects[1].reason == "record has neither title nor text");
    CHECK(forced.rejects[1].file == "blank.txt");
    CHECK(forced.rejects[1].line == 1);
}

// ---------------------------------------------------------------- JSON Lines: crawler field names, compression

TEST_CASE("JSON: news-please and NewsAPI field names map without options; --map covers the rest") {
    std::istringstream in(
        R"({"title":"NP title","maintext":"Body &amp; more.\nSecond para.","description":"d","date_publish":"2021-01-08 10:00:00","url":"https://np.example/2021/01/08/a","source_domain":"np.example","authors":["A One","B Two"],"language":"en"})"
        "\n"
        R"({"source":{"id":null,"name":"API Wire"},"author":"C Three","title":"API title","description":"Lead only.","url":"https://api.example/story","publishedAt":"2021-01-08T10:00:00Z","content":"Content text here … [+1234 chars]"})"
        "\n"
        R"({"headline":{"main":"Mapped title"},"article":{"text":"Mapped body."},"meta":{"when":1610100000}})"
        "\n"
        R"({"title":"No date","body":"x","url":"https://d.example/news/2021/01/08/y"})"
        "\n");
    Collected c;
    const std::vector<corpus::FieldMapping> map{corpus::parse_field_mapping("title=headline.main"),
                                                corpus::parse_field_mapping("body=article.text"),
                                                corpus::parse_field_mapping("date=meta.when")};
    corpus::read_jsonl(in, "crawl.jsonl", c.sink(), map);
    CHECK(c.rejects.empty());
    REQUIRE(c.articles.size() == 4);
    const Article& np = c.articles[0];
    CHECK(np.title == "NP title");
    CHECK(np.body == "Body & more.\n\nSecond para.");
    CHECK(np.date == 1610100000);
    CHECK(np.source == "np.example");
    CHECK(np.authors == std::vector<std::string>{"A One", "B Two"});
    CHECK(np.language == "en");
    CHECK(np.id == "https://np.example/2021/01/08/a");
    const Article& api = c.articles[1];
    CHECK(api.source == "API Wire");
    CHECK(api.authors == std::vector<std::string>{"C Three"});
    CHECK(api.body == "Content text here");
    CHECK(api.date == 1610100000);
    const Article& mapped = c.articles[2];
    CHECK(mapped.title == "Mapped title");
    CHECK(mapped.body == "Mapped body.");
    CHECK(mapped.date == 1610100000);
    CHECK(mapped.id.rfind("sha:", 0) == 0);
    // No date field: read_jsonl leaves it; finish_article takes it from the URL.
    Article nodate = c.articles[3];
    CHECK_FALSE(nodate.date.has_value());
    corpus::finish_article(nodate);
    CHECK(nodate.date == 1610064000);
    // ... or from a dateline at the head of the body; a dash later in the text is no dateline.
    Article lead;
    lead.title = "t";
    lead.body = "PORT TOWN, Jan. 8, 2021 \xE2\x80\x94 Cranes stood idle.";
    corpus::finish_article(lead);
    CHECK(lead.date == 1610064000);
    Article late;
    late.title = "t";
    late.body = "Cranes stood idle all week at the port of the town, and on the 8 January 2021 harbour board "
                "meeting - said the union - nobody came.";
    corpus::finish_article(late);
    CHECK_FALSE(late.date.has_value());
    CHECK_THROWS_AS((void)corpus::parse_field_mapping("nonesuch=a.b"), UsageError);
    CHECK_THROWS_AS((void)corpus::parse_field_mapping("title"), UsageError);
}

TEST_CASE("JSON documents: a pretty-printed NewsAPI response, an array, a broken document") {
    const fs::path dir = test::scratch("json_documents");
    write_file(dir / "newsapi.json",
               "{\n  \"status\": \"ok\",\n  \"totalResults\": 3,\n  \"articles\": [\n"
               "    {\"source\": {\"id\": null, \"name\": \"API Wire\"}, \"title\": \"One\", \"content\": \"First.\",\n"
               "     \"url\": \"https://api.example/1\", \"publishedAt\": \"2021-01-08T10:00:00Z\"},\n"
               "    {\"title\": \"\", \"content\": \"\"},\n"
               "    {\"title\": \"Three\", \"description\": \"Third.\", \"url\": \"https://api.example/3\"}\n  ]\n}\n");
    write_file(dir / "array.json", "[{\"id\": \"x1\", \"title\": \"A\", \"body\": \"a\"},\n {\"id\": \"x2\", \"title\": \"B\"}]\n");
    write_file(dir / "oneline.json", "[{\"id\": \"y1\", \"title\": \"Y\"}, {\"id\": \"y2\", \"title\": \"Z\"}]");
    write_file(dir / "lines.jsonl", "[1, 2, 3]\n{\"id\": \"z1\", \"title\": \"after a bad first line\"}\n");
    write_file(dir / "broken.json", "{\n  \"articles\": [ {\"title\": \"cut\"\n");
    Collected c;
    corpus::read_path(dir.string(), corpus::Format::Auto, c.sink());
    REQUIRE(c.articles.size() == 7);
    CHECK(c.find("y1"));
    CHECK(c.find("y2"));
    CHECK(c.find("z1"));
    CHECK(c.find("x1"));
    CHECK(c.find("x2"));
    const Article* one = c.find("https://api.example/1");
    REQUIRE(one);
    CHECK(one->source == "API Wire");
    CHECK(one->date == 1610100000);
    REQUIRE(c.find("https://api.example/3"));
    CHECK(c.find("https://api.example/3")->body == "Third.");
    REQUIRE(c.rejects.size() == 3);  // files in name order: broken, lines, newsapi
    CHECK(c.rejects[0].file.find("broken.json") != std::string::npos);
    CHECK(c.rejects[0].reason == "malformed JSON document");
    CHECK(c.rejects[1].file.find("lines.jsonl") != std::string::npos);
    CHECK(c.rejects[1].line == 1);
    CHECK(c.rejects[1].reason == "record is not a JSON object");
    CHECK(c.rejects[2].file.find("newsapi.json") != std::string::npos);
    CHECK(c.rejects[2].line == 2);  // the second record
    CHECK(c.rejects[2].reason == "record has neither title nor text");
}

TEST_CASE("compressed JSON Lines: zstd and gzip by content; truncated files reject their tail, keep the rest") {
    std::string jsonl;
    // Enough varied text for several zstd blocks (a block is decoded only once it is complete).
    for (int i = 0; i < 4000; ++i)
        jsonl.append("{\"id\":\"c").append(std::to_string(i)).append("\",\"title\":\"Story ").append(std::to_string(i))
            .append("\",\"body\":\"Some text that compresses ").append(std::to_string(static_cast<unsigned>(i) * 2654435761u)).append(" and ").append(std::to_string(i * 7919)).append(".\"}\n");
    const fs::path dir = test::scratch("compressed");
    const std::string zst = zstd_compress(jsonl), gz = gzip_compress(jsonl);
    write_file(dir / "crawl.jsonl.zst", zst);
    write_file(dir / "crawl.jsonl.gz", gz);
    write_file(dir / "cut.jsonl.zst", zst.substr(0, zst.size() * 2 / 3));
    write_file(dir / "cut.jsonl.gz", gz.substr(0, gz.size() * 2 / 3));
    write_file(dir / "junk.jsonl.zst", std::string("\x28\xB5\x2F\xFD", 4) + std::string(64, '\x55'));
    for (const char* name : {"crawl.jsonl.zst", "crawl.jsonl.gz"}) {
        Collected c;
        corpus::read_path((dir / name).string(), corpus::Format::Auto, c.sink());
        CHECK(c.rejects.empty());
        CHECK(c.articles.size() == 4000);
    }
    for (const char* name : {"cut.jsonl.zst", "cut.jsonl.gz"}) {
        CAPTURE(name);
        Collected c;
        corpus::read_path((dir / name).string(), corpus::Format::Auto, c.sink());
        REQUIRE(c.rejects.size() == 1);
        CHECK(c.rejects[0].reason.find("truncated") != std::string::npos);
        CHECK(c.rejects[0].line == static_cast<long>(c.articles.size()) + 1);
        CHECK(c.articles.size() > 1000);
        CHECK(c.articles.size() < 4000);
        for (std::size_t i = 0; i < c.articles.size(); ++i) CHECK(c.articles[i].id == std::string("c").append(std::to_string(i)));
    }
    Collected junk;
    corpus::read_path((dir / "junk.jsonl.zst").string(), corpus::Format::Auto, junk.sink());
    CHECK(junk.articles.empty());
    REQUIRE(junk.rejects.size() == 1);
    CHECK(junk.rejects[0].reason.find("zstd") != std::string::npos);
    CHECK(junk.rejects[0].raw.size() == 68);
}

TEST_CASE("oversize records: rejected by every reader, and the next record is still read") {
    const std::string filler = std::string(70, 'x') + "\n";
    std::string big;
    while (big.size() <= corpus::kMaxRecordBytes) big += filler;
    {
        std::istringstream in("<REUTERS NEWID=\"1\">\n<TEXT><BODY>\n" + big + "</BODY></TEXT></REUTERS>\n" +
                              "<REUTERS NEWID=\"2\"><DATE>2-MAR-1987</DATE><TEXT><TITLE>SMALL</TITLE></TEXT></REUTERS>\n");
        Collected c;
        corpus::read_reuters_sgml(in, "big.sgm", c.sink());
        REQUIRE(c.rejects.size() == 1);
        CHECK(c.rejects[0].line == 1);
        CHECK(c.rejects[0].reason == "story larger than 32 MB");
        REQUIRE(c.articles.size() == 1);
        CHECK(c.articles[0].id == "reuters21578:2");
    }
    {
        std::istringstream in("<?xml version=\"1.0\"?>\n<newsitem itemid=\"1\"><text><p>" + big + "</p></text></newsitem>\n");
        Collected c;
        corpus::read_newsml(in, "big.xml", c.sink());
        REQUIRE(c.rejects.size() == 1);
        CHECK(c.rejects[0].reason == "XML file larger than 32 MB");
        CHECK(c.rejects[0].raw.size() == 4096);
    }
    {
        std::istringstream in("Headline\n\n" + big);
        Collected c;
        corpus::read_text(in, "big.txt", "big.txt", c.sink());
        REQUIRE(c.rejects.size() == 1);
        CHECK(c.rejects[0].reason == "record larger than 32 MB");
        CHECK(c.articles.empty());
    }
}

TEST_CASE("format detection by content, not name") {
    CHECK(corpus::detect_format("{\"title\":1}\n", "x.txt") == corpus::Format::Jsonl);
    CHECK(corpus::detect_format("[\n  {\"title\":1}]", "x") == corpus::Format::Jsonl);
    CHECK(corpus::detect_format("[1, 2]", "x") == corpus::Format::Auto);
    CHECK(corpus::detect_format("<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n<REUTERS", "x.dat") ==
          corpus::Format::ReutersSgml);
    CHECK(corpus::detect_format("<?xml version=\"1.0\"?>\n<newsitem itemid=\"1\">", "x") == corpus::Format::NewsML);
    CHECK(corpus::detect_format("<?xml version=\"1.0\"?>\n<rss>", "x.xml") == corpus::Format::Auto);
    CHECK(corpus::detect_format("Headline here\n\nA body sentence with more than eight words in it, really.\n",
                                "story") == corpus::Format::Text);
    CHECK(corpus::detect_format("usa\nuk\nfrance\n", "places.txt") == corpus::Format::Auto);
    CHECK(corpus::detect_format("", "x") == corpus::Format::Auto);
}

TEST_CASE("a pipe is read as it arrives: a line is handed on before the writer closes; zstd too") {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const std::string first = "{\"id\":\"p1\",\"title\":\"Early\",\"body\":\"First.\"}\n";
    REQUIRE(::write(fds[1], first.data(), first.size()) == static_cast<ssize_t>(first.size()));
    std::promise<std::string> got;
    auto future = got.get_future();
    std::thread reader([&] {
        auto in = corpus::open_fd(fds[0]);
        corpus::LineReader lines(*in, 1 << 20);
        std::string line;
        got.set_value(lines.next(line) ? line : std::string("<end>"));
        while (lines.next(line)) {
        }
    });
    const bool arrived = future.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
    ::close(fds[1]);  // lets a reader that wrongly waits for more finish
    reader.join();
    ::close(fds[0]);
    REQUIRE(arrived);
    CHECK(future.get() + "\n" == first);

    // A zstd stream through a pipe (closed at its end) decodes to the same lines.
    const std::string text = "one\ntwo\nthree\n";
    std::string packed(ZSTD_compressBound(text.size()), '\0');
    packed.resize(ZSTD_compress(packed.data(), packed.size(), text.data(), text.size(), 3));
    REQUIRE(::pipe(fds) == 0);
    REQUIRE(::write(fds[1], packed.data(), packed.size()) == static_cast<ssize_t>(packed.size()));
    ::close(fds[1]);
    auto in = corpus::open_fd(fds[0]);
    corpus::LineReader lines(*in, 1 << 20);
    std::vector<std::string> all;
    for (std::string line; lines.next(line);) all.push_back(line);
    ::close(fds[0]);
    CHECK(all == std::vector<std::string>{"one", "two", "three"});
    CHECK(corpus::stream_error(*in).empty());
}
