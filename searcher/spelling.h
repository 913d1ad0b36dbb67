/** @file spelling.h
 *  @brief "Did you mean": corrections for the words of a query that no article contains.
 *
 *  The candidates are the archive's spelling words (Xapian's spelling table: every
 *  lower-case word of titles and bodies with its frequency, written by the indexer).
 *  Database::get_spelling_suggestion looks a word up through the table's trigram
 *  lists, which grow with the archive: 20-40 ms a word at a million articles. Here
 *  the words that share the misspelled word's first letter are read in order
 *  (one B-tree range scan) and compared with a bounded Damerau-Levenshtein
 *  distance: the closest wins, then the most frequent, then the first in order.
 *  A misspelling of the first letter is not corrected (rare in typed queries).
 */
#pragma once

#include <xapian.h>

#include <string>

namespace morgue::searcher {

/// The closest spelling word to `word` (lower case) within 1 edit (words of up to
/// 4 letters) or 2 edits (longer), a transposition counting as one; empty if none.
[[nodiscard]] std::string suggest_word(const Xapian::Database& db, const std::string& word);

/// The query text with each plain word that no article contains (as stemmed by
/// `stem`, the indexer's Z terms) replaced by its suggestion, in lower case;
/// field names, operators and field values are left alone. Empty when nothing
/// was corrected. An archive without spelling data (remote shards) gives empty.
[[nodiscard]] std::string suggest_query(const Xapian::Database& db, const Xapian::Stem& stem, const std::string& query);

/// Edit distance with adjacent transpositions, or max + 1 when it exceeds max.
[[nodiscard]] unsigned bounded_edit_distance(const std::string& a, const std::string& b, unsigned max);

}  // namespace morgue::searcher
