/** @file microbench_main.cpp
 *  @brief Google Benchmark micro-benchmarks: tokenising (TermGenerator) and zstd compression.
 */
#include "common/zstd_codec.h"
#include "corpus/sample_generator.h"
#include "indexer/document_builder.h"

#include <benchmark/benchmark.h>

namespace {

const std::vector<morgue::Article>& sample() {
    static const auto articles = morgue::corpus::generate_sample();
    return articles;
}

void bm_document_build(benchmark::State& state) {
    morgue::indexer::DocumentBuilder builder;
    std::size_t i = 0, bytes = 0;
    for (auto _ : state) {
        const auto& a = sample()[i++ % sample().size()];
        benchmark::DoNotOptimize(builder.build(a));
        bytes += a.title.size() + a.body.size();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(bm_document_build);

void bm_zstd_compress(benchmark::State& state) {
    morgue::ZstdCodec codec(static_cast<int>(state.range(0)));
    std::size_t i = 0, bytes = 0;
    for (auto _ : state) {
        const auto& a = sample()[i++ % sample().size()];
        benchmark::DoNotOptimize(codec.compress(a.body));
        bytes += a.body.size();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(bm_zstd_compress)->Arg(1)->Arg(3)->Arg(9);

}  // namespace

BENCHMARK_MAIN();
