/** @file test_jsonl.cpp
 *  @brief The JSON Lines reader on good and bad lines.
 */
#include "common/error.h"
#include "corpus/jsonl_reader.h"

#include <doctest/doctest.h>

#include <sstream>

using namespace morgue;

namespace {

struct Collected {
    std::vector<Article> articles;
    std::vector<corpus::Reject> rejects;
    corpus::Sink sink() {
        corpus::Sink s;
        s.article = [this](Article&& a) { articles.push_back(std::move(a)); };
        s.reject = [this](corpus::Reject&& r) { rejects.push_back(std::move(r)); };
        return s;
    }
};

}  // namespace

TEST_CASE("good records: every field, authors as array or string, CRLF, blank lines") {
    std::istringstream in(
        R"({"id":"a1","url":"https://x.example/a","title":"  Dock   strike ","body":"Cargo slowed.","date":"2021-01-08T10:00:00Z","source":"Harbor Wire","authors":["Lena Marsh"," "],"language":"en"})"
        "\r\n\n"
        R"({"id":7,"title":"Second","body":"","authors":"One Writer"})"
        "\n");
    Collected c;
    corpus::read_jsonl(in, "good.jsonl", c.sink());
    REQUIRE(c.articles.size() == 2);
    CHECK(c.rejects.empty());
    const Article& a = c.articles[0];
    CHECK(a.id == "a1");
    CHECK(a.title == "Dock strike");
    CHECK(a.body == "Cargo slowed.");
    CHECK(a.date == 1610100000);
    CHECK(a.source == "Harbor Wire");
    CHECK(a.authors == std::vector<std::string>{"Lena Marsh"});
    CHECK(a.language == "en");
    CHECK(a.origin == "good.jsonl:1");
    CHECK(c.articles[1].id == "7");
    CHECK(c.articles[1].authors == std::vector<std::string>{"One Writer"});
    CHECK_FALSE(c.articles[1].date.has_value());
    CHECK(c.articles[1].origin == "good.jsonl:3");
}

TEST_CASE("bad lines are rejected one by one with file, line and reason, and the rest is read") {
    const std::string input = std::string(
                                  "{\"id\":\"ok1\",\"title\":\"fine\",\"body\":\"text\"}\n"
                                  "{\"id\":\"broken\",\"title\":\"no closing brace\"\n"
                                  "[1,2,3]\n"
                                  "{\"id\":\"empty\",\"title\":\"\",\"body\":\"   \"}\n"
                                  "{\"id\":\"latin1\",\"title\":\"caf\xE9\",\"body\":\"x\"}\n") +
                              std::string(1, '\0') + "\x01\x02 binary junk\n" +
                              "{\"id\":\"ok2\",\"title\":\"also fine\",\"body\":\"text\",\"date\":\"not a date\"}\n";
    std::istringstream in(input);
    Collected c;
    corpus::read_jsonl(in, "bad.jsonl", c.sink());
    REQUIRE(c.articles.size() == 3);
    CHECK(c.articles[0].id == "ok1");
    // Latin-1 text is transcoded, not rejected.
    CHECK(c.articles[1].id == "latin1");
    CHECK(c.articles[1].title == "caf\xC3\xA9");
    CHECK(c.articles[2].id == "ok2");
    CHECK_FALSE(c.articles[2].date.has_value());  // unreadable date: kept, undated
    REQUIRE(c.rejects.size() == 4);
    CHECK(c.rejects[0].line == 2);
    CHECK(c.rejects[0].reason == "malformed JSON");
    CHECK(c.rejects[0].raw == "{\"id\":\"broken\",\"title\":\"no closing brace\"");
    CHECK(c.rejects[1].line == 3);
    CHECK(c.rejects[1].reason == "record is not a JSON object");
    CHECK(c.rejects[2].line == 4);
    CHECK(c.rejects[2].reason == "record has neither title nor text");
    CHECK(c.rejects[3].line == 6);
    for (const auto& r : c.rejects) CHECK(r.file == "bad.jsonl");
}

