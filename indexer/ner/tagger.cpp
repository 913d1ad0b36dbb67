/** @file tagger.cpp
 *  @brief Tagging with int16 hashed weights and constrained Viterbi decoding.
 */
#include "indexer/ner/tagger.h"

#include <array>

namespace morgue::ner {

struct Tagger::Impl {
    explicit Impl(ModelData d) : data(std::move(d)), resources(Resources::from(data)), extractor(resources, data.bucket_bits) {
        inverse_scale = data.scale != 0 ? 1.0f / data.scale : 0.0f;
        // Lexical tables now live in the lookup maps; drop the sorted copies.
        data.lexicon = {};
        data.gazetteer = {};
        data.clusters = {};
    }
    ModelData data;
    Resources resources;
    FeatureExtractor extractor;
    float inverse_scale = 1.0f;
};

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
    std::vector<std::vector<Tag>> result(sentences.size());
    DocHistory history;
    SentenceFeatures feats;
    std::vector<float> emission;
    const std::int16_t* weights = m.data.weights.data();
    for (std::size_t s = 0; s < sentences.size(); ++s) {
        const auto& words = sentences[s];
        const std::size_t n = words.size();
        if (n == 0) continue;
        const SentenceKind kind = s < kinds.size() ? kinds[s] : SentenceKind::Body;
        m.extractor.extract(words, kind, history, feats);
        emission.resize(n * k_num_tags);
        for (std::size_t i = 0; i < n; ++i) {
            std::array<std::int32_t, k_num_tags> acc{};
            for (std::uint32_t f = feats.offsets[i]; f < feats.offsets[i + 1]; ++f) {
                const std::int16_t* row = weights + feats.rows[f];
                for (int t = 0; t < k_num_tags; ++t) acc[t] += row[t];
            }
            for (int t = 0; t < k_num_tags; ++t) emission[i * k_num_tags + t] = static_cast<float>(acc[t]) * m.inverse_scale;
        }
        viterbi(emission, n, m.data.transitions, result[s]);
        history.record(feats.keys, feats.capitalised, result[s]);
    }
    return result;
}

}  // namespace morgue::ner
