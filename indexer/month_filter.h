/** @file month_filter.h
 *  @brief `--months`: which monthly shards one indexing machine owns.
 *
 *  A spec is a comma-separated list of months (`1987-03`), ranges
 *  (`1987-01..1987-03`, open-ended `1987-04..` or `..1986-12`) and `undated`.
 *  Articles whose shard is outside the list are skipped and counted, so several
 *  machines can index the same crawl, each writing only its own shards.
 */
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace morgue::indexer {

class MonthFilter {
  public:
    /// Throws UsageError naming the bad part of spec.
    [[nodiscard]] static MonthFilter parse(std::string_view spec);
    /// True if the shard named `YYYY-MM` (or `undated`) is one of ours.
    [[nodiscard]] bool accepts(const std::string& shard_name) const;
    [[nodiscard]] const std::string& spec() const noexcept { return m_spec; }

  private:
    std::string m_spec;
    std::vector<std::pair<std::string, std::string>> m_ranges;  ///< inclusive; "" = open
    bool m_undated = false;
};

}  // namespace morgue::indexer