TEST_CASE("records without an id get the canonical URL, else a content hash") {
    std::istringstream in(
        "{\"url\":\"HTTPS://News.Example.COM/a/b?utm_source=x&id=3&fbclid=y#top\",\"title\":\"t\",\"body\":\"b\"}\n"
        "{\"title\":\"same text\",\"body\":\"b\"}\n"
        "{\"title\":\"same text\",\"body\":\"b\"}\n");
    Collected c;
    corpus::read_jsonl(in, "ids.jsonl", c.sink());
    REQUIRE(c.articles.size() == 3);
    CHECK(c.articles[0].id == "https://news.example.com/a/b?id=3");
    CHECK(c.articles[1].id.rfind("sha:", 0) == 0);
    CHECK(c.articles[1].id == c.articles[2].id);
}

TEST_CASE("a line over the record limit is rejected without being parsed") {
    std::string huge = "{\"title\":\"big\",\"body\":\"" + std::string(corpus::kMaxRecordBytes + 10, 'x') + "\"}\n";
    std::istringstream in(huge + "{\"id\":\"after\",\"title\":\"t\",\"body\":\"b\"}\n");
    Collected c;
    corpus::read_jsonl(in, "huge.jsonl", c.sink());
    REQUIRE(c.rejects.size() == 1);
    CHECK(c.rejects[0].line == 1);
    CHECK(c.rejects[0].raw.size() <= 4096);
    REQUIRE(c.articles.size() == 1);
    CHECK(c.articles[0].id == "after");
}

// ---------------------------------------------------------------- what simdjson and nlohmann read alike
// Lines are parsed by simdjson, and by nlohmann where simdjson refuses them; each case below reads
// as it did when nlohmann read every line.

namespace {

/// The one article read from `line`, with `map`; fails the test if the line is rejected.
Article read_one(const std::string& line, const std::vector<corpus::FieldMapping>& map = {}) {
    std::istringstream in("{\"id\":\"first\",\"title\":\"t\",\"body\":\"b\"}\n" + line + "\n");
    Collected c;
    corpus::read_jsonl(in, "edge.jsonl", c.sink(), map);
    REQUIRE(c.rejects.empty());
    REQUIRE(c.articles.size() == 2);
    CHECK(c.articles[1].origin == "edge.jsonl:2");
    return c.articles[1];
}

/// The reason `line` is rejected (as line 2), or "" when it is not.
std::string reject_reason(const std::string& line) {
    std::istringstream in("{\"id\":\"first\",\"title\":\"t\",\"body\":\"b\"}\n" + line + "\n");
    Collected c;
    corpus::read_jsonl(in, "edge.jsonl", c.sink());
    if (c.rejects.empty()) return {};
    CHECK(c.rejects.size() == 1);
    CHECK(c.rejects[0].line == 2);
    CHECK(c.rejects[0].raw == line);
    return c.rejects[0].reason;
}

}  // namespace

