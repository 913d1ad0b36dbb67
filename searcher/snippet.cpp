/** @file snippet.cpp
 *  @brief Sentence-window snippet selection.
 *
 *  The text is split into words (Unicode word characters, as Xapian's own
 *  TermGenerator sees them) and sentences. Each window of up to two sentences
 *  scores by the number of distinct query terms it holds, then by matches; the
 *  best window is shown, trimmed at word boundaries to max_chars.
 */
#include "searcher/snippet.h"

#include "common/text.h"

#include <algorithm>

namespace morgue::searcher {

Snippeter::Snippeter(Xapian::Stem stem, const std::vector<std::string>& terms, SnippetOptions options)
    : m_stem(std::move(stem)), m_options(std::move(options)) {
    set_terms(terms);
}

void Snippeter::set_terms(const std::vector<std::string>& terms) {
    m_terms.clear();
    m_cache.clear();  // wildcards are kept
    int i = 0;
    for (const auto& t : terms) m_terms.emplace(t, i++);
    index_first_letters();
}

void Snippeter::set_wildcards(const std::vector<std::string>& prefixes) {
    m_wildcards = prefixes;
    m_cache.clear();
    index_first_letters();
}

void Snippeter::index_first_letters() {
    m_shortest.fill(0);
    auto note = [this](const std::string& t) {
        if (t.empty()) return;
        const auto first = static_cast<unsigned char>(t[0]);
        if (first >= m_shortest.size()) return;
        if (m_shortest[first] == 0 || t.size() + 1 < m_shortest[first]) m_shortest[first] = t.size() + 1;
    };
    for (const auto& [t, index] : m_terms) note(t);
    for (const auto& w : m_wildcards) note(w);
}

int Snippeter::match(const std::string& lower) {
    if (lower.empty()) return -1;
    if (const auto first = static_cast<unsigned char>(lower[0]); first < m_shortest.size()) {
        if (m_shortest[first] == 0 || lower.size() + 1 < m_shortest[first]) return -1;
    }
    auto it = m_cache.find(lower);
    if (it != m_cache.end()) return it->second;
    int found = -1;
    if (auto t = m_terms.find(lower); t != m_terms.end()) {
        found = t->second;
    } else {
        auto st = m_stems.find(lower);
        if (st == m_stems.end()) st = m_stems.emplace(lower, m_stem(lower)).first;
        if (auto s = m_terms.find(st->second); s != m_terms.end()) found = s->second;
    }
    for (std::size_t i = 0; found < 0 && i < m_wildcards.size(); ++i) {
        if (lower.rfind(m_wildcards[i], 0) == 0) found = static_cast<int>(m_terms.size() + i);
    }
    m_cache.emplace(lower, found);
    return found;
}

namespace {

/// Xapian's word characters among ASCII (letters, digits, '_'), looked up once.
const std::array<bool, 128>& ascii_wordchars() {
    static const std::array<bool, 128> table = [] {
        std::array<bool, 128> t{};
        for (unsigned c = 0; c < t.size(); ++c) t[c] = Xapian::Unicode::is_wordchar(c);
        return t;
    }();
    return table;
}

/// The code point at text[at] and its length in bytes; ASCII without Xapian's decoder,
/// everything else (invalid bytes included) exactly as Xapian::Utf8Iterator reads it.
/// (g++ 12 cannot see that the iterator is never empty here, hence the pragma.)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
std::size_t decode(std::string_view text, std::size_t at, unsigned& cp) {
    const auto c = static_cast<unsigned char>(text[at]);
    if (c < 0x80) {
        cp = c;
        return 1;
    }
    Xapian::Utf8Iterator it(text.data() + at, text.size() - at);
    cp = *it;
    ++it;
    return text.size() - at - it.left();
}
#pragma GCC diagnostic pop

bool is_wordchar(unsigned cp) {
    return cp < 128 ? ascii_wordchars()[cp] : Xapian::Unicode::is_wordchar(cp);
}

unsigned to_lower(unsigned cp) {
    if (cp < 128) return (cp >= 'A' && cp <= 'Z') ? cp + ('a' - 'A') : cp;
    return Xapian::Unicode::tolower(cp);
}

}  // namespace

std::vector<Snippeter::Word> Snippeter::tokenise(std::string_view text) {
    std::vector<Word> words;
    std::string lower;
    const std::size_t n = text.size();
    std::size_t pos = 0;
    unsigned cp = 0;
    while (pos < n) {
        std::size_t len = decode(text, pos, cp);
        if (!is_wordchar(cp)) {
            pos += len;
            continue;
        }
        const std::size_t begin = pos;
        // Dotted capitals are one word, as the indexer's TermGenerator reads them: "U.S." is "us".
        std::size_t dots = pos;
        lower.clear();
        while (dots + 1 < n && text[dots] >= 'A' && text[dots] <= 'Z' && text[dots + 1] == '.') {
            lower.push_back(static_cast<char>(text[dots] - 'A' + 'a'));
            dots += 2;
        }
        if (lower.size() >= 2 && (dots >= n || !(text[dots] >= 'a' && text[dots] <= 'z'))) {
            pos = dots;
            words.push_back(Word{begin, pos, match(lower)});
            continue;
        }
        const unsigned first = to_lower(cp);
        // A word whose first letter starts no term cannot match: find its end without building it.
        const bool candidate = first >= m_shortest.size() || m_shortest[first] != 0;
        lower.clear();
        bool started = false;
        while (pos < n) {
            len = decode(text, pos, cp);
            if (!(is_wordchar(cp) || ((cp == '\'' || cp == 0x2019) && started))) break;
            if (candidate) {
                const unsigned lc = to_lower(cp);
                if (lc < 0x80) lower.push_back(static_cast<char>(lc));
                else Xapian::Unicode::append_utf8(lower, lc);
            }
            started = true;
            pos += len;
        }
        std::size_t stop = pos;
        // A trailing apostrophe belongs to the punctuation, not the word.
        while (stop > begin + 1 && text[stop - 1] == '\'') {
            if (candidate) lower.pop_back();
            --stop;
        }
        int term = -1;
        if (candidate) {
            term = match(lower);
            if (term < 0) {
                // "Kim's" matches "kim": try without a possessive ending.
                auto apos = lower.find('\'');
                if (apos == std::string::npos) apos = lower.find("\xE2\x80\x99");
                if (apos != std::string::npos && apos > 0) term = match(lower.substr(0, apos));
            }
        }
        words.push_back(Word{begin, stop, term});
    }
    return words;
}

std::string Snippeter::render(std::string_view text, const std::vector<Word>& words, std::size_t from,
                              std::size_t to) {
    // words[from, to) are shown; text between them is copied as is, whitespace tidied.
    std::string out;
    if (from > 0) out += m_options.ellipsis + " ";
    std::size_t cursor = words[from].begin;
    for (std::size_t i = from; i < to; ++i) {
        out += text.substr(cursor, words[i].begin - cursor);
        if (words[i].term >= 0) out += m_options.hi_start;
        out += text.substr(words[i].begin, words[i].end - words[i].begin);
        if (words[i].term >= 0) out += m_options.hi_end;
        cursor = words[i].end;
    }
    // Keep closing punctuation right after the last word (". ! ? , quote").
    std::size_t tail = cursor;
    while (tail < text.size() && tail - cursor < 4) {
        const char c = text[tail];
        if (c == '.' || c == '!' || c == '?' || c == '"' || c == ')' || c == '\'' ||
            static_cast<unsigned char>(c) >= 0x80) {
            if (static_cast<unsigned char>(c) >= 0x80) {
                // Only a closing curly quote (U+201D, U+2019) is kept.
                if (text.substr(tail, 3) == "\xE2\x80\x9D" || text.substr(tail, 3) == "\xE2\x80\x99") {
                    tail += 3;
                    continue;
                }
                break;
            }
            ++tail;
            continue;
        }
        break;
    }
    out += text.substr(cursor, tail - cursor);
    if (to < words.size()) out += " " + m_options.ellipsis;
    return text::collapse_spaces(out);
}

std::string Snippeter::make(std::string_view text) {
    const std::vector<Word> words = tokenise(text);
    if (words.empty()) return {};
    // Sentence starts: a word whose preceding non-space text ends a sentence.
    std::vector<std::size_t> sentence_of(words.size());
    std::size_t sentence = 0;
    for (std::size_t i = 1; i < words.size(); ++i) {
        const std::string_view gap = text.substr(words[i - 1].end, words[i].begin - words[i - 1].end);
        const bool ends = gap.find_first_of(".!?") != std::string_view::npos &&
                          gap.find_first_of(" \n\t") != std::string_view::npos;
        if (ends || gap.find("\n\n") != std::string_view::npos) ++sentence;
        sentence_of[i] = sentence;
    }
    const std::size_t n_sentences = sentence + 1;
    std::vector<std::size_t> first_word(n_sentences + 1, words.size());
    for (std::size_t i = words.size(); i-- > 0;) first_word[sentence_of[i]] = i;

    // Best window of up to two sentences: most distinct terms, then most matches, then earliest.
    std::size_t best_from = 0, best_to = first_word[std::min<std::size_t>(2, n_sentences)];
    int best_distinct = -1, best_hits = -1;
    for (std::size_t s = 0; s < n_sentences; ++s) {
        const std::size_t from = first_word[s];
        const std::size_t to = first_word[std::min(s + 2, n_sentences)];
        std::vector<int> seen;
        int hits = 0;
        for (std::size_t i = from; i < to; ++i) {
            if (words[i].term < 0) continue;
            ++hits;
            if (std::find(seen.begin(), seen.end(), words[i].term) == seen.end()) seen.push_back(words[i].term);
        }
        const int distinct = static_cast<int>(seen.size());
        if (distinct > best_distinct || (distinct == best_distinct && hits > best_hits)) {
            best_distinct = distinct;
            best_hits = hits;
            best_from = from;
            best_to = to;
        }
    }
    // Trim to max_chars at word boundaries, keeping the first match in view.
    auto span_chars = [&](std::size_t from, std::size_t to) { return words[to - 1].end - words[from].begin; };
    if (span_chars(best_from, best_to) > m_options.max_chars) {
        std::size_t first_hit = best_from;
        while (first_hit < best_to && words[first_hit].term < 0) ++first_hit;
        if (first_hit == best_to) first_hit = best_from;
        // Start a few words before the first hit, unless that is the sentence start anyway.
        std::size_t from = first_hit > best_from + 8 ? first_hit - 8 : best_from;
        std::size_t to = from + 1;
        while (to < best_to && span_chars(from, to + 1) <= m_options.max_chars) ++to;
        best_from = from;
        best_to = to;
    }
    return render(text, words, best_from, best_to);
}

std::string Snippeter::highlight(std::string_view text) {
    const std::vector<Word> words = tokenise(text);
    if (words.empty()) return std::string(text);
    std::string out(text.substr(0, words.front().begin));
    std::size_t cursor = words.front().begin;
    for (const auto& w : words) {
        out += text.substr(cursor, w.begin - cursor);
        if (w.term >= 0) out += m_options.hi_start;
        out += text.substr(w.begin, w.end - w.begin);
        if (w.term >= 0) out += m_options.hi_end;
        cursor = w.end;
    }
    out += text.substr(cursor);
    return out;
}

}  // namespace morgue::searcher
