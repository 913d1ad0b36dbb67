/** @file fast_tiers.h
 *  @brief The ranked tiers of a plain-word query matched over Morgue's own posting lists
 *  (common/postings_file.h) instead of Xapian's matcher.
 *
 *  search() shows articles with all of a query's words first, then those with all but one
 *  (search.h, all_but_one). For a query of plain words only (no phrase, field, date or
 *  operator), a tier is handed to Xapian as one PostingSource, TierSource: it intersects the
 *  words' lists in Morgue's format, weighs each match exactly as Xapian's BM25 would (the words
 *  and the entity boosts of QueryBuilder::boost; the schema's b = 0, so no document lengths),
 *  and gives Xapian the matches in docid order with their weights. Everything after the match
 *  (collapse, the match spy's counts, ties, pages) is Xapian's and search()'s as before; the
 *  counts improve, as the source knows its exact number of matches.
 *
 *  Used when every shard is local and at least one has a postings file for its current revision
 *  (PostingsSet); otherwise, and for any other query shape, Xapian matches as before.
 */
#pragma once

#include "common/postings_file.h"

#include <xapian.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace morgue::searcher {

/// The postings files of an archive's shards, by shard UUID: complete when every shard has one
/// that fits it.
class PostingsSet {
  public:
    /// The files of `shards` (each a single local database, and its directory) that fit their
    /// shard's current revision; nullptr when none does. A shard without one has its lists read
    /// from Xapian whole (a month not yet compacted: small). Throws ArchiveError for a file that
    /// is there but damaged.
    [[nodiscard]] static std::shared_ptr<const PostingsSet> open(const std::vector<std::pair<Xapian::Database, std::string>>& shards);
    /// The file for one shard as Xapian hands it to a PostingSource; nullptr if none fits.
    [[nodiscard]] const PostingsFile* for_shard(const Xapian::Database& shard) const;

  private:
    std::map<std::string, std::shared_ptr<const PostingsFile>> m_files;  ///< by UUID
};

/// One tier: the articles with at least `need` of `words`, less (when `exclude` is not empty)
/// those with every term of `exclude`.
struct TierSpec {
    struct Term {
        std::string term;
        double termweight = 0;  ///< BM25's, from the whole archive's statistics
    };
    std::vector<Term> words;
    std::vector<Term> boosts;  ///< added to a match's weight where present
    std::size_t need = 0;
    std::vector<std::string> exclude;
    double k1 = 0;
};

/// Xapian::BM25Weight's term weight (no relevance set, wqf 1): idf with its floor for terms in
/// more than a third of the documents, times the query's scale factor, times k1 + 1.
[[nodiscard]] double bm25_termweight(double documents, double termfreq, double factor, double k1);

/// Builds a TierSpec for `words` over `db` with the entity boosts `boosts` ((term, scale) from
/// QueryBuilder::entity_boost_terms), weighing as `weight` would at b = 0.
[[nodiscard]] TierSpec tier_spec(const Xapian::Database& db, const std::vector<std::string>& words,
                                 const std::vector<std::pair<std::string, double>>& boosts, std::size_t need,
                                 std::vector<std::string> exclude, double k1);

/// The tier as a query Xapian ranks (a TierSource).
[[nodiscard]] Xapian::Query tier_query(std::shared_ptr<const TierSpec> spec, std::shared_ptr<const PostingsSet> set);

/// One match of a tier.
struct TierMatch {
    Xapian::docid docid = 0;
    double weight = 0;
};
/// A tier's matches in one shard (docids of that shard), in docid order, over `file`'s lists
/// (null: Xapian's, read whole): the work TierSource does, for tests and morgue-bench.
[[nodiscard]] std::vector<TierMatch> match_tier(const TierSpec& spec, const PostingsFile* file, const Xapian::Database& shard);

/// How many tier matches have run over postings files in this process (for tests and
/// morgue-bench: whether the fast tiers were used).
[[nodiscard]] std::uint64_t fast_tier_runs() noexcept;

/// The query's word terms when it is only plain words joined by `op` (or one word), each once
/// (ops nested in the same op count as one: QueryParser groups words after a comma so);
/// else empty.
[[nodiscard]] std::vector<std::string> plain_words(const Xapian::Query& q, Xapian::Query::op op);

}  // namespace morgue::searcher
