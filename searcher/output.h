/** @file output.h
 *  @brief Search results as terminal text or as JSON (field names are a contract).
 */
#pragma once

#include "searcher/search.h"

#include <string>

namespace morgue::searcher {

/// Human-readable results. With color, query words are bold (ANSI).
[[nodiscard]] std::string results_text(const SearchResults& results);
/// `{"query","total","total_exact","partial","results":[{"rank","id","score","title","date","source","url","snippet"}]}`,
/// plus `"missing_shards":["host:port: reason"]` when remote shards did not answer (--allow-partial).
[[nodiscard]] std::string results_json(const SearchResults& results);

}  // namespace morgue::searcher
