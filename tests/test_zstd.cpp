/** @file test_zstd.cpp
 *  @brief zstd round trips, dictionaries, and corrupt frames.
 */
#include "common/article.h"
#include "common/error.h"
#include "common/free_text.h"
#include "common/stored_article.h"
#include "common/zstd_codec.h"

#include <doctest/doctest.h>

#include <zdict.h>
#include <zstd.h>

using namespace morgue;

TEST_CASE("round trip of text, empty and binary data") {
    ZstdCodec codec(3);
    const std::string text = "North Korean leader said on Friday... " + std::string(5000, 'x');
    CHECK(codec.decompress(codec.compress(text)) == text);
    CHECK(codec.decompress(codec.compress("")) == "");
    std::string binary;
    for (int i = 0; i < 1000; ++i) binary += static_cast<char>(i * 37);
    CHECK(codec.decompress(codec.compress(binary)) == binary);
    CHECK(codec.compress(text).size() < text.size() / 4);
}

TEST_CASE("corrupt, truncated and oversized frames are errors, not crashes") {
    ZstdCodec codec;
    const std::string frame = codec.compress(std::string(10000, 'a') + "tail");
    CHECK_THROWS_AS((void)codec.decompress("definitely not zstd"), Error);
    CHECK_THROWS_AS((void)codec.decompress(frame.substr(0, frame.size() / 2)), Error);
    CHECK_THROWS_AS((void)codec.decompress(frame, 100), Error);
    std::string flipped = frame;
    flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x55);
    try {
        const std::string out = codec.decompress(flipped);
        CHECK(out != std::string(10000, 'a') + "tail");  // zstd's checksum is off by default
    } catch (const Error&) {
        CHECK(true);
    }
}

TEST_CASE("dictionary compression round trip and frame dictionary id") {
    std::string samples;
    std::vector<size_t> sizes;
    for (int i = 0; i < 400; ++i) {
        const std::string s = "{\"id\":\"story-" + std::to_string(i) +
                              "\",\"t\":\"Dock strike halts cargo traffic\",\"b\":\"Cargo traffic slowed to a crawl as "
                              "dock workers walked off the job in port number " +
                              std::to_string(i * 7) + ".\"}";
        samples += s;
        sizes.push_back(s.size());
    }
    std::string dict(4096, '\0');
    const size_t n = ZDICT_trainFromBuffer(dict.data(), dict.size(), samples.data(), sizes.data(),
                                           static_cast<unsigned>(sizes.size()));
    REQUIRE_FALSE(ZSTD_isError(n));
    dict.resize(n);
    ZstdCodec with(3), without(3);
    with.set_dictionary(dict);
    const std::string doc = "{\"id\":\"story-9999\",\"t\":\"Dock strike halts cargo traffic\",\"b\":\"Cargo traffic slowed\"}";
    const std::string small = with.compress(doc);
    CHECK(small.size() < without.compress(doc).size());
    CHECK(ZstdCodec::frame_dictionary_id(small) != 0);
    CHECK(with.decompress(small) == doc);
    CHECK_THROWS_AS((void)without.decompress(small), Error);
}

TEST_CASE("stored articles round trip through JSON and zstd") {
    Article a;
    a.id = "x:1";
    a.title = "Ti\"tle";
    a.body = "Body with ünïcode\nand lines";
    a.date = 1610064000;
    a.source = "Harbor Wire";
    a.authors = {"A. Writer", "B. Writer"};
    a.topics = {"acq"};
    a.entities.push_back(ArticleEntity{EntityKind::Person, "Kim Jong Un", "kim jong un", 3, true, true, false});
    // A key that is not the name lower-cased is kept as it is (the others are stored as 0).
    a.entities.push_back(ArticleEntity{EntityKind::Org, "Société Générale", "societe generale", 1, false, false, true});
    a.entities.push_back(ArticleEntity{EntityKind::Place, "U.S.", "us", 2, false, true, false});
    CHECK(article_to_json(a).find("kim jong un") == std::string::npos);
    ZstdCodec codec;
    const Article b = decode_stored_article(encode_stored_article(article_to_json(a), codec, {}), codec);
    CHECK(b.id == a.id);
    CHECK(b.title == a.title);
    CHECK(b.body == a.body);
    CHECK(b.date == a.date);
    CHECK(b.authors == a.authors);
    CHECK(b.topics == a.topics);
    REQUIRE(b.entities.size() == 3);
    CHECK(b.entities[0].name == "Kim Jong Un");
    CHECK(b.entities[0].key == "kim jong un");
    CHECK(b.entities[1].key == "societe generale");
    CHECK(b.entities[1].given);
    CHECK(b.entities[2].name == "U.S.");
    CHECK(b.entities[2].key == "us");
    CHECK(b.entities[0].mentions == 3);
    CHECK(b.entities[0].in_title);
    CHECK_FALSE(b.entities[0].given);
    CHECK_THROWS_AS((void)decode_stored_article("", codec), Error);
    CHECK_THROWS_AS((void)decode_stored_article("\x02garbage", codec), Error);
}

