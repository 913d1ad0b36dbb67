/** @file month_filter.cpp
 *  @brief Parsing month specs; shard names compare as text (YYYY-MM).
 */
#include "indexer/month_filter.h"

#include "common/error.h"

namespace morgue::indexer {

namespace {

bool is_month(std::string_view s) {
    if (s.size() != 7 || s[4] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6})
        if (s[i] < '0' || s[i] > '9') return false;
    const int month = (s[5] - '0') * 10 + (s[6] - '0');
    return month >= 1 && month <= 12;
}

}  // namespace

MonthFilter MonthFilter::parse(std::string_view spec) {
    MonthFilter f;
    f.m_spec = std::string(spec);
    std::size_t pos = 0;
    while (pos <= spec.size()) {
        const auto comma = spec.find(',', pos);
        const std::string_view part = spec.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
        const auto bad = [&](const std::string& why) {
            return UsageError("--months '" + std::string(spec) + "': '" + std::string(part) + "' " + why);
        };
        if (part == "undated") {
            f.m_undated = true;
        } else if (const auto dots = part.find(".."); dots != std::string_view::npos) {
            const std::string_view from = part.substr(0, dots), to = part.substr(dots + 2);
            if ((!from.empty() && !is_month(from)) || (!to.empty() && !is_month(to)) || (from.empty() && to.empty()))
                throw bad("is not a range of months YYYY-MM..YYYY-MM");
            if (!from.empty() && !to.empty() && from > to) throw bad("ends before it starts");
            f.m_ranges.emplace_back(std::string(from), std::string(to));
        } else if (is_month(part)) {
            f.m_ranges.emplace_back(std::string(part), std::string(part));
        } else {
            throw bad("is not a month (YYYY-MM), a range (YYYY-MM..YYYY-MM) or 'undated'");
        }
        if (comma == std::string_view::npos) break;
        pos = comma + 1;
    }
    return f;
}

bool MonthFilter::accepts(const std::string& shard_name) const {
    if (!is_month(shard_name)) return m_undated && shard_name == "undated";
    for (const auto& [from, to] : m_ranges)
        if ((from.empty() || shard_name >= from) && (to.empty() || shard_name <= to)) return true;
    return false;
}

}  // namespace morgue::indexer
