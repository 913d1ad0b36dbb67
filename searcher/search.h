/** @file search.h
 *  @brief Running a query over an archive: ranked hits with decoded articles and snippets.
 */
#pragma once

#include "common/article.h"
#include "common/shard_select.h"
#include "searcher/facets.h"
#include "searcher/fast_tiers.h"
#include "searcher/snippet.h"

#include <xapian.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace morgue::searcher {

enum class SortOrder { Relevance, Newest, Oldest };

/// "relevance", "newest", "oldest"; nullopt for anything else.
[[nodiscard]] std::optional<SortOrder> sort_order_from_name(std::string_view name) noexcept;
[[nodiscard]] std::string_view sort_order_name(SortOrder order) noexcept;
/// A half-life such as "30d", "12h", "2w", "1y" (a bare number is days), in days.
/// Throws UsageError when it is not one.
[[nodiscard]] double parse_half_life(std::string_view text);

struct SearchRequest {
    std::string query;
    std::size_t offset = 0;
    std::size_t limit = 10;
    bool snippets = true;
    SnippetOptions snippet_options;
    SortOrder sort = SortOrder::Relevance;
    /// Above zero: relevance is blended with freshness, a match this many days
    /// older than the archive's newest article getting half the boost.
    double recency_half_life_days = 0;
    /// Title words weigh this much more (a search-time field weight on top of
    /// the index's title wdf); 0, the default, turns it off: on the RCV1
    /// judgments any extra title weight lowered MAP (docs/BENCHMARKS.md).
    double title_weight = 0.0;
    /// Rank up articles where entities that the plain words name are central.
    bool entity_boost = true;
    /// Fold near-duplicate copies (schema::kSlotCluster) into one result.
    bool collapse = true;
    /// --from / --to as typed (any form `date:` reads); empty = open.
    std::string from;
    std::string to;
    /// --like ID: articles like this one (the query, if any, then filters them).
    std::string like_id;
    bool facets = false;
    FacetOptions facet_options;
    /// The archive's word list for "did you mean" (words::open_for; common/word_list.h),
    /// not owned; null: only the spelling tables of shards written before it.
    const Xapian::Database* words = nullptr;
    /// The local shards that make up db, each opened on its own (ShardSet::local_shards), not
    /// owned; null: db alone. Xapian 1.4 stops a boolean match at check-at-least only over one
    /// database (over several it walks every match), so with these, counts run shard by shard
    /// and are added up (docs/BENCHMARKS.md, "several shards").
    const std::vector<Xapian::Database>* shards = nullptr;
    /// Morgue's own posting lists of db's shards (ShardSet::postings), or null. With them, the
    /// first two tiers of a query of plain words (all the words; all but one) are matched over
    /// those lists and handed to Xapian ranked (fast_tiers.h); without, Xapian matches them.
    std::shared_ptr<const PostingsSet> postings;
};

struct SearchHit {
    std::size_t rank = 0;  ///< 1-based, counting from the first result of the first page
    std::string id;
    double score = 0;
    Article article;
    std::string snippet;
    std::string title_highlighted;
    /// Other matching copies folded into this result ("and N similar").
    std::uint64_t similar = 0;
    /// The article has only some of the query's words (shown after all those that have them all).
    bool partial = false;
};

/// Where one search's time went, in milliseconds (morgue-bench query reports their means: "phase_mean_ms").
struct SearchPhases {
    double parse = 0;     ///< reading the query, building the Xapian queries
    double match = 0;     ///< the ranked matches (all words, then any word or the partial tier)
    double check = 0;     ///< phrases and NEAR checked against the candidates' stored text (searcher/positional.h)
    double suggest = 0;   ///< "did you mean"
    double count = 0;     ///< totals: the count before folding, the folded count (folded_count)
    double fetch = 0;     ///< reading and decompressing the hits' articles
    double similar = 0;   ///< "and N similar" per hit
    double snippets = 0;  ///< snippets and highlighted titles
    double facets = 0;    ///< --facets
};

struct SearchResults {
    std::string query;
    std::string like_id;       ///< --like ID, when given
    /// Matching articles, copies included: exact when total_exact, else Xapian's estimate.
    /// With several plain words, those with all of them (unless partial); the
    /// best of those with only some follow on the last pages, marked partial.
    std::uint64_t total = 0;
    bool total_exact = false;
    /// Results once near-duplicate copies are folded (equal to total when nothing folds).
    std::uint64_t total_folded = 0;
    /// total_folded counted (not estimated): every match was looked at, at most
    /// kCountFoldedUpTo of them, and at most kFoldCopies near-duplicate copies among them
    /// (search.cpp, folded_count).
    bool total_folded_exact = false;
    /// True when no article has all the words and the hits are the best partial matches.
    bool partial = false;
    /// The query with misspelled words corrected ("did you mean"), or empty.
    std::string did_you_mean;
    SortOrder sort = SortOrder::Relevance;
    std::vector<SearchHit> hits;
    std::optional<Facets> facets;
    double seconds = 0;  ///< search, snippets and folding (facets not included)
    SearchPhases phases;
    /// Remote shards that did not answer ("host:port: reason"), when the caller
    /// allowed a partial answer; JSON `missing_shards`, present only if any.
    std::vector<std::string> missing_shards;
};

/// The all-but-one tier of an any-word query of 3 to 8 words (QueryParser's top-level OR, or
/// its left side under a filter or AND_NOT): the articles with all of its words but one or more,
/// as "at least n-1 of n" with the most frequent word first. Empty for any other shape.
/// `freq`: a word's number of articles, or an estimate (it only orders them).
[[nodiscard]] Xapian::Query all_but_one(const Xapian::Query& any,
                                        const std::function<Xapian::doccount(const std::string&)>& freq);

/// Searches db (one shard or many). Throws QueryError for a bad query and
/// ArchiveError when the archive cannot be read.
[[nodiscard]] SearchResults search(const Xapian::Database& db, const SearchRequest& request);

/// How many matching copies the folded count collapses (and clusters it looks up) before it
/// estimates.
inline constexpr std::size_t kFoldCopies = 64;
/// Above this many matches, the folded total is Xapian's estimate from the ranked match, not
/// counted apart.
inline constexpr std::uint64_t kCountFoldedUpTo = 1000;
/// The number of results once copies are folded, among `total` (exactly counted) matches of
/// `query`, and whether it is exact: past `limit` matching copies, it is estimated from the
/// first `limit` clusters of them.
[[nodiscard]] std::pair<std::uint64_t, bool> folded_count(const Xapian::Database& db, const Xapian::Query& query,
                                                          std::uint64_t total, std::size_t limit);

/// The exact number of articles matching the query (every one counted).
[[nodiscard]] std::uint64_t count_matches(const Xapian::Database& db, const std::string& query);
/// The same with the request's date bounds and --like.
/// The days a request can match, when it says so plainly: --from/--to, and the date:, after:
/// and before: fields of a query with no OR, NOT, '-' or parentheses (where every field is a
/// filter). nullopt when it may match any day (or undated articles). Used to open only the
/// shards that hold those days (common/shard_select.h); throws QueryError for a bad date.
[[nodiscard]] std::optional<DayRange> request_day_range(const SearchRequest& request);

[[nodiscard]] std::uint64_t count_matches(const Xapian::Database& db, const SearchRequest& request);

/// One article by id. Throws Error (exit 1) when there is none.
[[nodiscard]] Article find_article(const Xapian::Database& db, const std::string& id);

}  // namespace morgue::searcher
