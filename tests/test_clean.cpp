/** @file test_clean.cpp
 *  @brief Cleaning: encodings, entities, control characters, NFC, whitespace, captions; date shapes.
 */
#include "corpus/clean.h"
#include "corpus/date_parse.h"

#include <doctest/doctest.h>

using namespace morgue;
using namespace morgue::corpus;

TEST_CASE("invalid UTF-8 is transcoded from Windows-1252 / Latin-1; valid UTF-8 is kept") {
    CHECK(to_utf8("caf\xE9") == "caf\xC3\xA9");
    CHECK(to_utf8("M\xFCller \x93quoted\x94") == "M\xC3\xBCller \xE2\x80\x9Cquoted\xE2\x80\x9D");
    CHECK(to_utf8("already \xC3\xA9 fine") == "already \xC3\xA9 fine");
    // Mixed: the valid sequence stays, the stray byte is read as Latin-1.
    CHECK(to_utf8("\xC3\xA9 and \xE9") == "\xC3\xA9 and \xC3\xA9");
    CHECK(to_utf8("\xC3\xA9", true) == "\xC3\x83\xC2\xA9");  // declared 8-bit: every byte is a character
}

TEST_CASE("named and numeric entities are decoded; unknown ones are kept") {
    CHECK(decode_entities("&quot;Hi&quot; &amp; &lt;AMC&gt;") == "\"Hi\" & <AMC>");
    CHECK(decode_entities("caf&eacute; &#233; &#xE9; &#X00E9;") == "caf\xC3\xA9 \xC3\xA9 \xC3\xA9 \xC3\xA9");
    CHECK(decode_entities("&#147;q&#148;") == "\xE2\x80\x9Cq\xE2\x80\x9D");  // 128..159 as Windows-1252
    CHECK(decode_entities("&#5;&#3;") == "\x05\x03");
    CHECK(decode_entities("AT&T &nosuch; & &#; &#xZZ;") == "AT&T &nosuch; & &#; &#xZZ;");
}

TEST_CASE("control characters go, tabs and newlines stay, CRLF becomes LF") {
    CHECK(drop_controls("a\x01\x02" "b\x7F\tc\r\nd\re") == "ab\tc\nd\ne");
    CHECK(drop_controls("\xEF\xBB\xBFtext\xC2\x85") == "text");  // BOM and C1 NEL
    CHECK(clean_line("&#2;  DATE&#5;&#5; ") == "DATE");
}

TEST_CASE("Unicode is normalised to NFC") {
    CHECK(nfc("cafe\xCC\x81") == "caf\xC3\xA9");  // e + combining acute -> é
    CHECK(nfc("plain ascii") == "plain ascii");
}

