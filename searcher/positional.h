/** @file positional.h
 *  @brief Phrases and NEAR, checked against the stored text instead of Xapian's position table.
 *
 *  Since schema 3 the shards keep no term positions: they were 43% of a compacted archive (glass
 *  spends ~17 bytes per term and article on them), and the zstd store already holds every word in
 *  order. So the searcher hands Xapian a superset of the query (each phrase or NEAR the AND of its
 *  words where a match needs it, nothing where it is negated), and checks the candidates Xapian
 *  ranks: the stored article's free-text fields are indexed again, with positions, exactly as the
 *  indexer numbers them (common/free_text.h), and the query is evaluated on them. Ranking is
 *  unchanged: Xapian weighs a phrase as the AND of its words either way.
 *
 *  Only built-in Xapian classes cross to remote shards, so the check runs here, on the documents
 *  fetched, and works the same over local and remote shards, and over schema 2 shards (which have
 *  positions the searcher no longer reads).
 */
#pragma once

#include "common/article.h"
#include "common/free_text.h"

#include <xapian.h>

#include <memory>
#include <string>
#include <vector>

namespace morgue::searcher {

/// A query, with what Xapian runs for it and an exact check of one article.
class PositionalQuery {
  public:
    /// With db, the archive the query runs on: a phrase with a word no article has matches nothing
    /// and needs no check.
    explicit PositionalQuery(const Xapian::Query& query, const Xapian::Database* db = nullptr);
    ~PositionalQuery();
    PositionalQuery(PositionalQuery&&) noexcept;
    PositionalQuery& operator=(PositionalQuery&&) noexcept;

    /// Whether the query has a phrase or NEAR whose articles need checking.
    [[nodiscard]] bool positional() const noexcept;
    /// What Xapian runs: the query itself when it is not positional; else every article the
    /// query matches and some more, weighted as the query would be.
    [[nodiscard]] const Xapian::Query& superset() const noexcept { return m_superset; }

    /// Whether an article Xapian matched for superset() matches the query itself. `doc` is the
    /// document it came from (read for its terms and values only where the answer depends on
    /// more than its words, e.g. a phrase ORed with a field).
    [[nodiscard]] bool matches(const Article& article, const Xapian::Document& doc) const;

    /// False when the article's word sketch (stored in front of it, common/free_text.h) shows
    /// that a phrase every match needs is not in it; true when it may be (or there is no sketch).
    /// A cheap first look: only a true answer needs matches().
    [[nodiscard]] bool may_match(const WordSketch& sketch) const;

    struct Node;

    struct SketchPhrase;

  private:
    std::unique_ptr<Node> m_root;  ///< null when not positional
    std::vector<SketchPhrase> m_must;  ///< the phrases and NEARs every match needs, as sketch bytes
    std::vector<std::string> m_words;  ///< the words (Z terms) the check reads, sorted
    bool m_every_word = false;         ///< a word wildcard: the check reads every word
    Xapian::Query m_superset;
};

/// The window Xapian gives a PHRASE or NEAR query (from its description: the API has no getter),
/// or 0 when `query` is neither.
/// A query whose matches are an OR of parts (or FILTER(OR, F), the form dates give), some with
/// phrases or NEAR and some without, split in two: `sure`, the parts without (whatever matches
/// them matches the query, no check needed), and `checked`, the parts with, both filtered alike.
/// An article matches the query iff it matches `sure`, or `checked` AND_NOT `sure`; where
/// `checked` is one part, its phrases are ones every such match needs, so word sketches can rule
/// candidates out. Both empty when the query is not of that shape.
struct OrSplit {
    Xapian::Query sure, checked;
};
[[nodiscard]] OrSplit split_or(const Xapian::Query& query, const Xapian::Database* db);

/// The positions of `words` (Z terms, sorted and unique) in an article's free-text fields, each
/// list sorted: the positions the indexer's TermGenerator gives those terms (common/free_text.h),
/// found without building a Document of every term (what matches() reads).
[[nodiscard]] std::vector<std::vector<Xapian::termpos>> word_positions(const Article& article,
                                                                       const std::vector<std::string>& words);

[[nodiscard]] Xapian::termcount positional_window(const Xapian::Query& query);

}  // namespace morgue::searcher
