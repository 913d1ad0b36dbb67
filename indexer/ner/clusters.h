/** @file clusters.h
 *  @brief Unsupervised word clusters learned from unlabelled text, baked into the model.
 */
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

namespace morgue::ner {

struct ClusterOptions {
    int clusters = 256;
};

/// Returns (hash_bytes(lower-cased word), (path << 5) | path_length) for clustered words, sorted by key.
[[nodiscard]] std::vector<std::pair<std::uint64_t, std::uint32_t>> learn_clusters(
    const std::vector<std::vector<std::string>>& sentences, const ClusterOptions& options, std::ostream* log);

}  // namespace morgue::ner
