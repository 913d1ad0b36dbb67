/** @file clean.cpp
 *  @brief Encodings, entities, control characters, NFC and whitespace; caption detection.
 */
#include "corpus/clean.h"

#include "common/text.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstring>

namespace morgue::corpus {

namespace {

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

/// Windows-1252 code points for bytes 0x80..0x9F (0 = undefined there: read as the C1 control).
constexpr std::array<std::uint16_t, 32> k_cp1252{
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

std::uint32_t cp1252(unsigned char b) {
    if (b >= 0x80 && b < 0xA0 && k_cp1252[b - 0x80] != 0) return k_cp1252[b - 0x80];
    return b;
}

/// Length of a valid UTF-8 sequence at p (0 if none starts there).
std::size_t valid_sequence(const unsigned char* p, const unsigned char* end) {
    const std::size_t n = text::utf8_len(*p);
    if ((n == 1 && *p >= 0x80) || static_cast<std::size_t>(end - p) < n) return 0;
    return text::is_valid_utf8(std::string_view(reinterpret_cast<const char*>(p), n)) ? n : 0;
}

struct NamedEntity {
    const char* name;
    std::uint32_t cp;
};

// HTML's common named references: markup, punctuation and the Latin-1 letters and signs.
constexpr NamedEntity k_entities[] = {
    {"amp", '&'},       {"lt", '<'},         {"gt", '>'},        {"quot", '"'},      {"apos", '\''},
    {"nbsp", 0xA0},     {"iexcl", 0xA1},     {"cent", 0xA2},     {"pound", 0xA3},    {"curren", 0xA4},
    {"yen", 0xA5},      {"brvbar", 0xA6},    {"sect", 0xA7},     {"uml", 0xA8},      {"copy", 0xA9},
    {"ordf", 0xAA},     {"laquo", 0xAB},     {"not", 0xAC},      {"shy", 0xAD},      {"reg", 0xAE},
    {"macr", 0xAF},     {"deg", 0xB0},       {"plusmn", 0xB1},   {"sup2", 0xB2},     {"sup3", 0xB3},
    {"acute", 0xB4},    {"micro", 0xB5},     {"para", 0xB6},     {"middot", 0xB7},   {"cedil", 0xB8},
    {"sup1", 0xB9},     {"ordm", 0xBA},      {"raquo", 0xBB},    {"frac14", 0xBC},   {"frac12", 0xBD},
    {"frac34", 0xBE},   {"iquest", 0xBF},    {"Agrave", 0xC0},   {"Aacute", 0xC1},   {"Acirc", 0xC2},
    {"Atilde", 0xC3},   {"Auml", 0xC4},      {"Aring", 0xC5},    {"AElig", 0xC6},    {"Ccedil", 0xC7},
    {"Egrave", 0xC8},   {"Eacute", 0xC9},    {"Ecirc", 0xCA},    {"Euml", 0xCB},     {"Igrave", 0xCC},
    {"Iacute", 0xCD},   {"Icirc", 0xCE},     {"Iuml", 0xCF},     {"ETH", 0xD0},      {"Ntilde", 0xD1},
    {"Ograve", 0xD2},   {"Oacute", 0xD3},    {"Ocirc", 0xD4},    {"Otilde", 0xD5},   {"Ouml", 0xD6},
    {"times", 0xD7},    {"Oslash", 0xD8},    {"Ugrave", 0xD9},   {"Uacute", 0xDA},   {"Ucirc", 0xDB},
    {"Uuml", 0xDC},     {"Yacute", 0xDD},    {"THORN", 0xDE},    {"szlig", 0xDF},    {"agrave", 0xE0},
    {"aacute", 0xE1},   {"acirc", 0xE2},     {"atilde", 0xE3},   {"auml", 0xE4},     {"aring", 0xE5},
    {"aelig", 0xE6},    {"ccedil", 0xE7},    {"egrave", 0xE8},   {"eacute", 0xE9},   {"ecirc", 0xEA},
    {"euml", 0xEB},     {"igrave", 0xEC},    {"iacute", 0xED},   {"icirc", 0xEE},    {"iuml", 0xEF},
    {"eth", 0xF0},      {"ntilde", 0xF1},    {"ograve", 0xF2},   {"oacute", 0xF3},   {"ocirc", 0xF4},
    {"otilde", 0xF5},   {"ouml", 0xF6},      {"divide", 0xF7},   {"oslash", 0xF8},   {"ugrave", 0xF9},
    {"uacute", 0xFA},   {"ucirc", 0xFB},     {"uuml", 0xFC},     {"yacute", 0xFD},   {"thorn", 0xFE},
    {"yuml", 0xFF},     {"OElig", 0x152},    {"oelig", 0x153},   {"Scaron", 0x160},  {"scaron", 0x161},
    {"Yuml", 0x178},    {"fnof", 0x192},     {"circ", 0x2C6},    {"tilde", 0x2DC},   {"ensp", 0x2002},
    {"emsp", 0x2003},   {"thinsp", 0x2009},  {"zwnj", 0x200C},   {"zwj", 0x200D},    {"lrm", 0x200E},
    {"rlm", 0x200F},    {"ndash", 0x2013},   {"mdash", 0x2014},  {"lsquo", 0x2018},  {"rsquo", 0x2019},
    {"sbquo", 0x201A},  {"ldquo", 0x201C},   {"rdquo", 0x201D},  {"bdquo", 0x201E},  {"dagger", 0x2020},
    {"Dagger", 0x2021}, {"bull", 0x2022},    {"hellip", 0x2026}, {"permil", 0x2030}, {"prime", 0x2032},
    {"Prime", 0x2033},  {"lsaquo", 0x2039},  {"rsaquo", 0x203A}, {"oline", 0x203E},  {"frasl", 0x2044},
    {"euro", 0x20AC},   {"trade", 0x2122},   {"larr", 0x2190},   {"rarr", 0x2192},   {"minus", 0x2212},
};

bool is_space_cp(std::uint32_t cp) {
    return cp == ' ' || cp == '\t' || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
           cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/// Decodes one code point of valid UTF-8 at s[i]; advances i.
std::uint32_t next_cp(std::string_view s, std::size_t& i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = std::min(text::utf8_len(c), s.size() - i);
    std::uint32_t cp = n == 1 ? c : c & (0xFF >> (n + 1));
    for (std::size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += n;
    return cp;
}

/// Collapses spaces (incl. no-break and other Unicode spaces) inside one line; trims it.
std::string tidy_line(std::string_view line) {
    std::string out;
    out.reserve(line.size());
    bool pending = false;
    for (std::size_t i = 0; i < line.size();) {
        // A run of printable ASCII other than the space goes over whole (most of any text).
        std::size_t run = i;
        while (run < line.size() && static_cast<unsigned char>(line[run]) > 0x20 && static_cast<unsigned char>(line[run]) < 0x7F)
            ++run;
        if (run > i) {
            if (pending) out += ' ';
            pending = false;
            out.append(line.substr(i, run - i));
            i = run;
            continue;
        }
        const std::size_t start = i;
        const std::uint32_t cp = next_cp(line, i);
        if (is_space_cp(cp) || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v') {
            pending = !out.empty();
            continue;
        }
        if (pending) out += ' ';
        pending = false;
        out.append(line.substr(start, i - start));
    }
    return out;
}

std::string prepare(std::string_view raw, const CleanOptions& o) {
    std::string s = to_utf8(raw, o.latin1_only);
    if (o.markup) s = strip_tags(s);
    if (o.entities) s = decode_entities(s);
    s = drop_controls(s);
    return nfc(s);
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(prefix[i])))
            return false;
    return true;
}

bool ends_with_ci(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && starts_with_ci(s.substr(s.size() - suffix.size()), suffix);
}

}  // namespace

std::string to_utf8(std::string_view bytes, bool latin1_only) {
    if (!latin1_only && text::is_valid_utf8(bytes)) return std::string(bytes);
    std::string out;
    out.reserve(bytes.size() + bytes.size() / 8);
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const auto* end = p + bytes.size();
    while (p < end) {
        if (*p < 0x80) {
            out += static_cast<char>(*p++);
            continue;
        }
        if (!latin1_only) {
            if (const std::size_t n = valid_sequence(p, end); n > 0) {
                out.append(reinterpret_cast<const char*>(p), n);
                p += n;
                continue;
            }
        }
        append_utf8(out, cp1252(*p++));
    }
    return out;
}

std::string decode_entities(std::string_view s) {
    if (s.find('&') == std::string_view::npos) return std::string(s);
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        if (s[i] != '&') {
            out += s[i++];
            continue;
        }
        const std::size_t semi = s.find(';', i + 1);
        if (semi == std::string_view::npos || semi - i > 12 || semi == i + 1) {
            out += s[i++];
            continue;
        }
        const std::string_view ref = s.substr(i + 1, semi - i - 1);
        std::uint32_t cp = 0;
        bool ok = false;
        if (ref[0] == '#') {
            const bool hex = ref.size() > 1 && (ref[1] == 'x' || ref[1] == 'X');
            const std::string_view digits = ref.substr(hex ? 2 : 1);
            ok = !digits.empty();
            for (char c : digits) {
                const int v = std::isdigit(static_cast<unsigned char>(c))        ? c - '0'
                              : hex && std::isxdigit(static_cast<unsigned char>(c)) ? (std::tolower(c) - 'a' + 10)
                                                                                      : -1;
                if (v < 0 || cp > 0x10FFFF) {
                    ok = false;
                    break;
                }
                cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(v);
            }
            if (ok) {
                if (cp >= 0x80 && cp < 0xA0) cp = cp1252(static_cast<unsigned char>(cp));
                if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
            }
        } else {
            for (const auto& e : k_entities) {
                if (ref == e.name) {
                    cp = e.cp;
                    ok = true;
                    break;
                }
            }
        }
        if (!ok) {
            out += s[i++];
            continue;
        }
        append_utf8(out, cp);
        i = semi + 1;
    }
    return out;
}

std::string strip_tags(std::string_view s) {
    if (s.find('<') == std::string_view::npos) return std::string(s);
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        if (s[i] != '<') {
            out += s[i++];
            continue;
        }
        if (s.substr(i, 4) == "<!--") {
            const std::size_t end = s.find("-->", i + 4);
            i = end == std::string_view::npos ? s.size() : end + 3;
            continue;
        }
        std::size_t j = i + 1;
        const bool closing = j < s.size() && s[j] == '/';
        if (closing) ++j;
        const std::size_t name_start = j;
        while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == ':')) ++j;
        const bool named = j > name_start && std::isalpha(static_cast<unsigned char>(s[name_start]));
        const std::size_t close = s.find('>', j);
        const bool attrs_ok = close != std::string_view::npos &&
                              (j == close || s[j] == ' ' || s[j] == '/' || s[j] == '\t' || s[j] == '\n') &&
                              s.substr(j, close - j).find('<') == std::string_view::npos;
        if (!named || !attrs_ok) {
            out += s[i++];
            continue;
        }
        std::string name = text::to_lower(s.substr(name_start, j - name_start));
        // Only HTML's own element names: "<AMC>" (a ticker in wire copy) is text, not a tag.
        static constexpr const char* k_html[] = {
            "a", "abbr", "article", "aside", "b", "blockquote", "br", "button", "caption", "center", "cite", "code",
            "dd", "del", "div", "dl", "dt", "em", "figcaption", "figure", "font", "footer", "form", "h1", "h2", "h3",
            "h4", "h5", "h6", "header", "hr", "i", "iframe", "img", "input", "ins", "label", "li", "link", "main",
            "mark", "meta", "nav", "noscript", "ol", "p", "picture", "pre", "q", "s", "script", "section", "small",
            "source", "span", "strong", "style", "sub", "sup", "svg", "table", "tbody", "td", "th", "thead", "time",
            "tr", "u", "ul", "video", "path", "g", "o:p"};
        if (std::none_of(std::begin(k_html), std::end(k_html), [&](const char* h) { return name == h; })) {
            out += s[i++];
            continue;
        }
        static constexpr const char* k_blocks[] = {"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5",
                                                   "h6", "blockquote", "figcaption", "figure", "table", "ul", "ol"};
        const bool block = std::any_of(std::begin(k_blocks), std::end(k_blocks), [&](const char* b) { return name == b; });
        if (block) out += '\n';
        else if (!out.empty() && out.back() != ' ') out += ' ';
        if (!closing && (name == "script" || name == "style")) {
            const std::size_t end = text::to_lower(s.substr(close)).find("</" + name);
            i = end == std::string::npos ? s.size() : close + end;
            continue;
        }
        i = close + 1;
    }
    return out;
}

