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

namespace morgue {

/// Term positions skipped between fields, so that no phrase or NEAR spans two of them.
inline constexpr Xapian::termpos kFieldGap = 100;

/// Called before (true) and after (false) the words of each free-text field are indexed.
using FieldHook = std::function<void(const schema::Field&, bool before)>;

/// Indexes the free-text fields of `article` (schema::FieldKind::FreeText, in the table's order)
/// into tg's current document, from term position 0; with positions or without.
void index_free_text(const Article& article, Xapian::TermGenerator& tg, bool positions, const FieldHook& hook = {});

}  // namespace morgue
