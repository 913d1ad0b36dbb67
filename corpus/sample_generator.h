/** @file sample_generator.h
 *  @brief The bundled sample archive: a few hundred short articles the project generates.
 *
 *  Deterministic (same output on every machine), fictional people and
 *  organisations in real places, several sources, dates over several years,
 *  and a few near-identical wire copies. For the README demo and fast tests.
 */
#pragma once

#include "common/article.h"

#include <cstddef>
#include <vector>

namespace morgue::corpus {

struct SampleOptions {
    std::size_t stories = 240;      ///< distinct stories; wire copies come on top
    std::uint64_t seed = 19870226;  ///< any seed gives a valid corpus; the default is the bundled one
};

/// Generates the sample corpus. Ids look like "sample-0001"; copies "sample-0001-c1".
[[nodiscard]] std::vector<Article> generate_sample(const SampleOptions& options = {});

}  // namespace morgue::corpus
