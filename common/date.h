/** @file date.h
 *  @brief UTC timestamps: parsing ISO 8601 and formatting the forms the archive stores.
 *
 *  Every date in Morgue is seconds since the Unix epoch, UTC. The archive keeps
 *  the publication date in a value slot as an 8-digit YYYYMMDD string, the form
 *  Xapian's DateRangeProcessor and Omega read.
 */
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace morgue {

/// Seconds since 1970-01-01T00:00:00Z.
using UnixTime = std::int64_t;

struct CivilDate {
    int year = 1970;
    int month = 1;  // 1..12
    int day = 1;    // 1..31
};

/// Days since the epoch for a proleptic Gregorian date (no validation).
[[nodiscard]] std::int64_t days_from_civil(int year, int month, int day) noexcept;
/// Inverse of days_from_civil.
[[nodiscard]] CivilDate civil_from_days(std::int64_t days) noexcept;
/// True when year/month/day names a real calendar day.
[[nodiscard]] bool valid_civil(int year, int month, int day) noexcept;
[[nodiscard]] int days_in_month(int year, int month) noexcept;

/// Parse ISO 8601: `2021-01-08`, `2021-01-08T10:00:00`, with fraction and `Z` or `±hh:mm`
/// offset; a date-time without a zone is taken as UTC. Returns nullopt if not ISO 8601.
[[nodiscard]] std::optional<UnixTime> parse_iso8601(std::string_view text);

/// `2021-01-08T10:00:00Z`
[[nodiscard]] std::string format_iso8601(UnixTime t);
/// `20210108`: the value-slot form.
[[nodiscard]] std::string format_yyyymmdd(UnixTime t);
/// `2021-01`: the shard name of a month.
[[nodiscard]] std::string format_year_month(UnixTime t);

}  // namespace morgue
