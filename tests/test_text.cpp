/** @file test_text.cpp
 *  @brief UTF-8 helpers.
 */
#include "common/text.h"

#include <doctest/doctest.h>

using namespace morgue;

TEST_CASE("UTF-8 validation") {
    CHECK(text::is_valid_utf8("plain"));
    CHECK(text::is_valid_utf8("Pyöngyang — “quoted”"));
    CHECK_FALSE(text::is_valid_utf8("caf\xE9"));          // Latin-1 é
    CHECK_FALSE(text::is_valid_utf8("\xC0\xAF"));          // overlong
    CHECK_FALSE(text::is_valid_utf8("\xED\xA0\x80"));      // surrogate
    CHECK_FALSE(text::is_valid_utf8("\xE2\x80"));          // truncated
}

TEST_CASE("lower-casing and spaces") {
    CHECK(text::to_lower("Kim JONG Un") == "kim jong un");
    CHECK(text::to_lower("ÅNGSTRÖM") == "ångström");
    CHECK(text::collapse_spaces("  a \t b\n\nc  ") == "a b c");
    CHECK(text::hex64(text::hash64("")) == "cbf29ce484222325");
}

TEST_CASE("base64 (RFC 4648 test vectors)") {
    CHECK(text::base64_encode("") == "");
    CHECK(text::base64_encode("f") == "Zg==");
    CHECK(text::base64_encode("fo") == "Zm8=");
    CHECK(text::base64_encode("foo") == "Zm9v");
    CHECK(text::base64_encode("foob") == "Zm9vYg==");
    CHECK(text::base64_encode("fooba") == "Zm9vYmE=");
    CHECK(text::base64_encode("foobar") == "Zm9vYmFy");
    CHECK(text::base64_encode(std::string("\x00\xff\xfe", 3)) == "AP/+");
}
