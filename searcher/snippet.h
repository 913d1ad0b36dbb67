/** @file snippet.h
 *  @brief Snippets: about two sentences around the best cluster of query words, highlighted.
 */
#pragma once

#include <xapian.h>

#include <array>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace morgue::searcher {

struct SnippetOptions {
    std::string hi_start = "<b>";
    std::string hi_end = "</b>";
    std::string ellipsis = "…";
    std::size_t max_chars = 320;  ///< cut at a word boundary past this
};

/// Makes snippets for one query. Words match when their lower-case form or its
/// stem (same stemmer as the index) is one of the query's terms.
class Snippeter {
  public:
    Snippeter(Xapian::Stem stem, const std::vector<std::string>& terms, SnippetOptions options = {});
    /// Replaces the words to highlight (e.g. the terms one document matched).
    void set_terms(const std::vector<std::string>& terms);
    /// Words starting with one of these also match (trailing wildcards).
    void set_wildcards(const std::vector<std::string>& prefixes);
    [[nodiscard]] std::string make(std::string_view text);
    /// Highlights every query word in a short text (a title), no cutting.
    [[nodiscard]] std::string highlight(std::string_view text);

  private:
    struct Word {
        std::size_t begin, end;
        int term;  ///< index of the matched query term, -1 if none
    };
    std::vector<Word> tokenise(std::string_view text);
    int match(const std::string& lower);
    std::string render(std::string_view text, const std::vector<Word>& words, std::size_t from, std::size_t to);

    Xapian::Stem m_stem;
    std::unordered_map<std::string, int> m_terms;
    std::unordered_map<std::string, int> m_cache;  ///< lower-case word -> term index or -1
    std::vector<std::string> m_wildcards;
    std::unordered_map<std::string, std::string> m_stems;  ///< lower-case word -> stem, kept across set_terms
    /// Per ASCII first byte: 1 + the length of the shortest term or wildcard starting with it, 0 if none.
    /// English stems keep a word's first letter and are never longer than the word, so any other word
    /// is no match without stemming it (most words of a text).
    std::array<std::size_t, 128> m_shortest{};
    void index_first_letters();
    SnippetOptions m_options;
};

}  // namespace morgue::searcher