std::string drop_controls(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        // A run of printable ASCII goes over whole: it holds no control.
        std::size_t run = i;
        while (run < s.size() && static_cast<unsigned char>(s[run]) >= 0x20 && static_cast<unsigned char>(s[run]) < 0x7F) ++run;
        if (run > i) {
            out.append(s.substr(i, run - i));
            i = run;
            continue;
        }
        const std::size_t start = i;
        const std::uint32_t cp = next_cp(s, i);
        if (cp == '\r') {
            if (i < s.size() && s[i] == '\n') continue;
            out += '\n';
            continue;
        }
        if (cp == '\n' || cp == '\t') {
            out += static_cast<char>(cp);
            continue;
        }
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xFEFF || cp == 0xAD || cp == 0x200B ||
            cp == 0x2028 || cp == 0x2029 || cp == 0xFFFE || cp == 0xFFFF) {
            if (cp == 0x2028 || cp == 0x2029) out += '\n';
            continue;
        }
        out.append(s.substr(start, i - start));
    }
    return out;
}

std::string nfc(std::string_view s) {
    bool ascii = true;
    for (char c : s) {
        if (static_cast<unsigned char>(c) >= 0x80) {
            ascii = false;
            break;
        }
    }
    if (ascii) return std::string(s);
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* normalizer = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status)) return std::string(s);
    const icu::UnicodeString in = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
    if (normalizer->isNormalized(in, status) && U_SUCCESS(status)) return std::string(s);
    status = U_ZERO_ERROR;
    const icu::UnicodeString normal = normalizer->normalize(in, status);
    if (U_FAILURE(status)) return std::string(s);
    std::string out;
    normal.toUTF8String(out);
    return out;
}