TEST_CASE("numbers: integers beyond 64 bits are floats, as nlohmann reads them") {
    // 1.2e29 as a float is no id (|x| >= 1e15 gives no text): the content hash is the id.
    const Article huge = read_one(R"({"id":123456789012345678901234567890,"title":"Big id","body":"b"})");
    CHECK(huge.id == corpus::fallback_id(huge));
    CHECK(huge.id.rfind("sha:", 0) == 0);
    CHECK(read_one(R"({"id":-123456789012345678901234567890,"title":"t","body":"b"})").id.rfind("sha:", 0) == 0);
    // A huge integer anywhere in the line, not only in a field that is read: the rest reads the same.
    const Article other = read_one(
        R"({"id":"k1","x":18446744073709551616,"title":"Other","body":"b","date":1610100000,"authors":[1.5e300]})");
    CHECK(other.id == "k1");
    CHECK(other.title == "Other");
    CHECK(other.date == 1610100000);
    CHECK(other.authors.empty());
    // Numbers as text: integers in decimal, floats truncated below 1e15, else nothing.
    CHECK(read_one(R"({"id":7,"title":"t","body":"b"})").id == "7");
    CHECK(read_one(R"({"id":-7,"title":"t","body":"b"})").id == "-7");
    CHECK(read_one(R"({"id":-0,"title":"t","body":"b"})").id == "0");
    CHECK(read_one(R"({"id":9223372036854775807,"title":"t","body":"b"})").id == "9223372036854775807");
    CHECK(read_one(R"({"id":-9223372036854775808,"title":"t","body":"b"})").id == "-9223372036854775808");
    // Above INT64_MAX (unsigned to both parsers) the integer wraps, as nlohmann's get<long long>() gave it.
    CHECK(read_one(R"({"id":18446744073709551615,"title":"t","body":"b"})").id == "-1");
    CHECK(read_one(R"({"id":2.75,"title":"t","body":"b"})").id == "2");
    CHECK(read_one(R"({"id":-2.75,"title":"t","body":"b"})").id == "-2");
    CHECK(read_one(R"({"id":1e3,"title":"t","body":"b"})").id == "1000");
    CHECK(read_one(R"({"id":999999999999999.5,"title":"t","body":"b"})").id == "999999999999999");
    CHECK(read_one(R"({"id":1e15,"title":"t","body":"b"})").id.rfind("sha:", 0) == 0);
    CHECK(read_one(R"({"title":"t","body":"b","date":1610100000})").date == 1610100000);
    CHECK(read_one(R"({"title":"t","body":"b","date":1610100000000})").date == 1610100000);
    CHECK(read_one(R"({"title":"t","body":"b","date":1610100000.9})").date == 1610100000);
    CHECK(read_one(R"({"title":"t","body":"b","topics":[3,-4,0.5,1e20,true,null,"x"]})").topics ==
          std::vector<std::string>{"3", "-4", "0", "x"});
}

TEST_CASE("a repeated key: the last one counts, as nlohmann keeps it") {
    CHECK(read_one(R"({"title":"a","title":"b","body":"x"})").title == "b");
    // At every level the lookup walks, and for {"name": ...} objects.
    const std::vector<corpus::FieldMapping> map{corpus::parse_field_mapping("title=meta.head.main")};
    CHECK(read_one(R"({"meta":{"head":{"main":"first"},"head":{"main":"second"}},"body":"x"})", map).title ==
          "second");
    CHECK(read_one(R"({"meta":{"head":{"main":"first"},"head":{"other":"x"}},"title":"fallback","body":"x"})", map)
              .title == "fallback");
    CHECK(read_one(R"({"title":"t","body":"x","source":{"name":"A","id":1,"name":"B"}})").source == "B");
    CHECK(read_one(R"({"title":"t","body":"x","source":{"name":"A","name":7}})").source.empty());
    // A last value of null or blank leaves the key as if absent: the next name for the field is read.
    CHECK(read_one(R"({"title":"t","body":"x","body":null,"text":"y"})").body == "y");
    CHECK(read_one(R"({"title":"a","title":"  ","headline":"h","body":"x"})").title == "h");
    CHECK(read_one(R"({"title":"  ","title":"a","headline":"h","body":"x"})").title == "a");
    CHECK(read_one(R"({"title":"t","body":"x","authors":["A"],"authors":"B"})").authors ==
          std::vector<std::string>{"B"});
}

