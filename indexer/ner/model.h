/** @file model.h
 *  @brief The tagger's model: hashed feature weights, tag transitions and the baked-in lexical resources.
 *
 *  File format (little-endian), version 2 (version 1 is version 2 without the second stage):
 *    bytes 0-7   magic "MRGNER02"
 *    u64         size of the uncompressed payload
 *    u64         size of the zstd-compressed payload that follows
 *    payload:    u32 bucket_bits, u32 num_tags, f32 scale,
 *                f32 transitions[(num_tags + 1) * num_tags]  (last row: start of sentence),
 *                i16 weights[(1 << bucket_bits) * num_tags]  (weight = value / scale),
 *                three tables (lexicon u8, gazetteer u8, clusters u32) each as u64 count then
 *                (u64 key, value) pairs sorted by key, u32 gazetteer_max_len, u64 n + n bytes of info text,
 *                u8 has_stack, and if 1 the second stage: f32 scale, f32 transitions[...], i16 weights[...].
 */
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "indexer/ner/tags.h"

namespace morgue::ner {

/// Read-only open-addressing map from non-zero 64-bit hashes to small values.
template <typename V>
class FlatMap {
public:
    FlatMap() = default;
    explicit FlatMap(const std::vector<std::pair<std::uint64_t, V>>& entries) {
        std::size_t cap = 16;
        while (cap < entries.size() * 2) cap *= 2;
        m_keys.assign(cap, 0);
        m_values.assign(cap, V{});
        m_mask = cap - 1;
        for (const auto& [k, v] : entries) {
            const std::uint64_t key = k | 1;  // 0 marks an empty slot
            std::size_t pos = (key >> 17) & m_mask;
            while (m_keys[pos] != 0 && m_keys[pos] != key) pos = (pos + 1) & m_mask;
            m_keys[pos] = key;
            m_values[pos] = v;
        }
    }
    [[nodiscard]] const V* find(std::uint64_t k) const {
        if (m_keys.empty()) return nullptr;
        const std::uint64_t key = k | 1;
        std::size_t pos = (key >> 17) & m_mask;
        while (m_keys[pos] != 0) {
            if (m_keys[pos] == key) return &m_values[pos];
            pos = (pos + 1) & m_mask;
        }
        return nullptr;
    }

private:
    std::vector<std::uint64_t> m_keys;
    std::vector<V> m_values;
    std::uint64_t m_mask = 0;
};

/// Lexicon value: bits 0-2 capitalisation class, bit 3 usually all capitals, bits 4-7 log2 frequency.
namespace lexicon_bits {
inline constexpr std::uint8_t k_cap_mask = 0x07;
inline constexpr std::uint8_t k_acronym = 0x08;
inline constexpr int k_freq_shift = 4;
}  // namespace lexicon_bits

using TransitionTable = std::array<float, (k_num_tags + 1) * k_num_tags>;

/// Everything a model file holds, in the form it is saved.
struct ModelData {
    std::uint32_t bucket_bits = 20;
    float scale = 1.0f;
    std::vector<std::int16_t> weights;
    TransitionTable transitions{};
    std::vector<std::pair<std::uint64_t, std::uint8_t>> lexicon;
    std::vector<std::pair<std::uint64_t, std::uint8_t>> gazetteer;  ///< phrase hash -> type bit mask
    std::uint32_t gazetteer_max_len = 0;
    std::vector<std::pair<std::uint64_t, std::uint32_t>> clusters;  ///< word hash -> packed class ids (clusters.h)
    std::string info;                                               ///< how it was trained
    /// The second (stacked) stage; empty stack_weights: a one-stage model.
    float stack_scale = 1.0f;
    std::vector<std::int16_t> stack_weights;
    TransitionTable stack_transitions{};
};

/// The lexical resources in lookup form.
struct Resources {
    FlatMap<std::uint8_t> lexicon;
    FlatMap<std::uint8_t> gazetteer;
    std::uint32_t gazetteer_max_len = 0;
    FlatMap<std::uint32_t> clusters;

    static Resources from(const ModelData& data) {
        return Resources{FlatMap<std::uint8_t>(data.lexicon), FlatMap<std::uint8_t>(data.gazetteer),
                         data.gazetteer_max_len, FlatMap<std::uint32_t>(data.clusters)};
    }
};

void save_model(const ModelData& data, const std::filesystem::path& path);
[[nodiscard]] ModelData load_model_data(const std::filesystem::path& path);

/// The model's file name inside share/morgue/.
inline constexpr const char* k_default_model_name = "morgue-ner-en.bin";

/// Finds the model: explicit path if non-empty, then $MORGUE_NER_MODEL, then
/// <exe dir>/../share/morgue/<name>, then the source tree. Throws morgue::Error if none exists.
[[nodiscard]] std::filesystem::path find_model(const std::filesystem::path& explicit_path = {});

}  // namespace morgue::ner
