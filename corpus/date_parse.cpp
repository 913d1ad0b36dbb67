/** @file date_parse.cpp
 *  @brief A small tokenising date reader: numbers, month and weekday names, times, AM/PM and zones.
 */
#include "corpus/date_parse.h"

#include "common/text.h"

#include <cctype>
#include <cstdint>
#include <string>
#include <vector>

namespace morgue::corpus {

namespace {

int month_from_name(std::string_view w) {
    static constexpr const char* k_months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                               "jul", "aug", "sep", "oct", "nov", "dec"};
    static constexpr const char* k_full[] = {"january", "february", "march",     "april",   "may",      "june",
                                             "july",    "august",   "september", "october", "november", "december"};
    for (int i = 0; i < 12; ++i) {
        if (w == k_months[i] || w == k_full[i]) return i + 1;
    }
    if (w == "sept") return 9;
    return 0;
}

bool is_weekday(std::string_view w) {
    static constexpr const char* k_days[] = {"mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
                                             "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
    for (const char* d : k_days)
        if (w == d) return true;
    return false;
}

/// Offset in seconds of a zone abbreviation; false if w is not one.
bool zone_offset(std::string_view w, int& offset) {
    struct Zone {
        const char* name;
        int hours;
    };
    static constexpr Zone k_zones[] = {{"z", 0},   {"ut", 0},   {"utc", 0},  {"gmt", 0},  {"est", -5}, {"edt", -4},
                                       {"cst", -6}, {"cdt", -5}, {"mst", -7}, {"mdt", -6}, {"pst", -8}, {"pdt", -7},
                                       {"et", -5},  {"bst", 1},  {"cet", 1},  {"cest", 2}};
    for (const auto& z : k_zones) {
        if (w == z.name) {
            offset = z.hours * 3600;
            return true;
        }
    }
    return false;
}

struct Parts {
    int year = -1, month = -1, day = -1;
    int hour = -1, minute = 0, second = 0;
    int offset = 0;
    bool zone = false;
    bool pm = false, am = false;
    std::vector<int> loose;  ///< numbers not yet placed
};

bool complete(const Parts& p) { return p.year > 0 && p.month > 0 && p.day > 0; }

std::optional<UnixTime> assemble(Parts p) {
    if (!complete(p) || !valid_civil(p.year, p.month, p.day)) return std::nullopt;
    if (p.hour < 0) p.hour = 0;
    if (p.pm && p.hour < 12) p.hour += 12;
    if (p.am && p.hour == 12) p.hour = 0;
    if (p.hour > 23 || p.minute > 59 || p.second > 60) return std::nullopt;
    return days_from_civil(p.year, p.month, p.day) * 86400 + p.hour * 3600 + p.minute * 60 + p.second - p.offset;
}

/// Reads "h:mm[:ss[.frac]]" at s[i]; advances i.
bool read_time(std::string_view s, std::size_t& i, Parts& p) {
    std::size_t j = i;
    int v[3] = {0, 0, 0};
    int n = 0;
    while (n < 3) {
        const std::size_t start = j;
        int x = 0;
        while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])) && j - start < 2) x = x * 10 + (s[j++] - '0');
        if (j == start) return false;
        v[n++] = x;
        if (j < s.size() && s[j] == ':' && n < 3) {
            ++j;
            continue;
        }
        break;
    }
    if (n < 2) return false;
    if (j < s.size() && (s[j] == '.' || s[j] == ',') && n == 3) {
        ++j;
        while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
    }
    p.hour = v[0];
    p.minute = v[1];
    p.second = v[2];
    i = j;
    return true;
}

