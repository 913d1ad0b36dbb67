/** @file test_schema.cpp
 *  @brief The schema table: unique names and prefixes, Omega conventions, long terms.
 */
#include "common/schema.h"

#include <doctest/doctest.h>

#include <set>

using namespace morgue;

TEST_CASE("every queryable field has a unique name and a prefix") {
    std::set<std::string_view> names;
    for (const auto& f : schema::fields()) {
        if (f.name.empty()) continue;
        CHECK(names.insert(f.name).second);
        CHECK_FALSE(f.prefix.empty());
        CHECK_FALSE(f.help.empty());
    }
    CHECK(names.size() >= 10);
}

TEST_CASE("Omega's prefix conventions") {
    CHECK(schema::find_field("title")->prefix == "S");
    CHECK(schema::find_field("author")->prefix == "A");
    CHECK(schema::find_field("id")->prefix == "Q");
    CHECK(schema::find_field("url")->prefix == "U");
    CHECK(schema::find_field("site")->prefix == "H");
    CHECK(schema::find_field("lang")->prefix == "L");
    CHECK(schema::find_field("title")->kind == schema::FieldKind::FreeText);
    CHECK(schema::find_field("site")->kind == schema::FieldKind::Boolean);
    CHECK(schema::find_field("person")->kind == schema::FieldKind::Entity);
    CHECK(schema::find_field("nonesuch") == nullptr);
    // Our own prefixes start with X, as Omega reserves the rest.
    for (const auto& f : schema::fields()) {
        if (f.prefix.size() > 1) CHECK(f.prefix[0] == 'X');
    }
}

TEST_CASE("make_term keeps short terms and hashes long ones within Xapian's limit") {
    CHECK(schema::make_term("Q", "abc") == "Qabc");
    const std::string long_url = "https://example.com/" + std::string(400, 'a');
    const std::string t1 = schema::make_term("U", long_url);
    CHECK(t1.size() <= schema::kMaxTermBytes);
    CHECK(t1.rfind("Uhttps://example.com/", 0) == 0);
    const std::string t2 = schema::make_term("U", long_url + "b");
    CHECK(t1 != t2);
    CHECK(t1 == schema::make_term("U", long_url));
    // Never cuts inside a UTF-8 sequence.
    const std::string accents(300, 'x');
    std::string utf = "é" + accents;
    for (int i = 0; i < 200; ++i) utf += "é";
    const std::string t3 = schema::make_term("XPERSON:", utf);
    CHECK(t3.size() <= schema::kMaxTermBytes);
}

TEST_CASE("boolean keys and hosts") {
    CHECK(schema::boolean_key("  Harbor   Wire ") == "harbor wire");
    CHECK(schema::boolean_key("ÉCOLE") == "école");
    CHECK(schema::url_host("https://www.Example.COM:8080/a/b?x#y") == "example.com");
    CHECK(schema::url_host("http://user@news.example.org") == "news.example.org");
    CHECK(schema::url_host("not a url") == "");
}
