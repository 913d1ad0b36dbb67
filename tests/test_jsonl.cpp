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