/// The word-form reader. `lenient` (datelines) skips unknown words anywhere; otherwise unknown
/// words are allowed only once the date is complete (trailing junk) or before anything was read.
std::optional<UnixTime> parse_tokens(std::string_view s, bool lenient) {
    Parts p;
    std::size_t i = 0;
    bool seen_any = false;
    while (i < s.size()) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (std::isdigit(c)) {
            // A time?
            std::size_t k = i;
            while (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) ++k;
            const std::size_t digits = k - i;
            if (k < s.size() && s[k] == ':' && digits <= 2 && p.hour < 0) {
                if (!read_time(s, i, p)) return std::nullopt;
                seen_any = true;
                continue;
            }
            // Year-first numeric date: 2021-01-08, 2021/01/08, 1996.08.22
            if (digits == 4 && k + 5 < s.size() + 1 && k < s.size() && (s[k] == '-' || s[k] == '/' || s[k] == '.')) {
                const char sep = s[k];
                std::size_t m = k + 1;
                int month = 0, day = 0;
                std::size_t ms = m;
                while (m < s.size() && std::isdigit(static_cast<unsigned char>(s[m])) && m - ms < 2) month = month * 10 + (s[m++] - '0');
                if (m > ms && m < s.size() && s[m] == sep) {
                    std::size_t ds = ++m;
                    while (m < s.size() && std::isdigit(static_cast<unsigned char>(s[m])) && m - ds < 2) day = day * 10 + (s[m++] - '0');
                    if (m > ds && (m == s.size() || !std::isdigit(static_cast<unsigned char>(s[m]))) && p.year < 0) {
                        p.year = std::stoi(std::string(s.substr(i, 4)));
                        p.month = month;
                        p.day = day;
                        seen_any = true;
                        i = m;
                        if (i < s.size() && (s[i] == 'T' || s[i] == 't')) ++i;
                        continue;
                    }
                }
            }
            if (digits > 4) {
                if (complete(p)) break;
                return std::nullopt;
            }
            const int v = std::stoi(std::string(s.substr(i, digits)));
            i = k;
            // Ordinal suffix: 9th, 1st, 2nd, 3rd.
            if (i + 1 < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) {
                const std::string suf = text::to_lower(s.substr(i, 2));
                if (suf == "st" || suf == "nd" || suf == "rd" || suf == "th") i += 2;
            }
            if (complete(p)) {
                if (lenient) continue;
                break;  // trailing junk after a full date
            }
            if (digits == 4) {
                if (p.year > 0) return std::nullopt;
                p.year = v;
            } else if (p.day < 0 && v >= 1 && v <= 31) {
                p.loose.push_back(v);
                if (p.loose.size() > 1) return std::nullopt;  // 01/08: which is the month?
                p.day = v;
            } else if (!lenient) {
                return std::nullopt;
            }
            seen_any = true;
            continue;
        }
        if (c == '+' || (c == '-' && p.hour >= 0 && !p.zone)) {
            // Numeric zone after the time: +0000, -05:00.
            std::size_t k = i + 1;
            int digits = 0, v = 0;
            while (k < s.size() && (std::isdigit(static_cast<unsigned char>(s[k])) || (s[k] == ':' && digits == 2))) {
                if (s[k] != ':') {
                    if (digits < 8) v = v * 10 + (s[k] - '0');  // a long digit run is no zone: never overflow
                    ++digits;
                }
                ++k;
            }
            if (p.hour >= 0 && (digits == 4 || digits == 2)) {
                const int hh = digits == 4 ? v / 100 : v;
                const int mm = digits == 4 ? v % 100 : 0;
                if (hh > 23 || mm > 59) return std::nullopt;
                p.offset = (hh * 3600 + mm * 60) * (c == '+' ? 1 : -1);
                p.zone = true;
                i = k;
                continue;
            }
            ++i;
            continue;
        }
        if (std::isalpha(c)) {
            std::size_t k = i;
            while (k < s.size() && (std::isalpha(static_cast<unsigned char>(s[k])) || s[k] == '.')) ++k;
            std::string w = text::to_lower(s.substr(i, k - i));
            const std::string bare = [&] {
                std::string b;
                for (char ch : w)
                    if (ch != '.') b += ch;
                return b;
            }();
            i = k;
            if (const int m = month_from_name(bare); m > 0 && p.month < 0) {
                p.month = m;
                seen_any = true;
                continue;
            }
            if (is_weekday(bare)) continue;
            if (bare == "am" || bare == "pm") {
                if (p.hour < 0 || p.hour > 12) return std::nullopt;
                (bare == "pm" ? p.pm : p.am) = true;
                continue;
            }
            int off = 0;
            if (!p.zone && p.hour >= 0 && zone_offset(bare, off)) {
                p.offset = off;
                p.zone = true;
                continue;
            }
            if (bare == "t" && complete(p)) continue;
            if (bare == "at" || bare == "of" || bare == "on") continue;
            if (complete(p) || lenient || !seen_any) continue;
            return std::nullopt;
        }
        ++i;  // separators: spaces, commas, dashes, slashes, parentheses
    }
    return assemble(p);
}

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

}  // namespace

std::optional<UnixTime> parse_date(std::string_view raw) {
    const std::string_view s = text::trim(raw);
    if (s.empty() || s.size() > 200) return std::nullopt;
    if (auto iso = parse_iso8601(s)) return iso;
    if (all_digits(s)) {
        if (s.size() == 8) {
            const int y = std::stoi(std::string(s.substr(0, 4)));
            const int m = std::stoi(std::string(s.substr(4, 2)));
            const int d = std::stoi(std::string(s.substr(6, 2)));
            if (y >= 1800 && valid_civil(y, m, d)) return days_from_civil(y, m, d) * 86400;
        }
        if (s.size() >= 9 && s.size() <= 11) return std::stoll(std::string(s));
        if (s.size() >= 12 && s.size() <= 14) return std::stoll(std::string(s)) / 1000;
        return std::nullopt;
    }
    // ISO-like with an offset written "+0000" after seconds and a fraction, or a space before the zone.
    return parse_tokens(s, false);
}

std::optional<UnixTime> date_from_url(std::string_view url) {
    const auto scheme = url.find("://");
    std::string_view path = url;
    if (scheme != std::string_view::npos) {
        const auto slash = url.find('/', scheme + 3);
        if (slash == std::string_view::npos) return std::nullopt;
        path = url.substr(slash);
    }
    path = path.substr(0, path.find_first_of("?#"));
    auto num = [&](std::size_t at, std::size_t n, int& out) {
        if (at + n > path.size()) return false;
        if (!all_digits(path.substr(at, n))) return false;
        out = std::stoi(std::string(path.substr(at, n)));
        return true;
    };
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (path[i] != '/') continue;
        int y = 0, m = 0, d = 0;
        const std::size_t a = i + 1;
        if (!num(a, 4, y) || y < 1900 || y > 2100) continue;
        bool ok = false;
        if (a + 4 < path.size() && (path[a + 4] == '/' || path[a + 4] == '-')) {
            const char sep = path[a + 4];
            ok = num(a + 5, 2, m) && a + 7 < path.size() && path[a + 7] == sep && num(a + 8, 2, d) &&
                 (a + 10 == path.size() || !std::isdigit(static_cast<unsigned char>(path[a + 10])));
        } else if (num(a + 4, 2, m) && num(a + 6, 2, d)) {
            ok = a + 8 == path.size() || path[a + 8] == '/' || path[a + 8] == '-' || path[a + 8] == '_';
        }
        if (ok && valid_civil(y, m, d)) return days_from_civil(y, m, d) * 86400;
    }
    return std::nullopt;
}

std::optional<UnixTime> date_from_dateline(std::string_view dateline) {
    const std::string_view s = text::trim(dateline);
    if (s.empty() || s.size() > 200) return std::nullopt;
    return parse_tokens(s, true);
}

}  // namespace morgue::corpus
