/** @file clusters.cpp
 *  @brief Placeholder until word clustering lands: learns nothing.
 */
#include "indexer/ner/clusters.h"

namespace morgue::ner {

std::vector<std::pair<std::uint64_t, std::uint32_t>> learn_clusters(const std::vector<std::vector<std::string>>&,
                                                                    const ClusterOptions&, std::ostream*) {
    return {};
}

}  // namespace morgue::ner
