/** @file archive_reader.h
 *  @brief Opening an archive for search: a directory, or a Xapian stub file.
 */
#pragma once

#include <xapian.h>

#include <string>

namespace morgue::searcher {

/// Opens an archive directory (its XAPIANDB stub lists the shards), a stub file
/// (local and remote shards), or a single shard database. Throws ArchiveError
/// naming the path or shard on failure, and on a shard of another schema version.
/// For remote shards' timeouts and --allow-partial, use ShardSet (shard_set.h).
[[nodiscard]] Xapian::Database open_archive(const std::string& path);

}  // namespace morgue::searcher
