/** @file tokenizer.cpp
 *  @brief Rule-based sentence and token splitter producing CoNLL-2003-like tokens.
 */
#include "indexer/ner/tokenizer.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace morgue::ner {
namespace {

/// One code point of the input after normalisation; s may hold several ASCII characters ("--", "...").
/// s views the input itself or one of the normalised forms (string literals): no copies.
struct Unit {
    std::string_view s;
    std::size_t begin = 0;
    std::size_t end = 0;
    bool space = false;
    bool newline = false;
};

std::uint32_t decode_utf8(std::string_view text, std::size_t pos, std::size_t& len) {
    const auto c = static_cast<unsigned char>(text[pos]);
    auto cont = [&](std::size_t k) {
        return pos + k < text.size() && (static_cast<unsigned char>(text[pos + k]) & 0xC0) == 0x80;
    };
    auto byte = [&](std::size_t k) { return static_cast<std::uint32_t>(static_cast<unsigned char>(text[pos + k]) & 0x3F); };
    if (c < 0x80) { len = 1; return c; }
    if ((c & 0xE0) == 0xC0 && cont(1)) { len = 2; return ((c & 0x1Fu) << 6) | byte(1); }
    if ((c & 0xF0) == 0xE0 && cont(1) && cont(2)) { len = 3; return ((c & 0x0Fu) << 12) | (byte(1) << 6) | byte(2); }
    if ((c & 0xF8) == 0xF0 && cont(1) && cont(2) && cont(3)) {
        len = 4;
        return ((c & 0x07u) << 18) | (byte(1) << 12) | (byte(2) << 6) | byte(3);
    }
    len = 1;
    return 0xFFFD;
}

std::vector<Unit> to_units(std::string_view text) {
    std::vector<Unit> units;
    units.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t len = 1;
        const std::uint32_t cp = decode_utf8(text, pos, len);
        Unit u;
        u.begin = pos;
        u.end = pos + len;
        switch (cp) {
            case ' ': case '\t': case '\r': case '\f': case '\v':
            case 0xA0: case 0x2009: case 0x200A: case 0x200B: case 0x202F: case 0x3000: case 0xFEFF:
                u.space = true; break;
            case '\n': u.space = true; u.newline = true; break;
            case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: u.s = "'"; break;
            case 0x201C: case 0x201D: case 0x201E: case 0x2033: case 0xAB: case 0xBB: u.s = "\""; break;
            case 0x2010: case 0x2011: case 0x2012: case 0x2013: u.s = "-"; break;
            case 0x2014: case 0x2015: u.s = "--"; break;
            case 0x2026: u.s = "..."; break;
            default:
                if (cp < 0x20 || cp == 0x7F) u.space = true;
                else u.s = text.substr(pos, len);
        }
        // Merge ASCII "--" and "..." runs into single units.
        if (!units.empty() && !u.space && (u.s == "-" || u.s == ".")) {
            Unit& prev = units.back();
            if (!prev.space && prev.end == u.begin &&
                ((u.s == "-" && (prev.s == "-" || prev.s == "--") && text[pos] == '-') ||
                 (u.s == "." && (prev.s == ".." || prev.s == ".")))) {
                // "-" + "-" and "--" + "-" both make "--"; "." + "." makes "..", ".." + "." "...".
                if (u.s == "-") prev.s = "--";
                else prev.s = prev.s == "." ? std::string_view("..") : std::string_view("...");
                prev.end = u.end;
                pos += len;
                continue;
            }
        }
        units.push_back(std::move(u));
        pos += len;
    }
    // ".." left from a merge is not an ellipsis; only "..." is special. Leave it as is.
    return units;
}

bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

constexpr std::array<std::string_view, 74> k_abbreviations = {
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Sr", "Jr", "St", "Mt", "Ft", "Gen", "Lt", "Col", "Sgt", "Capt", "Cmdr",
    "Adm", "Maj", "Gov", "Sen", "Rep", "Rev", "Hon", "Pres", "Supt", "Insp", "Inc", "Corp", "Co", "Ltd", "Bros",
    "Plc", "No", "Nos", "vs", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov",
    "Dec", "etc", "approx", "Ave", "Blvd", "Dept", "Univ", "Mass", "Calif", "Fla", "Ill", "Tenn", "Wash",
    "Penn", "Ariz", "Colo", "Conn", "Okla", "Ore", "Wis", "Mich", "Minn", "Md", "Va", "Pa", "Ky", "La", "cf"};

bool is_abbreviation(std::string_view word) {
    if (word.empty()) return false;
    if (word.size() == 1) return is_ascii_alpha(word[0]);
    if (word.find('.') != std::string_view::npos) {
        // "U.S", "a.m", "U.S.A": letters separated by periods.
        bool ok = true;
        std::size_t run = 0;
        for (char c : word) {
            if (c == '.') { if (run == 0 || run > 3) ok = false; run = 0; }
            else if (is_ascii_alpha(c)) ++run;
            else ok = false;
        }
        return ok && run > 0 && run <= 3;
    }
    return std::find(k_abbreviations.begin(), k_abbreviations.end(), word) != k_abbreviations.end();
}

class ChunkSplitter {
public:
    ChunkSplitter(const std::vector<Unit>& units, std::vector<Token>& out) : m_units(units), m_out(out) {}

