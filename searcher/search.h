/** @file search.h
 *  @brief Running a query over an archive: ranked hits with decoded articles and snippets.
 */
#pragma once

#include "common/article.h"
#include "searcher/snippet.h"

#include <xapian.h>

#include <cstdint>
#include <string>
#include <vector>

namespace morgue::searcher {

struct SearchRequest {
    std::string query;
    std::size_t offset = 0;
    std::size_t limit = 10;
    bool snippets = true;
    SnippetOptions snippet_options;
};

struct SearchHit {
    std::size_t rank = 0;  ///< 1-based, counting from the first result of the first page
    std::string id;
    double score = 0;
    Article article;
    std::string snippet;
    std::string title_highlighted;
};

struct SearchResults {
    std::string query;
    std::uint64_t total = 0;   ///< matching articles: exact when total_exact, else Xapian's estimate
    bool total_exact = false;
    /// True when no article has all the words and the hits are the best partial matches.
    bool partial = false;
    std::vector<SearchHit> hits;
    /// Remote shards that did not answer ("host:port: reason"), when the caller
    /// allowed a partial answer; JSON `missing_shards`, present only if any.
    std::vector<std::string> missing_shards;
};

/// Searches db (one shard or many). Throws QueryError for a bad query and
/// ArchiveError when the archive cannot be read.
[[nodiscard]] SearchResults search(const Xapian::Database& db, const SearchRequest& request);

/// The exact number of articles matching the query (every one counted).
[[nodiscard]] std::uint64_t count_matches(const Xapian::Database& db, const std::string& query);

}  // namespace morgue::searcher
