/** @file spelling.h
 *  @brief "Did you mean": corrections for the words of a query that no article contains.
 *
 *  The candidates are the archive's spelling words: every lower-case word of titles
 *  and bodies, from the archive's word list (common/word_list.h) and from the
 *  spelling tables of shards written before it. Database::get_spelling_suggestion
 *  looks a word up through the spelling table's trigram lists, which grow with the
 *  archive: 20-40 ms a word at a million articles. Here the words that share the
 *  misspelled word's first letter are read in order (one B-tree range scan each)
 *  and compared with a bounded Damerau-Levenshtein distance: the closest wins, then
 *  the one whose stem the most articles of db hold, then the first in order; a word
 *  whose stem no article of db has (a shard left out, a run killed before its
 *  shards committed) is passed over. A misspelling of the first letter is not
 *  corrected (rare in typed queries).
 */
#pragma once

#include <xapian.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace morgue::searcher {

/// The closest spelling word to `word` (lower case) within 1 edit (words of up to
/// 4 letters) or 2 edits (longer), a transposition counting as one; empty if none.
/// words: the archive's word list, or null; stem: the indexer's stemmer (Z terms).
[[nodiscard]] std::string suggest_word(const Xapian::Database& db, const Xapian::Database* words,
                                       const Xapian::Stem& stem, const std::string& word);

/// The query text with each plain word that no article contains (as stemmed by
/// `stem`, the indexer's Z terms) replaced by its suggestion, in lower case;
/// field names, operators and field values are left alone. Empty when nothing
/// was corrected. An archive without spelling data (remote shards) gives empty.
[[nodiscard]] std::string suggest_query(const Xapian::Database& db, const Xapian::Database* words,
                                        const Xapian::Stem& stem, const std::string& query);

/// Edit distance with adjacent transpositions, or max + 1 when it exceeds max.
[[nodiscard]] unsigned bounded_edit_distance(const std::string& a, const std::string& b, unsigned max);

/// The ASCII letters and digits a word holds, one bit each. An edit changes the set by two at
/// most, so words whose sets differ in more than 2 x max are more than max edits apart:
/// suggest_word passes over them without computing the distance.
[[nodiscard]] std::uint64_t letter_set(std::string_view word) noexcept;

}  // namespace morgue::searcher
