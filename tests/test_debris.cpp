/** @file test_debris.cpp
 *  @brief Crawl debris learned from a generated crawl: a source's repeated lines go, its reporting stays.
 *
 *  The crawl is generated here from a small fictional vocabulary; the template lines are this test's
 *  own inventions, so nothing the model removes can have been written into the code.
 */
#include "corpus/clean.h"
#include "corpus/debris.h"
#include "corpus/reader.h"
#include "test_helpers.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <set>

using namespace morgue;
namespace fs = std::filesystem;

namespace {

/// A sentence of fictional reporting, different for every (article, paragraph, sentence).
std::string sentence(std::mt19937& rng) {
    static const char* subjects[] = {"The harbour council", "Dock pilots", "The ferry operator", "Two inspectors",
                                     "The port authority", "Night crews", "A salvage team", "The tug owners"};
    static const char* verbs[] = {"reviewed", "delayed", "approved", "questioned", "measured", "repaired",
                                  "rerouted", "inspected"};
    static const char* objects[] = {"the northern breakwater", "three grain barges", "the new tide gauges",
                                    "a cracked mooring bollard", "the winter timetable", "the fuel jetty",
                                    "the dredging contract", "two idle cranes"};
    static const char* tails[] = {"on Tuesday", "after the storm", "before the audit", "at low tide",
                                  "for the third time", "despite the fog", "under new rules", "by late evening"};
    std::uniform_int_distribution<int> pick(0, 7);
    std::uniform_int_distribution<int> number(2, 9999);
    return std::string(subjects[pick(rng)]) + " " + verbs[pick(rng)] + " " + objects[pick(rng)] + " " +
           tails[pick(rng)] + ", with " + std::to_string(number(rng)) + " tonnes counted.";
}

struct GeneratedCrawl {
    std::vector<std::string> templates;       ///< the source's own repeated lines
    std::vector<std::string> real_paragraphs;  ///< every paragraph of reporting
    std::string jsonl;
};

/// 60 articles from one source; each carries most of the source's template lines around its own text.
/// One paragraph of reporting is quoted in two articles: repeated, but not debris.
GeneratedCrawl generate(const std::string& source, int articles, unsigned seed) {
    GeneratedCrawl g;
    g.templates = {"WATCH: " + source + " live from the quay, every evening at six",
                   "Sign up for the " + source + " tide sheet, delivered before breakfast.",
                   "Continue reading on the " + source + " app",
                   "Advertisement"};
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> coin(0, 99);
    const std::string shared_quote = "\"We will keep the channel open,\" the harbour master said of the dredging.";
    for (int i = 0; i < articles; ++i) {
        std::vector<std::string> paras;
        if (coin(rng) < 70) paras.push_back(g.templates[0]);
        for (int p = 0; p < 4; ++p) {
            std::string para = sentence(rng) + " " + sentence(rng);
            g.real_paragraphs.push_back(para);
            paras.push_back(para);
            if (p == 1 && coin(rng) < 50) paras.push_back(g.templates[3]);
        }
        if (i == 3 || i == 4) {
            paras.push_back(shared_quote);
            g.real_paragraphs.push_back(shared_quote);
        }
        if (coin(rng) < 60) paras.push_back(g.templates[1]);
        paras.push_back(g.templates[2]);
        std::string body;
        for (const auto& p : paras) body += (body.empty() ? "" : "\\n") + p;
        g.jsonl += "{\"id\":\"" + source + "-" + std::to_string(i) + "\",\"source\":\"" + source +
                   "\",\"title\":\"Harbour story " + std::to_string(i) + "\",\"body\":\"";
        for (char c : body) g.jsonl += c == '"' ? std::string("\\\"") : std::string(1, c);
        g.jsonl += "\"}\n";
    }
    return g;
}

std::vector<Article> read_all(const std::vector<std::string>& inputs, bool remove_debris) {
    std::vector<Article> out;
    corpus::Sink sink;
    sink.article = [&](Article&& a) { out.push_back(std::move(a)); };
    sink.reject = [](corpus::Reject&& r) { FAIL("unexpected reject: " << r.reason); };
    corpus::ReadOptions options;
    options.remove_debris = remove_debris;
    corpus::read_inputs(inputs, options, sink);
    return out;
}

}  // namespace

