/** @file test_date.cpp
 *  @brief Civil dates and ISO 8601.
 */
#include "common/date.h"

#include <doctest/doctest.h>

using namespace morgue;

TEST_CASE("civil date arithmetic round trips over centuries") {
    for (std::int64_t d = -800000; d <= 800000; d += 997) {
        const CivilDate c = civil_from_days(d);
        CHECK(days_from_civil(c.year, c.month, c.day) == d);
    }
    CHECK(days_from_civil(1970, 1, 1) == 0);
    CHECK(days_from_civil(2000, 3, 1) == 11017);
    CHECK(valid_civil(2024, 2, 29));
    CHECK_FALSE(valid_civil(2023, 2, 29));
    CHECK_FALSE(valid_civil(1900, 2, 29));
    CHECK(valid_civil(2000, 2, 29));
}

TEST_CASE("ISO 8601 with and without zones") {
    CHECK(parse_iso8601("2021-01-08") == 1610064000);
    CHECK(parse_iso8601("2021-01-08T00:00:00Z") == 1610064000);
    CHECK(parse_iso8601("2021-01-08T10:30:00+09:00") == 1610064000 + 3600 + 1800);
    CHECK(parse_iso8601("2021-01-08T01:30:00.123-0030") == 1610064000 + 2 * 3600);
    CHECK(parse_iso8601("2021-01-08 05:00") == 1610064000 + 5 * 3600);
    CHECK_FALSE(parse_iso8601("2021-02-30").has_value());
    CHECK_FALSE(parse_iso8601("yesterday").has_value());
    CHECK_FALSE(parse_iso8601("2021-01-08T25:00:00").has_value());
    CHECK_FALSE(parse_iso8601("2021-01-08Tjunk").has_value());
    CHECK(format_iso8601(1610064000) == "2021-01-08T00:00:00Z");
    CHECK(format_yyyymmdd(1610064000 - 1) == "20210107");
    CHECK(format_year_month(-1) == "1969-12");
}
