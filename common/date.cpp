/** @file date.cpp
 *  @brief Civil-date arithmetic and ISO 8601 parsing, without the C library's time zones.
 */
#include "common/date.h"

#include <cctype>
#include <cstdio>

namespace morgue {

std::int64_t days_from_civil(int year, int month, int day) noexcept {
    // Howard Hinnant's well-known algorithm, written out from its description.
    const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t mp = (month + 9) % 12;
    const std::int64_t doy = (153 * mp + 2) / 5 + day - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

CivilDate civil_from_days(std::int64_t z) noexcept {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    return CivilDate{static_cast<int>(y), m, d};
}

int days_in_month(int year, int month) noexcept {
    static constexpr int k_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) return 0;
    if (month == 2) {
        const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        return leap ? 29 : 28;
    }
    return k_days[month - 1];
}

bool valid_civil(int year, int month, int day) noexcept {
    return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
           day <= days_in_month(year, month);
}

namespace {

/// Reads exactly n digits at pos; advances pos.
bool read_digits(std::string_view s, std::size_t& pos, int n, int& out) {
    if (pos + static_cast<std::size_t>(n) > s.size()) return false;
    int v = 0;
    for (int i = 0; i < n; ++i) {
        const char c = s[pos + static_cast<std::size_t>(i)];
        if (c < '0' || c > '9') return false;
        v = v * 10 + (c - '0');
    }
    pos += static_cast<std::size_t>(n);
    out = v;
    return true;
}

}  // namespace

std::optional<UnixTime> parse_iso8601(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    std::size_t pos = 0;
    int year = 0, month = 0, day = 0;
    if (!read_digits(s, pos, 4, year)) return std::nullopt;
    if (pos >= s.size() || s[pos] != '-') return std::nullopt;
    ++pos;
    if (!read_digits(s, pos, 2, month)) return std::nullopt;
    if (pos >= s.size() || s[pos] != '-') return std::nullopt;
    ++pos;
    if (!read_digits(s, pos, 2, day)) return std::nullopt;
    if (!valid_civil(year, month, day)) return std::nullopt;
    int hour = 0, minute = 0, second = 0;
    int offset_seconds = 0;
    if (pos < s.size()) {
        if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return std::nullopt;
        ++pos;
        if (!read_digits(s, pos, 2, hour)) return std::nullopt;
        if (pos >= s.size() || s[pos] != ':') return std::nullopt;
        ++pos;
        if (!read_digits(s, pos, 2, minute)) return std::nullopt;
        if (pos < s.size() && s[pos] == ':') {
            ++pos;
            if (!read_digits(s, pos, 2, second)) return std::nullopt;
            if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
                ++pos;
                const std::size_t start = pos;
                while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) ++pos;
                if (pos == start) return std::nullopt;
            }
        }
        if (hour > 24 || minute > 59 || second > 60) return std::nullopt;
        if (pos < s.size()) {
            const char z = s[pos];
            if (z == 'Z' || z == 'z') {
                ++pos;
            } else if (z == '+' || z == '-') {
                ++pos;
                int oh = 0, om = 0;
                if (!read_digits(s, pos, 2, oh)) return std::nullopt;
                if (pos < s.size() && s[pos] == ':') ++pos;
                if (pos < s.size() && !read_digits(s, pos, 2, om)) return std::nullopt;
                if (oh > 23 || om > 59) return std::nullopt;
                offset_seconds = (oh * 3600 + om * 60) * (z == '+' ? 1 : -1);
            } else {
                return std::nullopt;
            }
        }
        if (pos != s.size()) return std::nullopt;
    }
    const std::int64_t days = days_from_civil(year, month, day);
    return days * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
}

namespace {

void split(UnixTime t, CivilDate& date, int& hh, int& mm, int& ss) {
    std::int64_t days = t / 86400;
    std::int64_t rem = t % 86400;
    if (rem < 0) {
        rem += 86400;
        --days;
    }
    date = civil_from_days(days);
    hh = static_cast<int>(rem / 3600);
    mm = static_cast<int>((rem % 3600) / 60);
    ss = static_cast<int>(rem % 60);
}

}  // namespace

std::string format_iso8601(UnixTime t) {
    CivilDate d;
    int hh = 0, mm = 0, ss = 0;
    split(t, d, hh, mm, ss);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", d.year, d.month, d.day, hh, mm, ss);
    return buf;
}

namespace {

/// The UTC calendar day of t.
CivilDate day_of(UnixTime t) {
    CivilDate d;
    int hh = 0, mm = 0, ss = 0;
    split(t, d, hh, mm, ss);
    return d;
}

}  // namespace

std::string format_yyyymmdd(UnixTime t) {
    const CivilDate d = day_of(t);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d%02d%02d", d.year, d.month, d.day);
    return buf;
}

std::string format_year_month(UnixTime t) {
    const CivilDate d = day_of(t);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d", d.year, d.month);
    return buf;
}

}  // namespace morgue
