/** @file shard_select.cpp
 *  @brief Shard names to day ranges, and the overlap test.
 */
#include "common/shard_select.h"

#include "common/archive_layout.h"
#include "common/date.h"
#include "common/error.h"

#include <cctype>

namespace morgue {

namespace {

bool digits(const std::string& s, std::size_t pos, std::size_t n) {
    if (s.size() < pos + n) return false;
    for (std::size_t i = pos; i < pos + n; ++i)
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    return true;
}

}  // namespace

std::optional<DayRange> shard_day_range(const std::string& name) {
    if (name == ArchiveLayout::kUndatedShard) return std::nullopt;
    if (name.size() == 7 && digits(name, 0, 4) && name[4] == '-' && digits(name, 5, 2)) {
        const int year = std::stoi(name.substr(0, 4));
        const int month = std::stoi(name.substr(5, 2));
        if (month >= 1 && month <= 12) {
            const std::string ym = name.substr(0, 4) + name.substr(5, 2);
            char last[3];
            std::snprintf(last, sizeof last, "%02d", days_in_month(year, month));
            return DayRange{ym + "01", ym + last};
        }
    }
    if (digits(name, 0, 4) && (name.size() == 4 || (name[4] == '.' && name.size() > 5 && digits(name, 5, name.size() - 5))))
        return DayRange{name.substr(0, 4) + "0101", name.substr(0, 4) + "1231"};
    // A span of years: "1996..2003", or "1996..2003.N".
    if (digits(name, 0, 4) && name.compare(4, 2, "..") == 0 && digits(name, 6, 4) &&
        (name.size() == 10 || (name[10] == '.' && name.size() > 11 && digits(name, 11, name.size() - 11))))
        return DayRange{name.substr(0, 4) + "0101", name.substr(6, 4) + "1231"};
    return DayRange{};
}

bool shard_may_hold(const std::string& name, const DayRange& range) {
    const auto covers = shard_day_range(name);
    if (!covers) return false;  // undated articles never fall in a date range
    if (covers->from.empty()) return true;
    return (range.to.empty() || covers->from <= range.to) && (range.from.empty() || covers->to >= range.from);
}

std::vector<std::filesystem::path> shards_for_range(const std::filesystem::path& dir,
                                                    const std::optional<DayRange>& range) {
    const ArchiveLayout layout(dir);
    if (!std::filesystem::exists(layout.stub())) throw ArchiveError(dir.string() + ": not a Morgue archive (no XAPIANDB stub)");
    std::vector<std::filesystem::path> out;
    for (const auto& name : layout.read_stub())
        if (!range || shard_may_hold(name, *range)) out.push_back(layout.shard_path(name));
    return out;
}

}  // namespace morgue
