/** @file spelling.cpp
 *  @brief suggest_word: a range scan of the spelling words under the first letter, with a
 *         bounded edit distance; suggest_query: which words of a query to correct.
 */
#include "searcher/spelling.h"

#include "common/text.h"
#include "common/word_list.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cstdint>
#include <vector>

namespace morgue::searcher {

namespace {

void code_points(std::string_view s, std::u32string& out) {
    out.clear();
    for (Xapian::Utf8Iterator it(s.data(), s.size()); it != Xapian::Utf8Iterator(); ++it)
        out.push_back(static_cast<char32_t>(*it));
}

std::u32string code_points(const std::string& s) {
    std::u32string out;
    out.reserve(s.size());
    code_points(s, out);
    return out;
}

/// Code points in UTF-8 text, without decoding it: the bytes that do not continue one.
std::size_t length_in_code_points(std::string_view s) {
    std::size_t n = 0;
    for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    return n;
}

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions), or max + 1
/// when it exceeds max. Only the cells within max of the diagonal can stay within max, so only
/// those are computed (the cell each side of a row's band holds max + 1); the rows are the
/// caller's, reused from word to word.
struct Distance {
    std::vector<unsigned> prev2, prev, cur;

    unsigned operator()(const std::u32string& a, const std::u32string& b, unsigned max) {
        const std::size_t n = a.size(), m = b.size();
        if ((n > m ? n - m : m - n) > max) return max + 1;
        const unsigned over = max + 1;
        for (auto* row : {&prev2, &prev, &cur})
            if (row->size() < m + 2) row->resize(m + 2);
        for (std::size_t j = 0; j <= std::min<std::size_t>(m, max); ++j) prev[j] = static_cast<unsigned>(j);
        prev[std::min<std::size_t>(m, max) + 1] = over;
        for (std::size_t i = 1; i <= n; ++i) {
            const std::size_t lo = i > max ? i - max : 1;
            const std::size_t hi = std::min<std::size_t>(m, i + max);
            cur[lo - 1] = lo == 1 && i <= max ? static_cast<unsigned>(i) : over;
            unsigned row_min = cur[lo - 1];
            for (std::size_t j = lo; j <= hi; ++j) {
                const unsigned cost = a[i - 1] == b[j - 1] ? 0 : 1;
                unsigned v = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) v = std::min(v, prev2[j - 2] + 1);
                cur[j] = std::min(v, over);
                row_min = std::min(row_min, cur[j]);
            }
            cur[hi + 1] = over;
            if (row_min > max) return over;
            std::swap(prev2, prev);
            std::swap(prev, cur);
        }
        return std::min(prev[m], over);
    }
};

unsigned distance(const std::u32string& a, const std::u32string& b, unsigned max) {
    Distance d;
    return d(a, b, max);
}

/// The term a word is indexed as: Z + its stem (schema.h).
std::string indexed_term(const Xapian::Stem& stem, const std::string& word) {
    std::string term("Z");
    term += stem(word);
    return term;
}

bool is_operator(const std::string& w) {
    return w == "AND" || w == "OR" || w == "NOT" || w == "XOR" || w == "NEAR" || w == "ADJ";
}

}  // namespace

std::uint64_t letter_set(std::string_view word) noexcept {
    std::uint64_t set = 0;
    for (const char ch : word) {
        if (ch >= 'a' && ch <= 'z') set |= std::uint64_t{1} << (ch - 'a');
        else if (ch >= '0' && ch <= '9') set |= std::uint64_t{1} << (26 + (ch - '0'));
    }
    return set;
}

unsigned bounded_edit_distance(const std::string& a, const std::string& b, unsigned max) {
    return distance(code_points(a), code_points(b), max);
}

