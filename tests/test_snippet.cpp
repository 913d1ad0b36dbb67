/** @file test_snippet.cpp
 *  @brief Snippet highlighting: stems, irregular stems, possessives and wildcards all still match
 *         now that words are filtered by their first letter before stemming.
 */
#include "searcher/snippet.h"

#include <doctest/doctest.h>

using morgue::searcher::Snippeter;

namespace {

Snippeter english(const std::vector<std::string>& terms) {
    return Snippeter(Xapian::Stem("english"), terms);
}

}  // namespace

TEST_CASE("stems match every inflected form, including irregular English stems") {
    Xapian::Stem stem("english");
    // Porter2 keeps the first letter but changes later ones: lying -> lie, dying -> die, skies -> sky.
    auto s = english({stem("lie"), stem("die"), stem("sky")});
    CHECK(s.highlight("Lying officials, dying crops and grey skies.") ==
          "<b>Lying</b> officials, <b>dying</b> crops and grey <b>skies</b>.");
    auto t = english({stem("ports"), stem("strike")});
    CHECK(t.highlight("Port workers struck; the strikes closed ports.") ==
          "<b>Port</b> workers struck; the <b>strikes</b> closed <b>ports</b>.");
}

TEST_CASE("possessives, curly apostrophes and trailing apostrophes") {
    auto s = english({"kim"});
    CHECK(s.highlight("Kim's visit") == "<b>Kim's</b> visit");
    CHECK(s.highlight("Kim\xE2\x80\x99s visit") == "<b>Kim\xE2\x80\x99s</b> visit");
    CHECK(s.highlight("the Kims' visit to Kim'") == "the <b>Kims</b>' visit to <b>Kim</b>'");
}

TEST_CASE("dotted capitals are one word, as the indexer reads them") {
    auto s = english({"us", Xapian::Stem("english")("trade")});
    CHECK(s.highlight("The U.S. trade gap; U.S.-based firms; us too; U.S") ==
          "The <b>U.S.</b> <b>trade</b> gap; <b>U.S.</b>-based firms; <b>us</b> too; U.S");
    auto a = english({"usa"});
    CHECK(a.highlight("Made in the U.S.A. by A.B. Smith") == "Made in the <b>U.S.A.</b> by A.B. Smith");
}

TEST_CASE("wildcards match by prefix, and short words never match longer terms") {
    auto s = english({Xapian::Stem("english")("shipping")});
    s.set_wildcards({"sanction"});
    CHECK(s.highlight("Sanctions hit shipping; sanctioned ships sail.") ==
          "<b>Sanctions</b> hit <b>shipping</b>; <b>sanctioned</b> <b>ships</b> sail.");
    CHECK(s.highlight("sh s sanc") == "sh s sanc");
}

TEST_CASE("non-ASCII words are stemmed and matched as before") {
    auto s = english({"élan", "zoë"});
    CHECK(s.highlight("With élan, Zoë spoke.") == "With <b>élan</b>, <b>Zoë</b> spoke.");
}

TEST_CASE("bytes that are not UTF-8 are read as Xapian reads them, one character each") {
    // Latin-1 0xFC is read as U+00FC, a letter, so it lower-cases to UTF-8 "\xC3\xBC".
    auto s = english({"strike", "m\xC3\xBCnchen"});
    CHECK(s.highlight("M\xFCnchen strike \xFF strike\xFF") == "<b>M\xFCnchen</b> <b>strike</b> \xFF strike\xFF");
    CHECK(s.highlight("\xC3") == "\xC3");
}

TEST_CASE("the snippet window holds the most distinct query words") {
    Xapian::Stem stem("english");
    auto s = english({stem("harbor"), stem("strike")});
    const std::string text =
        "Markets were calm. Nothing else happened today. The harbor strike began at dawn. "
        "Dockers said the strike would last. Weather was fine.";
    const std::string snip = s.make(text);
    CHECK(snip.find("<b>harbor</b> <b>strike</b>") != std::string::npos);
    CHECK(snip.find("Markets") == std::string::npos);
}