TEST_CASE("dotted --map paths with array indexes, {\"name\": ...} objects, arrays joined") {
    const std::vector<corpus::FieldMapping> map{corpus::parse_field_mapping("title=meta.1.headline"),
                                                corpus::parse_field_mapping("date=meta.0"),
                                                corpus::parse_field_mapping("authors=people.2.name"),
                                                corpus::parse_field_mapping("source=meta.9.name")};
    const Article a = read_one(
        R"({"meta":[1610100000,{"headline":"Deep title"}],"people":[0,{},{"name":"Only"}],"body":"b","source":"S"})",
        map);
    CHECK(a.title == "Deep title");
    CHECK(a.date == 1610100000);
    CHECK(a.authors == std::vector<std::string>{"Only"});
    CHECK(a.source == "S");  // meta.9 is past the end: the built-in name is read
    // A number names an object's member too; a path on through a string leads nowhere.
    CHECK(read_one(R"({"meta":{"1":{"headline":"Keyed"}},"title":"Own","body":"b"})", map).title == "Keyed");
    CHECK(read_one(R"({"meta":[0,"no object"],"title":"Own","body":"b"})", map).title == "Own");
    CHECK(read_one(R"({"meta":[0,{"headline":null}],"title":"Own","body":"b"})", map).title == "Own");
    // {"name": ...} objects by their name; arrays of them, and of strings, joined.
    const Article c = read_one(
        R"({"title":["Two","parts"],"body":["First para.","",{"name":"Second para."},{"id":3}],)"
        R"("source":{"id":null,"name":"API Wire"},"authors":[{"name":"A One"},"B Two",["C","D"],{"x":1},null],)"
        R"("tags":["t1",{"name":"t2"}]})");
    CHECK(c.title == "Two parts");
    CHECK(c.body == "First para.\n\nSecond para.");
    CHECK(c.source == "API Wire");
    CHECK(c.authors == std::vector<std::string>{"A One", "B Two", "C D"});
    CHECK(c.topics == std::vector<std::string>{"t1", "t2"});
}

TEST_CASE("strings: escapes, invalid UTF-8 transcoded, text a parser takes apart") {
    const Article a = read_one("{\"title\":\"Z\xFCrich \\u00e9t\\u00E9 \\ud83d\\ude00\",\"body\":\"caf\xE9\\tbar\"}");
    CHECK(a.title == "Z\xC3\xBCrich \xC3\xA9t\xC3\xA9 \xF0\x9F\x98\x80");
    CHECK(a.body == "caf\xC3\xA9 bar");
    CHECK(read_one(R"({"title":"a\u0000b","body":"\"q\" \/ \\"})").body == "\"q\" / \\");
    // A UTF-8 byte order mark before the record, a NUL after it, nesting past 1,024 levels and a line
    // over 1 MB are read (by nlohmann: simdjson refuses them).
    CHECK(read_one("\xEF\xBB\xBF{\"title\":\"bom\",\"body\":\"x\"}").title == "bom");
    CHECK(read_one(std::string("{\"title\":\"nul\",\"body\":\"x\"}\0", 26)).title == "nul");
    CHECK(read_one("{\"title\":\"deep\",\"x\":" + std::string(1100, '[') + std::string(1100, ']') + "}").title ==
          "deep");
    CHECK(read_one("{\"title\":\"long\",\"body\":\"" + std::string(3u << 20, 'y') + "\"}").body.size() == 3u << 20);
}

TEST_CASE("malformed lines and records that are no object are rejected as before") {
    for (const std::string line : {R"({"title":"no closing brace")", R"({"title":"t",})", R"({"title":"t"} x)",
                                   R"({"title":"t"}{"title":"u"})", "{\"title\":\"a\x01b\"}", R"({"title":"\ud800"})",
                                   R"({"title":"\x"})", R"({"title":01})", R"({"title":1e400})", R"({'title':"t"})",
                                   "{\"title\":\"t\"}\xEF\xBB\xBF", R"({"title":tru})"}) {
        CAPTURE(line);
        CHECK(reject_reason(line) == "malformed JSON");
    }
    for (const std::string line : {"[1,2,3]", "42", "\"text\"", "null", "true", "[]", R"([{"title":"t"}])"}) {
        CAPTURE(line);
        CHECK(reject_reason(line) == "record is not a JSON object");
    }
    CHECK(reject_reason(R"({"title":" ","body":null,"text":[]})") == "record has neither title nor text");
    try {
        (void)corpus::parse_json_article(R"({"title":)", "direct.jsonl", 41);
        FAIL("no exception");
    } catch (const InputError& e) {
        CHECK(e.reason() == "malformed JSON");
        CHECK(e.line() == 41);
        CHECK(e.file() == "direct.jsonl");
    }
}
