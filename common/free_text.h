/** @file free_text.h
 *  @brief An article's free-text fields (title, authors, body) as TermGenerator reads them.
 *
 *  The one place that says in which order, with which prefixes, weights and position gaps the
 *  words of an article are indexed. The indexer builds its documents from it (without positions
 *  since schema 3), and the searcher rebuilds the same terms, with positions, from the stored
 *  article to check phrases and NEAR (searcher/positional.h): both ends read a phrase the same way.
 */
#pragma once

#include "common/article.h"
#include "common/schema.h"

#include <xapian.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace morgue {

/// Term positions skipped between fields, so that no phrase or NEAR spans two of them.
inline constexpr Xapian::termpos kFieldGap = 100;

/// Called before (true) and after (false) the words of each free-text field are indexed.
using FieldHook = std::function<void(const schema::Field&, bool before)>;

/// The term positions one free-text field took: [first, last] (last < first when it had no words).
struct FieldSpan {
    schema::Source source;
    std::string prefix;
    Xapian::termpos first = 1, last = 0;
};

/// Indexes the free-text fields of `article` (schema::FieldKind::FreeText, in the table's order)
/// into tg's current document, from term position 0; with positions or without. Returns the
/// positions each field took.
std::vector<FieldSpan> index_free_text(const Article& article, Xapian::TermGenerator& tg, bool positions,
                                       const FieldHook& hook = {});

/// The word sketch kept in front of each stored article (format 2 document data): one byte per
/// word, in order, of the title, the authors and the body, each byte a hash of the word's stem
/// (sketch_byte). Read without decompressing anything, it tells the searcher which candidates
/// cannot hold a phrase (searcher/positional.h). Layout: three varints (the title's, the authors'
/// and the body's number of words), then the bytes.
[[nodiscard]] std::string word_sketch(const Xapian::Document& words, const std::vector<FieldSpan>& spans);
/// One stem's byte in a word sketch.
[[nodiscard]] unsigned char sketch_byte(std::string_view stem) noexcept;

/// A word sketch read back: each field's bytes (empty views when there is no sketch).
struct WordSketch {
    std::string_view title, authors, body;
    bool present = false;
};
/// Reads a sketch; throws morgue::Error when it is truncated.
[[nodiscard]] WordSketch read_word_sketch(std::string_view sketch);

}  // namespace morgue