std::string suggest_word(const Xapian::Database& db, const Xapian::Database* words, const Xapian::Stem& stem,
                         const std::string& word) {
    const std::u32string target = code_points(word);
    if (target.size() < 3) return {};
    const unsigned max = target.size() <= 4 ? 1 : 2;
    std::string first;
    Xapian::Unicode::append_utf8(first, target.front());
    std::string best;
    unsigned best_distance = max + 1;
    Xapian::doccount best_freq = 0;
    bool known = false;  // the word itself is a spelling word: nothing to correct
    Distance distance_to;
    std::u32string points;
    const std::size_t length = target.size();
    const std::uint64_t target_letters = letter_set(word);
    // False when the scan can stop.
    auto consider = [&](std::string_view candidate) {
        if (candidate.compare(0, first.size(), first) != 0) return false;
        // Most words under the letter differ in length by more than max: no decoding for those
        // (with the banded distance, "Export Controls Cryptography" at 1M: 0.54 -> 0.29 ms).
        const std::size_t n = length_in_code_points(candidate);
        if ((n > length ? n - length : length - n) > max) return true;
        // An edit changes which letters a word holds by two at most (a substitution: one out,
        // one in), so words that differ in more than 2 x max letters are out of reach too,
        // without the distance ("chunnel" at 1M: 0.42 -> 0.24 ms, "stoicism" 0.49 -> 0.27).
        if (std::popcount(letter_set(candidate) ^ target_letters) > static_cast<int>(2 * max)) return true;
        code_points(candidate, points);
        const unsigned d = distance_to(target, points, max);
        if (d == 0) {
            known = true;
            return false;
        }
        if (d > max || d > best_distance) return true;
        const Xapian::doccount freq = db.get_termfreq(indexed_term(stem, std::string(candidate)));
        if (freq == 0) return true;  // in no article of db
        if (d < best_distance || freq > best_freq || (freq == best_freq && candidate < best)) {
            best = std::string(candidate);
            best_distance = d;
            best_freq = freq;
        }
        return true;
    };
    if (words != nullptr) {
        try {
            words::for_each_word(*words, first, consider);
        } catch (const Xapian::Error&) {
            // an unreadable word list: the shards' own tables may still answer
        }
    }
    try {
        // Shards written before the word list keep their words in Xapian's spelling table.
        auto it = db.spellings_begin();
        const auto end = db.spellings_end();
        it.skip_to(first);
        for (; it != end && !known; ++it)
            if (!consider(*it)) break;
    } catch (const Xapian::Error&) {
        // no spelling table here (remote shards)
    }
    return known ? std::string() : best;
}

std::string suggest_query(const Xapian::Database& db, const Xapian::Database* words, const Xapian::Stem& stem,
                          const std::string& query) {
    std::string out;
    bool changed = false;
    std::size_t copied = 0;
    std::size_t i = 0;
    const std::size_t n = query.size();
    bool in_quotes = false;
    while (i < n) {
        const unsigned char c = static_cast<unsigned char>(query[i]);
        if (c == '"') {
            in_quotes = !in_quotes;
            ++i;
            continue;
        }
        Xapian::Utf8Iterator it(query.data() + i, n - i);
        if (!Xapian::Unicode::is_wordchar(*it)) {
            ++it;
            i = n - it.left();
            continue;
        }
        const std::size_t begin = i;
        while (it != Xapian::Utf8Iterator() && Xapian::Unicode::is_wordchar(*it)) ++it;
        const std::size_t end = n - it.left();
        i = end;
        const std::string token = query.substr(begin, end - begin);
        if (end < n && query[end] == ':' && !in_quotes) {
            // A field name: its value (a word, or a quoted phrase) is not corrected.
            i = end + 1;
            if (i < n && query[i] == '"') {
                const std::size_t close = query.find('"', i + 1);
                i = close == std::string::npos ? n : close + 1;
            } else {
                while (i < n && !std::isspace(static_cast<unsigned char>(query[i])) && query[i] != ')') ++i;
            }
            continue;
        }
        if (end < n && query[end] == '*') continue;  // a wildcard
        if (is_operator(token)) continue;
        if (std::any_of(token.begin(), token.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) continue;
        const std::string lower = text::to_lower(token);
        if (db.get_termfreq(indexed_term(stem, lower)) > 0) continue;
        const std::string suggestion = suggest_word(db, words, stem, lower);
        if (suggestion.empty()) continue;
        out.append(query, copied, begin - copied);
        out += suggestion;
        copied = end;
        changed = true;
    }
    if (!changed) return {};
    out.append(query, copied, std::string::npos);
    return out;
}

}  // namespace morgue::searcher
