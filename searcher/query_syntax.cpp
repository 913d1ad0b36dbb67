/** @file query_syntax.cpp
 *  @brief A one-pass reading of the query text: quotes, parentheses, field names, dates.
 */
#include "searcher/query_syntax.h"

#include "common/date.h"
#include "common/error.h"
#include "common/schema.h"
#include "common/text.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <optional>
#include <vector>

#include <xapian.h>

namespace morgue::searcher {

namespace {

constexpr std::array<std::string_view, 4> k_extra_fields{"entity", "date", "after", "before"};

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (const char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

int to_int(std::string_view s) {
    int v = 0;
    for (const char c : s) v = v * 10 + (c - '0');
    return v;
}

std::string ymd(int y, int m, int d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d%02d%02d", y, m, d);
    return buf;
}

/// One bound: YYYY, YYYY-MM, YYYY-MM-DD or YYYYMMDD; the first day of that
/// period, or its last when upper.
std::string parse_point(std::string_view s, bool upper, std::string_view whole) {
    int y = 0, m = 0, d = 0;
    if (s.size() == 4 && all_digits(s)) {
        y = to_int(s);
    } else if (s.size() == 7 && s[4] == '-' && all_digits(s.substr(0, 4)) && all_digits(s.substr(5, 2))) {
        y = to_int(s.substr(0, 4));
        m = to_int(s.substr(5, 2));
    } else if (s.size() == 10 && s[4] == '-' && s[7] == '-' && all_digits(s.substr(0, 4)) &&
               all_digits(s.substr(5, 2)) && all_digits(s.substr(8, 2))) {
        y = to_int(s.substr(0, 4));
        m = to_int(s.substr(5, 2));
        d = to_int(s.substr(8, 2));
    } else if (s.size() == 8 && all_digits(s)) {
        y = to_int(s.substr(0, 4));
        m = to_int(s.substr(4, 2));
        d = to_int(s.substr(6, 2));
    } else {
        throw QueryError("bad date '" + std::string(whole) + "': '" + std::string(s) +
                         "' is not YYYY, YYYY-MM or YYYY-MM-DD (ranges are A..B)");
    }
    if (y < 1000) throw QueryError("bad date '" + std::string(whole) + "': no such year " + std::string(s));
    if (m != 0 && (m < 1 || m > 12))
        throw QueryError("bad date '" + std::string(whole) + "': no such month " + std::string(s));
    if (d != 0 && !valid_civil(y, m, d))
        throw QueryError("bad date '" + std::string(whole) + "': no such day " + std::string(s));
    if (m == 0) return upper ? ymd(y, 12, 31) : ymd(y, 1, 1);
    if (d == 0) return upper ? ymd(y, m, days_in_month(y, m)) : ymd(y, m, 1);
    return ymd(y, m, d);
}

bool is_field_name(std::string_view s) {
    if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
    for (const char c : s)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
    return true;
}

bool is_operator(std::string_view tok) {
    for (const std::string_view op : {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"}) {
        if (tok == op) return true;
        if (tok.size() > op.size() + 1 && tok.substr(0, op.size()) == op && tok[op.size()] == '/' &&
            all_digits(tok.substr(op.size() + 1)))
            return true;
    }
    return false;
}

/// The error names the column and quotes the text from there, so the user sees the spot.
[[noreturn]] void fail_at(std::string_view q, std::size_t pos, const std::string& what) {
    std::size_t len = std::min<std::size_t>(24, q.size() - pos);
    while (pos + len < q.size() && len > 0 && (static_cast<unsigned char>(q[pos + len]) & 0xC0) == 0x80) --len;
    std::string near(q.substr(pos, len));
    if (pos + len < q.size()) near += "...";
    for (char& c : near)
        if (c == '\n' || c == '\t' || c == '\r') c = ' ';
    throw QueryError("bad query at column " + std::to_string(pos + 1) + " (" + near + "): " + what);
}

/// The words the indexer's TermGenerator makes of a token, in order, unstemmed.
std::vector<std::string> indexed_words(std::string_view token) {
    Xapian::TermGenerator tg;
    Xapian::Document doc;
    tg.set_document(doc);
    tg.index_text(std::string(token));
    std::vector<std::pair<Xapian::termpos, std::string>> at;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
        for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) at.emplace_back(*p, *t);
    std::sort(at.begin(), at.end());
    std::vector<std::string> words;
    for (auto& [pos, word] : at) words.push_back(std::move(word));
    return words;
}

/// Dotted capitals are acronyms: the indexer (TermGenerator) reads "U.S." as the one word
/// "us", but the lower-cased "u.s." would reach QueryParser as the phrase "u s", which
/// finds almost nothing (and checks positions across the archive to find it). So a token
/// with a dot and a capital is rewritten as the indexer's words, joined by hyphens when
/// there are several ("non-U.S." -> "non-us", a phrase of the words the index holds).
/// Inside quotes nothing is lower-cased, and QueryParser's own acronym rule applies.
std::optional<std::string> as_indexed(std::string_view tok) {
    if (tok.find('.') == std::string_view::npos || tok.find_first_of("*:\"") != std::string_view::npos)
        return std::nullopt;
    if (std::none_of(tok.begin(), tok.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) return std::nullopt;
    const std::vector<std::string> words = indexed_words(tok);
    if (words.empty()) return std::nullopt;
    std::string out;
    for (const auto& w : words) out += (out.empty() ? "" : "-") + w;
    return out;
}

/// Capitalised words are stemmed like any other: QueryParser leaves a word
/// that starts with a capital unstemmed, so the rewrite lower-cases it.
std::string fold_word(std::string_view tok) {
    if (tok.empty() || is_operator(tok)) return std::string(tok);
    std::size_t sign = (tok[0] == '+' || tok[0] == '-') ? 1 : 0;
    if (sign == tok.size()) return std::string(tok);
    if (auto words = as_indexed(tok.substr(sign))) return std::string(tok.substr(0, sign)) + *words;
    Xapian::Utf8Iterator it(tok.data() + sign, tok.size() - sign);
    const auto cat = Xapian::Unicode::get_category(*it);
    if (cat != Xapian::Unicode::UPPERCASE_LETTER && cat != Xapian::Unicode::TITLECASE_LETTER) return std::string(tok);
    return std::string(tok.substr(0, sign)) + text::to_lower(tok.substr(sign));
}

}  // namespace

std::string known_field_list() {
    std::string out;
    for (const auto& f : schema::fields()) {
        if (f.name.empty()) continue;
        out += (out.empty() ? "" : ", ") + std::string(f.name);
    }
    for (const auto f : k_extra_fields) out += ", " + std::string(f);
    return out;
}

DateBounds parse_date_value(std::string_view value, DateField field) {
    const std::string_view v = text::trim(value);
    const char* name = field == DateField::Date ? "date" : field == DateField::After ? "after" : "before";
    if (v.empty()) throw QueryError(std::string("bad date: ") + name + ": needs a value");
    DateBounds b;
    if (field == DateField::Date && text::to_lower(v) == "none") {
        b.undated = true;
        return b;
    }
    const auto dots = v.find("..");
    if (dots != std::string_view::npos) {
        if (field != DateField::Date)
            throw QueryError(std::string("bad date '") + std::string(v) + "': " + name + ": takes one date, not a range");
        const std::string_view a = v.substr(0, dots), z = v.substr(dots + 2);
        if (a.empty() && z.empty()) throw QueryError("bad date '..': a range needs at least one end");
        if (!a.empty()) b.lo = parse_point(a, false, v);
        if (!z.empty()) b.hi = parse_point(z, true, v);
    } else if (field == DateField::After) {
        b.lo = parse_point(v, false, v);
    } else if (field == DateField::Before) {
        b.hi = parse_point(v, true, v);
    } else {
        b.lo = parse_point(v, false, v);
        b.hi = parse_point(v, true, v);
    }
    if (!b.lo.empty() && !b.hi.empty() && b.lo > b.hi)
        throw QueryError("bad date '" + std::string(v) + "': the range ends before it starts");
    return b;
}

DateBounds intersect(const DateBounds& a, const DateBounds& b) {
    DateBounds out;
    out.lo = std::max(a.lo, b.lo);
    out.hi = a.hi.empty() ? b.hi : b.hi.empty() ? a.hi : std::min(a.hi, b.hi);
    if (!out.lo.empty() && !out.hi.empty() && out.lo > out.hi)
        throw QueryError("bad dates: the range " + out.lo + ".." + out.hi + " ends before it starts");
    return out;
}

Xapian::Query date_query(const DateBounds& b) {
    if (b.undated) return Xapian::Query(std::string(schema::kTermUndated));
    if (b.lo.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_LE, schema::kSlotDate, b.hi);
    if (b.hi.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kSlotDate, b.lo);
    return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kSlotDate, b.lo, b.hi);
}

std::string entity_placeholder(std::size_t i) { return "morgueentity" + std::to_string(i); }

CheckedQuery check_query(std::string_view q) {
    CheckedQuery checked;
    std::string& out = checked.text;
    out.reserve(q.size());
    std::vector<std::size_t> open;
    const std::size_t n = q.size();
    // Control characters separate words for QueryParser as spaces do.
    auto is_space = [](char c) { return (c >= 0 && c <= ' ') || c == '\x7f'; };
    auto closing_quote = [&](std::size_t at) {
        const std::size_t close = q.find('"', at + 1);
        if (close == std::string_view::npos) fail_at(q, at, "unbalanced quote: this '\"' is never closed");
        return close;
    };
    auto& runs = checked.word_runs;
    auto end_run = [&runs] {
        if (!runs.empty() && !runs.back().empty()) runs.emplace_back();
    };
    runs.emplace_back();
    std::size_t i = 0;
    while (i < n) {
        const char c = q[i];
        if (is_space(c)) {
            out += c;
            ++i;
            continue;
        }
        if (c == '(' || c == ')' || c == '"') end_run();
        if (c == '(') {
            open.push_back(i);
            out += c;
            ++i;
            continue;
        }
        if (c == ')') {
            if (open.empty()) fail_at(q, i, "unbalanced parenthesis: this ')' closes nothing");
            open.pop_back();
            out += c;
            ++i;
            continue;
        }
        if (c == '"') {
            const std::size_t close = closing_quote(i);
            out += q.substr(i, close - i + 1);
            i = close + 1;
            continue;
        }
        std::size_t j = i;
        while (j < n && !is_space(q[j]) && q[j] != '(' && q[j] != ')' && q[j] != '"') ++j;
        const std::string_view tok = q.substr(i, j - i);
        const std::size_t sign = (tok[0] == '+' || tok[0] == '-') ? 1 : 0;
        const std::size_t colon = tok.find(':', sign);
        if (colon != std::string_view::npos && colon > sign && is_field_name(tok.substr(sign, colon - sign)) &&
            (colon + 1 < tok.size() || (j < n && (q[j] == '"' || q[j] == '(')))) {
            end_run();
            const std::string name(tok.substr(sign, colon - sign));
            const bool quoted = colon + 1 == tok.size() && j < n && q[j] == '"';
            const bool has_value = colon + 1 < tok.size() || quoted || (j < n && q[j] == '(');
            const schema::Field* field = schema::find_field(name);
            bool extra = false;
            for (const auto f : k_extra_fields) extra = extra || f == name;
            if (has_value && !field && !extra && tok.substr(colon + 1, 2) != "//") {
                fail_at(q, i + sign, "unknown field '" + name + ":' (fields: " + known_field_list() + ")");
            }
            if (has_value && (field || extra)) {
                std::string_view value = tok.substr(colon + 1);
                std::size_t end = j;
                if (quoted) {
                    const std::size_t close = closing_quote(j);
                    value = q.substr(j + 1, close - j - 1);
                    end = close + 1;
                }
                if (name == "date" || name == "after" || name == "before") {
                    const DateField df = name == "date" ? DateField::Date
                                         : name == "after" ? DateField::After
                                                           : DateField::Before;
                    try {
                        (void)parse_date_value(value, df);
                    } catch (const QueryError& e) {
                        fail_at(q, i + sign, e.what());
                    }
                }
                if ((field && field->kind == schema::FieldKind::Entity) || name == "entity") {
                    if (text::trim(value).empty()) fail_at(q, i + sign, name + ": needs a name");
                    out += tok.substr(0, colon + 1);
                    out += entity_placeholder(checked.entity_values.size());
                    checked.entity_values.emplace_back(value);
                } else if (field && field->kind == schema::FieldKind::FreeText && !quoted) {
                    out += tok.substr(0, colon + 1);
                    out += fold_word(value);
                } else {
                    out += q.substr(i, end - i);
                }
                i = end;
                continue;
            }
        }
        out += fold_word(tok);
        if (is_operator(tok) || tok[0] == '-') {
            end_run();
        } else {
            std::string word(tok.substr(sign));
            const bool comma = !word.empty() && (word.back() == ',' || word.back() == ';');
            while (!word.empty() && (word.back() == ',' || word.back() == ';' || word.back() == ':')) word.pop_back();
            if (!word.empty() && word.find('*') == std::string::npos) runs.back().push_back(word);
            if (comma) end_run();
        }
        i = j;
    }
    if (runs.back().empty()) runs.pop_back();
    if (!open.empty()) fail_at(q, open.back(), "unbalanced parenthesis: this '(' is never closed");
    return checked;
}

}  // namespace morgue::searcher
