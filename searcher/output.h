/** @file output.h
 *  @brief Search results as terminal text, JSON or JSON Lines (field names are a contract: add, never rename).
 */
#pragma once

#include "searcher/search.h"

#include <string>

namespace morgue::searcher {

/// Human-readable results: each with "and N similar" when copies were folded
/// and its main entities; facets as compact bar charts. With color, query words
/// are bold (ANSI).
[[nodiscard]] std::string results_text(const SearchResults& results);
/// `{"query","total","total_exact","total_folded","total_folded_exact","partial","did_you_mean","sort",
///   "results":[{"rank","id","score","title","date","source","url","snippet","similar","partial",
///   "entities":{"person","org","place","misc"}}], "facets": {...} (with --facets)}`,
/// plus `"missing_shards":["host:port: reason"]` when remote shards did not answer (--allow-partial).
[[nodiscard]] std::string results_json(const SearchResults& results);
/// One result object per line (the objects of results_json's "results").
[[nodiscard]] std::string results_jsonl(const SearchResults& results);
/// `"facets"`: {"person":[{"name","count"}],"org","place","misc","source",
///   "time":{"unit","buckets":[{"start","count","share"}],"undated"},"sampled": N or null,"seconds"}
[[nodiscard]] std::string facets_text(const Facets& facets);

/// One whole article (--show): metadata, entities, text.
[[nodiscard]] std::string article_text(const Article& article);
/// The same as one JSON object: the stored article's fields.
[[nodiscard]] std::string article_json(const Article& article);

/// Draws the time histogram (counts, and share of the archive on a second axis)
/// into a PNG with gnuplot. Throws Error when gnuplot is missing or fails.
void plot_histogram(const Facets& facets, const std::string& query, const std::string& png_path);

}  // namespace morgue::searcher
