/** @file debris.h
 *  @brief Crawl debris learned from the crawl itself: paragraphs that repeat across many articles
 *         of one source ("Read Full Article", video teasers, newsletter pitches) are removed.
 *
 *  Design. No fixed list: what is debris depends on the site and changes with its templates. A
 *  site's template lines recur in a large share of its articles, while its reporting does not, so
 *  the model counts, per source, in how many articles each paragraph occurs (case-folded, spaces
 *  collapsed, at most kMaxLineBytes; hashed, so memory is one small entry per distinct paragraph).
 *  A paragraph is debris for that source when it occurs in at least `min_repeats` articles and in
 *  at least `min_share` of the source's articles, and the source has at least `min_articles`
 *  articles (below that, repetition says nothing). The source is the article's source name, else
 *  its URL host, else "" (all sourceless articles together, e.g. a directory of text files).
 *
 *  Learning needs the whole batch before the first article is written, so `read_inputs` (reader.h)
 *  reads its inputs twice: pass one feeds learn(), pass two delivers each article through apply().
 *  A single nightly file is therefore enough: it is its own training set. Standard input is
 *  spooled to a temporary file for the second pass. Pass one over a plain JSON Lines file of
 *  16 MB or more reads its two halves side by side into two models and merges them (merge()):
 *  the counts are sums, so the decision is the same, and the other core is not idle meanwhile. Ids are given by the readers before apply(),
 *  so an article's id never depends on what else was in the batch.
 *
 *  The model is deliberately not kept in the archive between runs: a model that grew with every
 *  run would clean the same input differently on a re-run, and re-running a night must leave the
 *  archive as it was. A source with fewer than min_articles articles in a batch (a single file of
 *  a single article, like the shared seed) therefore keeps its debris.
 */
#pragma once

#include "common/article.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace morgue::corpus {

struct DebrisOptions {
    std::size_t min_articles = 10;  ///< a source needs this many articles before anything is debris
    std::size_t min_repeats = 3;    ///< a paragraph must occur in at least this many of its articles
    double min_share = 0.05;        ///< ... and in at least this share of them
};

/// Longest paragraph considered (template lines are short; long paragraphs are reporting).
inline constexpr std::size_t kMaxLineBytes = 400;

class DebrisModel {
  public:
    explicit DebrisModel(DebrisOptions options = {}) : m_options(options) {}

    /// Pass one: counts the article's paragraphs for its source.
    void learn(const Article& article);
    /// Adds what another model (same options) learned from another part of the batch: the
    /// counts are sums, so learning the parts apart and merging them decides as one model that
    /// learned everything. A paragraph that reaches min_repeats only in the sum has no sample
    /// text for debris_of() (it is removed all the same). Call before finish().
    void merge(DebrisModel&& part);
    /// Decides what is debris; call once, after every learn() and merge().
    void finish();
    /// Pass two: removes debris paragraphs from article.body; returns how many were removed.
    std::size_t apply(Article& article) const;

    /// The source key an article is counted under.
    [[nodiscard]] static std::string source_key(const Article& article);
    /// Debris paragraphs learned for a source key (as first seen), for reports and tests.
    [[nodiscard]] std::vector<std::string> debris_of(const std::string& source) const;
    /// Total debris paragraphs over all sources.
    [[nodiscard]] std::size_t debris_count() const noexcept;

  private:
    struct SourceStats {
        std::size_t articles = 0;
        std::unordered_map<std::uint64_t, std::uint32_t> counts;
        std::unordered_map<std::uint64_t, std::string> samples;  ///< text of paragraphs seen min_repeats times
        std::unordered_set<std::uint64_t> debris;
    };
    [[nodiscard]] static std::uint64_t paragraph_hash(std::string_view paragraph);

    DebrisOptions m_options;
    std::unordered_map<std::string, SourceStats> m_sources;
};

}  // namespace morgue::corpus
