/** @file clusters.h
 *  @brief Unsupervised word classes learned from unlabelled news text, baked into the model.
 *
 *  The exchange algorithm (Kneser and Ney; Martin, Liermann and Ney) for a class bigram model: every
 *  word of the vocabulary is moved, in turn, to the class that most increases the likelihood of the
 *  corpus, until few words move. It is run at two granularities; a word's value packs both class ids.
 */
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

namespace morgue::ner {

struct ClusterOptions {
    int coarse = 32;            ///< classes of the coarse clustering (at most 255)
    int fine = 256;             ///< classes of the fine clustering (at most 65535)
    int iterations = 8;
    std::size_t vocabulary = 30000;  ///< most frequent lower-cased words clustered
    int min_count = 3;
};

/// Packs the class ids: bits 0-7 coarse class + 1, bits 8-23 fine class + 1 (0: not clustered).
[[nodiscard]] constexpr std::uint32_t pack_clusters(int coarse, int fine) {
    return static_cast<std::uint32_t>(coarse + 1) | (static_cast<std::uint32_t>(fine + 1) << 8);
}

/// Returns (hash_bytes(lower-cased word), pack_clusters(...)) for clustered words, sorted by key.
/// Deterministic for a given input.
[[nodiscard]] std::vector<std::pair<std::uint64_t, std::uint32_t>> learn_clusters(
    const std::vector<std::vector<std::string>>& sentences, const ClusterOptions& options, std::ostream* log);

}  // namespace morgue::ner
