/** @file bench_ner.cpp
 *  @brief Google Benchmark micro-benchmarks of the NER tagger: tagging pre-tokenised CoNLL text
 *         (tokens/s, the 300,000 tokens/s bar) and whole-article extraction.
 */
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "indexer/ner/conll.h"
#include "indexer/ner/entities.h"
#include "indexer/ner/tagger.h"

namespace {

using namespace morgue::ner;

const Tagger& tagger() {
    static const Tagger t = Tagger::load_default();
    return t;
}

/// The CoNLL dev set when ../shared is there, else a generated stand-in of newswire-like sentences.
const std::vector<ConllDocument>& documents() {
    static const std::vector<ConllDocument> docs = [] {
        std::filesystem::path shared = MORGUE_SHARED_DIR;
        if (const char* env = std::getenv("MORGUE_SHARED"); env && *env) shared = env;
        const auto dev = shared / "ner" / "conll2003" / "valid.txt";
        if (std::filesystem::exists(dev)) return read_conll(dev);
        std::vector<ConllDocument> out(50);
        const std::vector<std::string> words = {"The", "European", "Commission", "said", "on", "Thursday", "it",
                                                "disagreed", "with", "German", "advice", "to", "consumers", "in",
                                                "Brussels", "and", "Peter", "Blackburn", "reported", "."};
        for (auto& d : out)
            for (int s = 0; s < 20; ++s) d.sentences.push_back(ConllSentence{words, std::vector<Tag>(words.size(), 0)});
        return out;
    }();
    return docs;
}

void bm_tag_documents(benchmark::State& state) {
    std::vector<std::vector<std::vector<std::string_view>>> views;
    std::int64_t tokens = 0;
    for (const ConllDocument& d : documents()) {
        views.emplace_back();
        for (const ConllSentence& s : d.sentences) {
            views.back().emplace_back(s.words.begin(), s.words.end());
            tokens += static_cast<std::int64_t>(s.words.size());
        }
    }
    for (auto _ : state)
        for (const auto& doc : views) benchmark::DoNotOptimize(tagger().tag_document(doc));
    state.SetItemsProcessed(state.iterations() * tokens);  // items/s = tokens/s
}
BENCHMARK(bm_tag_documents)->Unit(benchmark::kMillisecond);

void bm_extract_entities(benchmark::State& state) {
    std::string body;
    for (int i = 0; i < 10; ++i)
        body += "German Chancellor Helmut Kohl said on Friday he would meet French President Jacques Chirac "
                "in Strasbourg, the Deutsche Presse-Agentur (DPA) reported. Kohl also thanked the European Union. ";
    for (auto _ : state) benchmark::DoNotOptimize(extract_entities(tagger(), "KOHL TO MEET CHIRAC", body));
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(body.size()));
}
BENCHMARK(bm_extract_entities);

}  // namespace

BENCHMARK_MAIN();