TEST_CASE("the stored JSON reader: every field back, escapes, unknown keys skipped, bad input an error") {
    Article a;
    a.id = "id/\"quoted\"\\";
    a.url = "https://example.org/a?b=1&c=\u00e9";
    a.title = "Tab\there, newline\nthere, \x01 control";
    a.body = "Emoji \xF0\x9F\x93\xB0 and CJK \xE6\x96\xB0\xE9\x97\xBB";
    a.source = "Wire";
    a.language = "en";
    a.dateline = "LONDON, Jan 8";
    a.captions = {"One", "Two \"2\""};
    a.date = -86400;  // before 1970
    const Article b = article_from_json(article_to_json(a));
    CHECK(b.id == a.id);
    CHECK(b.url == a.url);
    CHECK(b.title == a.title);
    CHECK(b.body == a.body);
    CHECK(b.source == a.source);
    CHECK(b.language == a.language);
    CHECK(b.dateline == a.dateline);
    CHECK(b.captions == a.captions);
    CHECK(b.date == a.date);
    CHECK(b.entities.empty());
    // A key a later version may add is skipped, whatever its value holds.
    const Article c = article_from_json(R"({"id":"k","new":{"x":[1,{"y":"z"}]},"t":"T","b":"B"})");
    CHECK(c.id == "k");
    CHECK(c.title == "T");
    CHECK(c.body == "B");
    CHECK_FALSE(c.date.has_value());
    for (const char* bad : {"", "[]", "{", R"({"id":"x")", R"({"id":5})", R"({"d":"yesterday"})",
                            R"({"e":[["person","Name",0,1]]})", R"({"e":[["person",3,0,1,0]]})", R"({"a":"not a list"})",
                            "not json at all"}) {
        INFO(bad);
        CHECK_THROWS_AS((void)article_from_json(bad), Error);
    }
}

TEST_CASE("stored JSON: the direct writer matches nlohmann's dump on escapes, every field, and invalid UTF-8") {
    Article a;
    a.id = "id \"q\" \\ back";
    a.url = "https://example.org/a?b=c&d=\u00e9";
    a.title = std::string("ctl \x01\x02\x1f del \x7f tab\t cr\r lf\n bs\b ff\f nul ") + std::string(1, '\0') + " end";
    a.body = "Caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xb0 \"quoted\" back\\slash /slash";
    a.date = -86400;
    a.source = "Wire";
    a.authors = {"A. Writer", "B \"Two\""};
    a.language = "en";
    a.dateline = "PARIS, Jan 8 -";
    a.captions = {"cap\none"};
    a.topics = {"GCAT", "E11"};
    a.entities.push_back(ArticleEntity{EntityKind::Person, "Kim Jong Un", "kim jong un", 3, true, false, false});
    a.entities.push_back(ArticleEntity{EntityKind::Org, "Soci\xc3\xa9t\xc3\xa9 G\xc3\xa9n\xc3\xa9rale", "societe generale", 1, false, false, true});
    a.entities.push_back(ArticleEntity{EntityKind::Place, "U.S.", "us", 2, false, true, false});
    CHECK(article_to_json(a) == article_to_json_reference(a));
    // Fields left out when empty, and no date.
    Article b;
    b.id = "x";
    CHECK(article_to_json(b) == article_to_json_reference(b));
    CHECK(article_to_json(b) == R"({"b":"","id":"x","t":""})");
    b.date = 0;
    b.title = "T";
    CHECK(article_to_json(b) == article_to_json_reference(b));
    // Invalid UTF-8 (a lone Latin-1 byte, a truncated sequence, a surrogate) is replaced, as before.
    for (const char* bad : {"caf\xe9", "end \xe2\x82", "sur \xed\xa0\x80 rogate", "\xc0\xaf overlong"}) {
        INFO(bad);
        Article c = a;
        c.body = bad;
        CHECK(article_to_json(c) == article_to_json_reference(c));
        CHECK(article_to_json(c).find("\xef\xbf\xbd") != std::string::npos);
        Article d = a;
        d.entities[0].name = bad;
        CHECK(article_to_json(d) == article_to_json_reference(d));
    }
}

TEST_CASE("stored data: the word sketch in front of the frame, format 1 still read, truncation an error") {
    Article a;
    a.id = "s:1";
    a.title = "Storm closes port";
    a.authors = {"Lena Marsh", "Omar Reyes"};
    a.body = "A storm closed the port. Ships waited.";
    Xapian::TermGenerator tg;
    tg.set_stemmer(Xapian::Stem("english"));
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL_Z);
    Xapian::Document words;
    tg.set_document(words);
    const auto spans = index_free_text(a, tg, true);
    const std::string sketch = word_sketch(words, spans);
    const WordSketch w = read_word_sketch(sketch);
    REQUIRE(w.present);
    // One byte a word, in order: the title's 3, the authors' 4 (their gap closed up), the body's 7.
    REQUIRE(w.title.size() == 3);
    REQUIRE(w.authors.size() == 4);
    REQUIRE(w.body.size() == 7);
    const Xapian::Stem stem("english");
    CHECK(static_cast<unsigned char>(w.title[0]) == sketch_byte(stem("storm")));
    CHECK(static_cast<unsigned char>(w.body[2]) == sketch_byte(stem("closed")));
    CHECK(static_cast<unsigned char>(w.authors[3]) == sketch_byte(stem("reyes")));

    ZstdCodec codec;
    const std::string data = encode_stored_article(article_to_json(a), codec, sketch);
    const StoredParts parts = split_stored_article(data);
    CHECK(parts.sketch == sketch);
    CHECK(decode_stored_article(data, codec).body == a.body);
    // Format 1: a format byte and the frame, no sketch.
    const std::string old = std::string(1, '\x01') + std::string(parts.frame);
    CHECK(split_stored_article(old).sketch.empty());
    CHECK_FALSE(read_word_sketch(split_stored_article(old).sketch).present);
    CHECK(decode_stored_article(old, codec).title == a.title);
    // Cut short anywhere in the sketch: an error, never a read past the end.
    for (std::size_t n = 1; n < 1 + 1 + sketch.size(); ++n) {
        CAPTURE(n);
        CHECK_THROWS_AS((void)decode_stored_article(data.substr(0, n), codec), Error);
    }
    for (std::size_t n = 0; n < sketch.size(); ++n) CHECK_THROWS_AS((void)read_word_sketch(sketch.substr(0, n == 0 ? 1 : n)), Error);
}