std::string clean_line(std::string_view raw, const CleanOptions& options) {
    return tidy_line(prepare(raw, options));
}

std::string clean_block(std::string_view raw, const CleanOptions& options) {
    const std::string s = prepare(raw, options);
    std::string out;
    out.reserve(s.size());
    std::size_t pos = 0;
    while (pos <= s.size()) {
        std::size_t nl = s.find('\n', pos);
        if (nl == std::string::npos) nl = s.size();
        const std::string line = tidy_line(std::string_view(s).substr(pos, nl - pos));
        if (!line.empty()) {
            if (!out.empty()) out += "\n\n";
            out += line;
        }
        pos = nl + 1;
    }
    return out;
}

std::vector<std::string> paragraphs(std::string_view body) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos <= body.size()) {
        std::size_t end = body.find("\n\n", pos);
        if (end == std::string_view::npos) end = body.size();
        const std::string_view p = text::trim(body.substr(pos, end - pos));
        if (!p.empty()) out.emplace_back(p);
        pos = end + 2;
    }
    return out;
}

std::string join_paragraphs(const std::vector<std::string>& ps) {
    std::string out;
    for (const auto& p : ps) {
        if (p.empty()) continue;
        if (!out.empty()) out += "\n\n";
        out += p;
    }
    return out;
}

