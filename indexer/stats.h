/** @file stats.h
 *  @brief `morgue-index stats`: what an archive holds, shard by shard.
 */
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace morgue::indexer {

struct ShardStats {
    std::string name;
    std::uint64_t articles = 0;
    std::uint64_t duplicates = 0;  ///< articles folded under an earlier one (term XDUP)
    std::uint64_t bytes = 0;   ///< size on disk
    std::string first_date;    ///< YYYY-MM-DD, empty if undated/empty
    std::string last_date;
};

struct ArchiveStats {
    std::vector<ShardStats> shards;
    std::uint64_t articles = 0;
    std::uint64_t duplicates = 0;
    std::uint64_t bytes = 0;
    std::string first_date;
    std::string last_date;
};

/// Reads every shard the archive's stub lists; throws ArchiveError if it is not one.
[[nodiscard]] ArchiveStats archive_stats(const std::filesystem::path& dir);
[[nodiscard]] std::string stats_text(const ArchiveStats& s);

/// One line per article, sorted: shard, id, content hash, cluster key (tab-separated).
/// Two archives with the same lines hold the same articles in the same shards,
/// folded the same way (the kill-and-rerun test compares them).
[[nodiscard]] std::vector<std::string> list_articles(const std::filesystem::path& dir);
[[nodiscard]] std::string stats_json(const ArchiveStats& s);

}  // namespace morgue::indexer
