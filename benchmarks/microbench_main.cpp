/** @file microbench_main.cpp
 *  @brief Google Benchmark micro-benchmarks: tokenising (index and snippet side), building documents,
 *         near-duplicate fingerprints,
 *         zstd compression and decompression, decoding stored articles, query parsing, and a phrase
 *         checked against an article's stored text.
 *
 *  Text comes from the bundled sample generator (fictional, always present). Bytes/s figures count
 *  title + body bytes, the same measure as morgue-bench index.
 */
#include "common/article.h"
#include "common/stored_article.h"
#include "common/zstd_codec.h"
#include "corpus/sample_generator.h"
#include "indexer/document_builder.h"
#include "indexer/simhash.h"
#include "searcher/positional.h"
#include "searcher/query_builder.h"
#include "searcher/snippet.h"

#include <benchmark/benchmark.h>
#include <xapian.h>

namespace {

const std::vector<morgue::Article>& sample() {
    static const auto articles = morgue::corpus::generate_sample();
    return articles;
}

/// Runs f(article) round-robin over the sample and reports items and title+body bytes.
template <typename F>
void over_sample(benchmark::State& state, F&& f) {
    std::size_t i = 0, bytes = 0;
    for (auto _ : state) {
        const auto& a = sample()[i++ % sample().size()];
        f(a);
        bytes += a.title.size() + a.body.size();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
    state.SetItemsProcessed(state.iterations());
}

// ---- tokenising ----

/// Xapian's TermGenerator alone: English stems and positions, title then body.
void bm_tokenise_termgenerator(benchmark::State& state) {
    Xapian::TermGenerator tg;
    tg.set_stemmer(Xapian::Stem("english"));
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    over_sample(state, [&](const morgue::Article& a) {
        Xapian::Document doc;
        tg.set_document(doc);
        tg.index_text(a.title, 1, "S");
        tg.index_text(a.title);
        tg.increase_termpos(100);
        tg.index_text(a.body);
        benchmark::DoNotOptimize(doc.termlist_count());
    });
}
BENCHMARK(bm_tokenise_termgenerator);

/// The query-side tokeniser: a snippet of the body and a highlighted title for a two-word query.
void bm_tokenise_snippet(benchmark::State& state) {
    morgue::searcher::Snippeter snippeter(Xapian::Stem("english"), {"price", "energi", "energy", "flood"});
    over_sample(state, [&](const morgue::Article& a) {
        benchmark::DoNotOptimize(snippeter.make(a.body));
        benchmark::DoNotOptimize(snippeter.highlight(a.title));
    });
}
BENCHMARK(bm_tokenise_snippet);

/// Everything the indexer does per article before Xapian stores it: terms, values, zstd data.
void bm_document_build(benchmark::State& state) {
    morgue::indexer::DocumentBuilder builder;
    over_sample(state, [&](const morgue::Article& a) { benchmark::DoNotOptimize(builder.build(a)); });
}
BENCHMARK(bm_document_build);

/// The near-duplicate fingerprint of a body: word hashes, 3-word shingles, the 64-bit vote.
void bm_fingerprint(benchmark::State& state) {
    over_sample(state, [&](const morgue::Article& a) { benchmark::DoNotOptimize(morgue::indexer::fingerprint(a.body)); });
}
BENCHMARK(bm_fingerprint);

// ---- compression ----

void bm_zstd_compress(benchmark::State& state) {
    morgue::ZstdCodec codec(static_cast<int>(state.range(0)));
    over_sample(state, [&](const morgue::Article& a) { benchmark::DoNotOptimize(codec.compress(morgue::article_to_json(a))); });
}
BENCHMARK(bm_zstd_compress)->Arg(1)->Arg(3)->Arg(9)->Arg(19);

void bm_zstd_decompress(benchmark::State& state) {
    morgue::ZstdCodec codec(3);
    std::vector<std::string> frames;
    for (const auto& a : sample()) frames.push_back(codec.compress(morgue::article_to_json(a)));
    std::size_t i = 0;
    over_sample(state, [&](const morgue::Article&) { benchmark::DoNotOptimize(codec.decompress(frames[i++ % frames.size()])); });
}
BENCHMARK(bm_zstd_decompress);

/// What the searcher does per result before snippets: zstd frame -> JSON -> Article.
void bm_decode_stored_article(benchmark::State& state) {
    morgue::ZstdCodec codec(3);
    std::vector<std::string> data;
    for (const auto& a : sample()) data.push_back(morgue::encode_stored_article(morgue::article_to_json(a), codec, {}));
    std::size_t i = 0;
    over_sample(state, [&](const morgue::Article&) {
        benchmark::DoNotOptimize(morgue::decode_stored_article(data[i++ % data.size()], codec));
    });
}
BENCHMARK(bm_decode_stored_article);

// ---- queries ----

/// QueryParser with the schema's fields, on an in-memory database.
void bm_query_parse(benchmark::State& state) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    morgue::searcher::QueryBuilder qb(db);
    const char* queries[] = {"International Organized Crime", "\"dock strike\" source:\"harbor wire\"",
                             "title:floods sanction*", "women ordained Church of England"};
    std::size_t i = 0;
    for (auto _ : state) benchmark::DoNotOptimize(qb.parse(queries[i++ % 4]));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(bm_query_parse);

/// A phrase checked against one article's stored text (searcher/positional.h): the article's
/// title and body indexed again with positions, then the phrase looked for.
void bm_phrase_check(benchmark::State& state) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    morgue::searcher::QueryBuilder qb(db);
    const morgue::searcher::PositionalQuery phrase(qb.parse("\"heavy rain\" flooding").query);
    const Xapian::Document doc;
    over_sample(state, [&](const morgue::Article& a) { benchmark::DoNotOptimize(phrase.matches(a, doc)); });
}
BENCHMARK(bm_phrase_check);

}  // namespace

BENCHMARK_MAIN();
