/** @file shard_select.h
 *  @brief Which shards of an archive a date-restricted query needs to open.
 *
 *  Shard names say what they cover: `YYYY-MM` one month, `YYYY` or `YYYY.N` one
 *  year (compacted), `YYYY..YYYY` or `YYYY..YYYY.N` a span of closed years
 *  (compacted by size), `undated` articles without a date. A query restricted to a
 *  date range opens only the shards that overlap it (never `undated`); a shard
 *  of a name we do not know is always opened, to be safe.
 */
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace morgue {

/// Inclusive range of days, as YYYYMMDD strings ("19870226"); empty = unbounded.
struct DayRange {
    std::string from;
    std::string to;
};

/// First and last day (YYYYMMDD) a shard name covers; nullopt for `undated`,
/// and {"", ""} (everything) for a name of unknown form.
[[nodiscard]] std::optional<DayRange> shard_day_range(const std::string& name);

/// Whether the shard of this name may hold articles of these days: false for `undated`,
/// true for a name of unknown form.
[[nodiscard]] bool shard_may_hold(const std::string& name, const DayRange& range);

/// The shard paths of the archive at dir (as listed in its stub, in order) that
/// a query over range needs; every shard when range is nullopt. Throws
/// ArchiveError if dir has no stub.
[[nodiscard]] std::vector<std::filesystem::path> shards_for_range(const std::filesystem::path& dir,
                                                                  const std::optional<DayRange>& range);

}  // namespace morgue
