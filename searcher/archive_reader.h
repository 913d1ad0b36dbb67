/** @file archive_reader.h
 *  @brief Opening an archive for search: a directory, or a Xapian stub file.
 */
#pragma once

#include <xapian.h>

#include <string>

namespace morgue::searcher {

/// Opens an archive directory (its XAPIANDB stub lists the shards), a stub file,
/// or a single shard database. Throws ArchiveError naming the path on failure,
/// and on an archive of another schema version.
[[nodiscard]] Xapian::Database open_archive(const std::string& path);

}  // namespace morgue::searcher
