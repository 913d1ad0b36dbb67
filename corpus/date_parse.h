/** @file date_parse.h
 *  @brief Publication dates in the shapes crawls and collections write them, to UTC.
 *
 *  `parse_date` accepts, in this order: ISO 8601 (with or without a zone; no zone = UTC),
 *  a bare number (epoch seconds; milliseconds when 12+ digits; `YYYYMMDD` when it is one),
 *  and a word form read token by token, which covers RFC 2822 (`Fri, 08 Jan 2021 10:00:00 +0000`,
 *  `GMT`, `EST` ...), Reuters-21578 (`26-FEB-1987 15:01:01.79`, trailing junk ignored once the date and
 *  time are complete), `May 9, 2023 1:33 AM`, `9 May 2023`, `2023/05/09`. A word form needs a
 *  year, a month and a day; a numeric day/month order other than year-first is ambiguous and refused.
 */
#pragma once

#include "common/date.h"

#include <optional>
#include <string_view>

namespace morgue::corpus {

/// Any supported shape to UTC seconds; nullopt when the text is not a date we can read for sure.
[[nodiscard]] std::optional<UnixTime> parse_date(std::string_view text);

/// A date written in a URL path: `/2021/01/08/`, `/2021-01-08/`, `/20210108/` (day precision, midnight UTC).
[[nodiscard]] std::optional<UnixTime> date_from_url(std::string_view url);

/// A date in a dateline ("HONG KONG 1996-08-22", "WASHINGTON, Jan. 8, 2021 -"); needs the year.
[[nodiscard]] std::optional<UnixTime> date_from_dateline(std::string_view dateline);

}  // namespace morgue::corpus