TEST_CASE("a generated crawl of 60 articles: the source's repeated lines are removed, its reporting stays") {
    const fs::path dir = test::scratch("debris");
    const GeneratedCrawl g = generate("Quayside Courier", 60, 7);
    // A second, small source uses the same kind of line in each of its 4 articles: too few to learn from.
    const GeneratedCrawl small = generate("Tiny Tide", 4, 11);
    {
        std::ofstream out(dir / "night.jsonl");
        out << g.jsonl << small.jsonl;
    }
    const auto kept = read_all({(dir / "night.jsonl").string()}, false);
    const auto cleaned = read_all({(dir / "night.jsonl").string()}, true);
    REQUIRE(kept.size() == 64);
    REQUIRE(cleaned.size() == 64);

    std::set<std::string> paragraphs_after;
    for (std::size_t i = 0; i < 60; ++i) {
        CHECK(cleaned[i].id == kept[i].id);  // ids never depend on the batch
        for (const auto& p : corpus::paragraphs(cleaned[i].body)) paragraphs_after.insert(p);
    }
    for (const auto& t : g.templates) CHECK_MESSAGE(paragraphs_after.count(t) == 0, "debris kept: " << t);
    for (const auto& p : g.real_paragraphs) CHECK_MESSAGE(paragraphs_after.count(p) == 1, "reporting lost: " << p);
    // Without learning, the template lines are there (the test would catch a reader that drops them itself).
    std::size_t template_hits = 0;
    for (std::size_t i = 0; i < 60; ++i)
        for (const auto& p : corpus::paragraphs(kept[i].body)) template_hits += p == g.templates[2] ? 1 : 0;
    CHECK(template_hits == 60);
    // The small source keeps its lines: 4 articles say nothing about what repeats.
    for (std::size_t i = 60; i < 64; ++i) CHECK(cleaned[i].body == kept[i].body);

    // The model itself names what it learned: the four template lines, nothing else.
    corpus::DebrisModel model;
    for (const auto& a : kept) model.learn(a);
    model.finish();
    auto learned = model.debris_of("quayside courier");
    auto expected = g.templates;
    std::sort(expected.begin(), expected.end());
    CHECK(learned == expected);
    CHECK(model.debris_of("tiny tide").empty());
}

TEST_CASE("a directory of text files without a source: learned together, removed from each") {
    const fs::path dir = test::scratch("debris_text");
    std::mt19937 rng(3);
    std::vector<std::string> real;
    for (int i = 0; i < 50; ++i) {
        std::ofstream out(dir / ("story-" + std::to_string(i) + ".txt"));
        const std::string a = sentence(rng) + " " + sentence(rng), b = sentence(rng) + " " + sentence(rng);
        real.push_back(a);
        real.push_back(b);
        out << "Harbour headline number " << i << "\n\nMore from the quay: tap to follow our live harbour feed\n\n"
            << a << "\n\n" << b << "\n\nFull story at the Quayside Courier\n";
    }
    const auto articles = read_all({dir.string()}, true);
    REQUIRE(articles.size() == 50);
    for (const auto& art : articles) {
        CHECK(art.body.find("tap to follow") == std::string::npos);
        CHECK(art.body.find("Full story at") == std::string::npos);
    }
    std::set<std::string> after;
    for (const auto& art : articles)
        for (const auto& p : corpus::paragraphs(art.body)) after.insert(p);
    for (const auto& p : real) CHECK(after.count(p) == 1);
}

TEST_CASE("a crawl file past 16 MB is learnt from in two halves: the same articles come out as from one model") {
    const fs::path dir = test::scratch("debris_halves");
    // Two large sources, then a small one whose line is in 2 articles at the very start and 2 at the
    // very end of the file: only the two halves' counts together reach min_repeats (3).
    const GeneratedCrawl big1 = generate("Quayside Courier", 11000, 21);
    const GeneratedCrawl big2 = generate("Harbor Wire", 11000, 22);
    const GeneratedCrawl split = generate("Split Source", 24, 23);
    const std::string line = "Listen to the Split Source harbour podcast";
    std::vector<std::string> split_lines;
    for (std::size_t at = 0, i = 0; at < split.jsonl.size(); ++i) {
        const std::size_t end = split.jsonl.find('\n', at) + 1;
        std::string l = split.jsonl.substr(at, end - at);
        if (i < 2 || i >= 22) l.insert(l.find("\"body\":\"") + 8, line + "\\n");
        split_lines.push_back(l);
        at = end;
    }
    {
        std::ofstream out(dir / "night.jsonl", std::ios::binary);
        for (std::size_t i = 0; i < 12; ++i) out << split_lines[i];
        out << big1.jsonl << big2.jsonl;
        for (std::size_t i = 12; i < 24; ++i) out << split_lines[i];
    }
    REQUIRE(fs::file_size(dir / "night.jsonl") > (16u << 20));

    const auto kept = read_all({(dir / "night.jsonl").string()}, false);
    const auto cleaned = read_all({(dir / "night.jsonl").string()}, true);
    REQUIRE(kept.size() == 22024);
    REQUIRE(cleaned.size() == kept.size());
    // One model over every article, applied to each: what a single first pass decides.
    corpus::DebrisModel whole;
    for (const auto& a : kept) whole.learn(a);
    whole.finish();
    std::size_t differ = 0, removed = 0;
    for (std::size_t i = 0; i < kept.size(); ++i) {
        Article a = kept[i];
        removed += whole.apply(a);
        differ += a.body != cleaned[i].body ? 1 : 0;
    }
    CHECK(differ == 0);
    CHECK(removed > 20000);
    // The line split between the halves is debris, and it went.
    std::size_t split_hits = 0;
    for (const auto& a : cleaned)
        for (const auto& p : corpus::paragraphs(a.body)) split_hits += p == line ? 1 : 0;
    CHECK(split_hits == 0);
    CHECK(whole.debris_of("split source").size() >= 1);

    // merge() alone: two models over two parts decide as one.
    corpus::DebrisModel first, second, merged;
    for (std::size_t i = 0; i < kept.size(); ++i) (i < kept.size() / 3 ? first : second).learn(kept[i]);
    merged.merge(std::move(first));
    merged.merge(std::move(second));
    merged.finish();
    CHECK(merged.debris_count() == whole.debris_count());
}