TEST_CASE("whitespace: lines collapsed (no-break spaces too), paragraphs joined by one blank line") {
    CHECK(clean_line("  North\xC2\xA0Korean   leader\t ") == "North Korean leader");
    CHECK(clean_block("\n\nFirst  para.\xC2\xA0\n\n\n\nSecond\r\nThird\n") == "First para.\n\nSecond\n\nThird");
    CHECK(paragraphs("a\n\nb\n\n\n\nc") == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("markup leftovers are stripped where asked, and a bare < survives") {
    CHECK(clean_block("<p>One <b>bold</b> line.</p><p>Two &amp; more</p>", CleanOptions{.markup = true}) ==
          "One bold line.\n\nTwo & more");
    CHECK(clean_line("a < b and <AMC> shares", CleanOptions{.markup = true}) == "a < b and <AMC> shares");
    CHECK(clean_line("x<script>var y = 1;</script>z", CleanOptions{.markup = true}) == "x z");
}

TEST_CASE("captions and credits are told from body paragraphs") {
    CHECK(looks_like_caption("The minister visits a port on Monday. (AP Photo/Jane Doe)"));
    CHECK(looks_like_caption("Dock workers at the gate. (Wire Agency/Harbor Pictures)"));
    CHECK(looks_like_caption("Photo: Harbor Wire"));
    CHECK(looks_like_caption("Cranes idle at the port. Photograph: Lena Marsh/Harbor Wire"));
    CHECK(looks_like_caption("Traders on the floor. Getty Images"));
    CHECK_FALSE(looks_like_caption("The vote was split (and/or delayed)."));
    CHECK_FALSE(looks_like_caption("Part one of the series (1/2)."));
    CHECK_FALSE(looks_like_caption("The minister said the port would reopen on Monday after talks."));
    Article a;
    a.body = "Lead paragraph.\n\nCranes at rest. (AP Photo/Jane Doe)\n\nSecond paragraph.";
    split_captions(a);
    CHECK(a.body == "Lead paragraph.\n\nSecond paragraph.");
    CHECK(a.captions == std::vector<std::string>{"Cranes at rest. (AP Photo/Jane Doe)"});
}

TEST_CASE("dates in every shape the corpora use, to UTC") {
    // Reuters-21578, padded and with trailing junk.
    CHECK(parse_date("26-FEB-1987 15:01:01.79") == 541350061);
    CHECK(parse_date(" 2-JUN-1987 08:01:02.03") == parse_date("1987-06-02T08:01:02Z"));
    CHECK(parse_date("27-MAR-1987 00:02:59.13 RM") == parse_date("1987-03-27T00:02:59Z"));
    // ISO 8601 with and without zones.
    CHECK(parse_date("2021-01-08") == 1610064000);
    CHECK(parse_date("2021-01-08T10:00:00Z") == 1610100000);
    CHECK(parse_date("2021-01-08 10:00:00") == 1610100000);
    CHECK(parse_date("2021-01-08T12:00:00+02:00") == 1610100000);
    CHECK(parse_date("2021-01-08T05:00:00.000-0500") == 1610100000);
    // RFC 2822.
    CHECK(parse_date("Fri, 08 Jan 2021 10:00:00 +0000") == 1610100000);
    CHECK(parse_date("Fri, 8 Jan 2021 05:00:00 EST") == 1610100000);
    CHECK(parse_date("8 Jan 2021 10:00:00 GMT") == 1610100000);
    // Spelled out, 12-hour clock.
    CHECK(parse_date("May 9, 2023 1:33 AM") == parse_date("2023-05-09T01:33:00Z"));
    CHECK(parse_date("May 9, 2023 1:33 PM") == parse_date("2023-05-09T13:33:00Z"));
    CHECK(parse_date("January 8th, 2021") == 1610064000);
    CHECK(parse_date("2023/05/09") == parse_date("2023-05-09"));
    // Epoch seconds and milliseconds.
    CHECK(parse_date("1610100000") == 1610100000);
    CHECK(parse_date("1610100000000") == 1610100000);
    // Not dates, or not surely.
    CHECK_FALSE(parse_date("not a date").has_value());
    CHECK_FALSE(parse_date("01/08/2021").has_value());  // day or month first? refused
    CHECK_FALSE(parse_date("31-FEB-1987").has_value());
    CHECK_FALSE(parse_date("").has_value());
}

TEST_CASE("dates from URL paths and datelines") {
    CHECK(date_from_url("https://example.com/2021/01/08/kim-speech.html") == 1610064000);
    CHECK(date_from_url("https://example.com/news/2021-01-08/story") == 1610064000);
    CHECK(date_from_url("https://example.com/a/20210108/story") == 1610064000);
    CHECK_FALSE(date_from_url("https://example.com/2021/01/story").has_value());
    CHECK_FALSE(date_from_url("https://example.com/item/12345678901").has_value());
    CHECK(date_from_dateline("HONG KONG 1996-08-22") == parse_date("1996-08-22"));
    CHECK(date_from_dateline("WASHINGTON, Jan. 8, 2021 -") == 1610064000);
    CHECK_FALSE(date_from_dateline("SALVADOR, Feb 26 -").has_value());  // no year: not a date
}