bool looks_like_caption(std::string_view p) {
    p = text::trim(p);
    if (p.empty() || p.size() > 600) return false;
    std::size_t words = 1;
    for (char c : p) words += c == ' ' ? 1 : 0;
    if (words > 70) return false;
    static constexpr const char* k_leads[] = {"photo:", "photo by ", "photo credit", "photograph:", "image:",
                                              "image credit", "credit:", "caption:", "picture:", "(photo",
                                              "file photo:", "pictured:"};
    for (const char* lead : k_leads)
        if (starts_with_ci(p, lead)) return true;
    static constexpr const char* k_tails[] = {"getty images", "getty images)", "getty images.", "/ap", "/ap)",
                                              "/afp", "/reuters", "(ap photo)", "(afp photo)", "(reuters photo)"};
    for (const char* tail : k_tails)
        if (ends_with_ci(p, tail)) return true;
    // Every credit marker below has a colon: most paragraphs have none and are not lowered at all.
    if (p.find(':') != std::string_view::npos) {
        const std::string lower = text::to_lower(p);
        for (const char* mid : {"photo: ", "photograph: ", "photo credit: ", "image: ", "credit: "}) {
            const std::size_t at = lower.rfind(mid);
            // "... in Pyongyang. Photograph: Agency/Name": a credit after the last sentence.
            if (at != std::string::npos && at > 0 && lower.size() - at < 80 && lower.find('.', at) == std::string::npos)
                return true;
        }
    }
    // A trailing parenthesised credit: "(AP Photo/Name)", "(Agency/Agency)": capitalised, with a slash,
    // no digits (so "(1/2)" and "(and/or)" are not credits).
    std::string_view t = p;
    if (!t.empty() && t.back() == '.') t.remove_suffix(1);
    if (t.empty() || t.back() != ')') return false;
    const std::size_t open = t.rfind('(');
    if (open == std::string_view::npos || open == 0) return false;
    const std::string_view inside = t.substr(open + 1, t.size() - open - 2);
    if (inside.size() < 3 || inside.size() > 120 || inside.find('/') == std::string_view::npos) return false;
    if (!std::isupper(static_cast<unsigned char>(inside.front()))) return false;
    if (std::any_of(inside.begin(), inside.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
        return false;
    return true;
}

void split_captions(Article& a) {
    if (a.body.empty()) return;
    std::vector<std::string> kept;
    bool moved = false;
    for (auto& p : paragraphs(a.body)) {
        if (looks_like_caption(p)) {
            a.captions.push_back(std::move(p));
            moved = true;
        } else {
            kept.push_back(std::move(p));
        }
    }
    // A body made only of "captions" is the story itself.
    if (moved && kept.empty()) {
        for (auto& c : a.captions) kept.push_back(std::move(c));
        a.captions.clear();
    }
    if (moved) a.body = join_paragraphs(kept);
}

}  // namespace morgue::corpus