    void split(std::size_t lo, std::size_t hi) {
        while (hi - lo > 1 && is_leading(m_units[lo].s)) emit(lo, lo + 1), ++lo;
        std::vector<std::size_t> tail;  // single-unit tokens peeled from the end, innermost last
        while (hi - lo > 1) {
            const std::string_view s = m_units[hi - 1].s;
            if (s == ".") {
                if (is_abbreviation(text(lo, hi - 1))) break;
            } else if (!is_trailing(s)) {
                break;
            }
            tail.push_back(hi - 1);
            --hi;
        }
        if (lo < hi) {
            std::size_t sep = hi;
            for (std::size_t k = lo; k < hi; ++k) {
                if (is_inner_separator(k, lo, hi)) { sep = k; break; }
            }
            if (sep < hi) {
                if (lo < sep) split(lo, sep);
                emit(sep, sep + 1);
                if (sep + 1 < hi) split(sep + 1, hi);
            } else {
                emit_word(lo, hi);
            }
        }
        for (auto it = tail.rbegin(); it != tail.rend(); ++it) emit(*it, *it + 1);
    }

private:
    static bool is_leading(std::string_view s) {
        return s == "(" || s == "[" || s == "{" || s == "\"" || s == "'" || s == "`" || s == "<" || s == "--" ||
               s == "...";
    }
    static bool is_trailing(std::string_view s) {
        return s == ")" || s == "]" || s == "}" || s == "\"" || s == "," || s == ";" || s == ":" || s == "!" ||
               s == "?" || s == "'" || s == "..." || s == "--" || s == ">";
    }
    bool is_inner_separator(std::size_t k, std::size_t lo, std::size_t hi) const {
        const std::string_view s = m_units[k].s;
        if (s == "/" || s == "--" || s == "\"" || s == "(" || s == ")" || s == "[" || s == "]" || s == ";" ||
            s == "!" || s == "?" || s == "..." || s == "{" || s == "}")
            return true;
        if (s == "," || s == ":") {
            // 1,000 and 10:30 stay whole.
            const bool digits = k > lo && k + 1 < hi && m_units[k - 1].s.size() == 1 && m_units[k + 1].s.size() == 1 &&
                                is_ascii_digit(m_units[k - 1].s[0]) && is_ascii_digit(m_units[k + 1].s[0]);
            return !digits;
        }
        return false;
    }
    std::string text(std::size_t lo, std::size_t hi) const {
        std::string t;
        for (std::size_t k = lo; k < hi; ++k) t += m_units[k].s;
        return t;
    }
    void emit(std::size_t lo, std::size_t hi) {
        m_out.push_back(Token{text(lo, hi), m_units[lo].begin, m_units[hi - 1].end});
    }
    void emit_word(std::size_t lo, std::size_t hi) {
        const std::size_t n = hi - lo;
        auto lower_is = [&](std::size_t k, char c) {
            const std::string_view s = m_units[k].s;
            return s.size() == 1 && (s[0] | 0x20) == c;
        };
        auto is_apos = [&](std::size_t k) { return m_units[k].s == "'"; };
        std::size_t cut = hi;
        if (n > 3 && lower_is(hi - 1, 't') && is_apos(hi - 2) && lower_is(hi - 3, 'n')) cut = hi - 3;
        else if (n > 2 && is_apos(hi - 2) &&
                 (lower_is(hi - 1, 's') || lower_is(hi - 1, 'd') || lower_is(hi - 1, 'm')))
            cut = hi - 2;
        else if (n > 3 && is_apos(hi - 3) &&
                 ((lower_is(hi - 2, 'r') && lower_is(hi - 1, 'e')) || (lower_is(hi - 2, 'v') && lower_is(hi - 1, 'e')) ||
                  (lower_is(hi - 2, 'l') && lower_is(hi - 1, 'l'))))
            cut = hi - 3;
        if (cut < hi && cut > lo) {
            emit(lo, cut);
            emit(cut, hi);
        } else {
            emit(lo, hi);
        }
    }

    const std::vector<Unit>& m_units;
    std::vector<Token>& m_out;
};

bool starts_lowercase(const std::string& s) { return !s.empty() && s[0] >= 'a' && s[0] <= 'z'; }

}  // namespace

std::vector<Sentence> tokenize(std::string_view text) {
    const std::vector<Unit> units = to_units(text);
    std::vector<Token> tokens;
    std::vector<bool> para_before;  // parallel to tokens
    int newlines = 2;               // start of text counts as a paragraph start
    std::size_t i = 0;
    while (i < units.size()) {
        if (units[i].space) {
            if (units[i].newline) ++newlines;
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < units.size() && !units[j].space) ++j;
        const std::size_t before = tokens.size();
        ChunkSplitter(units, tokens).split(i, j);
        for (std::size_t k = before; k < tokens.size(); ++k) para_before.push_back(k == before && newlines >= 2);
        newlines = 0;
        i = j;
    }

    constexpr std::size_t k_max_sentence = 200;
    std::vector<Sentence> sentences;
    Sentence cur;
    auto flush = [&] {
        if (!cur.tokens.empty()) sentences.push_back(std::move(cur));
        cur = Sentence{};
    };
    for (std::size_t k = 0; k < tokens.size(); ++k) {
        if (para_before[k] || cur.tokens.size() >= k_max_sentence) {
            flush();
            cur.paragraph_start = para_before[k];
        }
        const std::string& t = tokens[k].text;
        const bool ends = t == "." || t == "!" || t == "?" || t == "...";
        cur.tokens.push_back(std::move(tokens[k]));
        if (ends) {
            while (k + 1 < tokens.size() && !para_before[k + 1] &&
                   (tokens[k + 1].text == "\"" || tokens[k + 1].text == "'" || tokens[k + 1].text == ")"))
                cur.tokens.push_back(std::move(tokens[++k]));
            if (k + 1 >= tokens.size() || !starts_lowercase(tokens[k + 1].text)) flush();
        }
    }
    flush();
    return sentences;
}

}  // namespace morgue::ner
