/** @file tagger.cpp
 *  @brief Tagging with int16 hashed weights and constrained Viterbi decoding.
 */
#include "indexer/ner/tagger.h"

#include <array>
#include <atomic>
#include <memory>

namespace morgue::ner {

struct Tagger::Impl {
    explicit Impl(ModelData d) : data(std::move(d)), resources(Resources::from(data)), extractor(resources, data.bucket_bits) {
        inverse_scale = data.scale != 0 ? 1.0f / data.scale : 0.0f;
        stack_inverse_scale = data.stack_scale != 0 ? 1.0f / data.stack_scale : 0.0f;
        // Lexical tables now live in the lookup maps; drop the sorted copies.
        data.lexicon = {};
        data.gazetteer = {};
        data.clusters = {};
    }
    ModelData data;
    Resources resources;
    FeatureExtractor extractor;
    float inverse_scale = 1.0f;
    float stack_inverse_scale = 1.0f;
    /// Names this model for the threads' form memos (an address could be reused by a later model).
    std::uint64_t serial = next_serial();

    static std::uint64_t next_serial() {
        static std::atomic<std::uint64_t> counter{0};
        return ++counter;
    }
};

namespace {

/// This thread's form memo for model m (a new one when the thread last tagged with another model).
FormMemo& form_memo(std::uint64_t model_serial) {
    thread_local std::uint64_t owner = 0;
    thread_local std::unique_ptr<FormMemo> memo;
    if (!memo || owner != model_serial) {
        memo = std::make_unique<FormMemo>();
        owner = model_serial;
    }
    return *memo;
}

}  // namespace

Tagger Tagger::load(const std::filesystem::path& path) { return from_data(load_model_data(path)); }

Tagger Tagger::load_default(const std::filesystem::path& explicit_path) { return load(find_model(explicit_path)); }

Tagger Tagger::from_data(ModelData data) { return Tagger(std::make_shared<const Impl>(std::move(data))); }

const std::string& Tagger::info() const { return m_impl->data.info; }

std::vector<std::string> Tagger::truecase(std::span<const std::string_view> words, SentenceKind kind) const {
    std::vector<std::string> forms;
    m_impl->extractor.truecase(words, kind, forms);
    return forms;
}

std::vector<std::vector<Tag>> Tagger::tag_document(std::span<const std::vector<std::string_view>> sentences,
                                                   std::span<const SentenceKind> kinds) const {
    const Impl& m = *m_impl;
    std::vector<std::vector<Tag>> first;
    DocHistory document;  // every type stage one gave each word in the document
    thread_local StageShare share;  // its sentences' buffers are reused from document to document
    share.memo = MemoUse{&form_memo(m.serial),
                         {m.data.weights.data(), m.data.stack_weights.empty() ? nullptr : m.data.stack_weights.data()}};
    run_stage(m.extractor, StageView{m.data.weights.data(), m.inverse_scale, &m.data.transitions}, sentences, kinds,
              nullptr, nullptr, first, &document, &share);
    if (m.data.stack_weights.empty()) return first;
    std::vector<std::vector<Tag>> second;
    run_stage(m.extractor, StageView{m.data.stack_weights.data(), m.stack_inverse_scale, &m.data.stack_transitions},
              sentences, kinds, &first, &document, second, nullptr, &share);
    return second;
}

}  // namespace morgue::ner
