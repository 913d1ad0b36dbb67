/** @file archive_reader.h
 *  @brief Opening an archive for search: a directory, or a Xapian stub file.
 */
#pragma once

#include "common/article.h"
#include "common/dictionary_cache.h"
#include "common/zstd_codec.h"

#include <xapian.h>

#include <string>

namespace morgue::searcher {

/// Opens an archive directory (its XAPIANDB stub lists the shards), a stub file
/// (local and remote shards), or a single shard database. Throws ArchiveError
/// naming the path or shard on failure, and on a shard of another schema version.
/// For remote shards' timeouts and --allow-partial, use ShardSet (shard_set.h).
[[nodiscard]] Xapian::Database open_archive(const std::string& path);

/// The Article a document stores. Every read of stored articles in the searcher
/// goes through here, so a change of storage (e.g. dictionaries) is one edit.
/// Throws ArchiveError naming the document when the data cannot be decoded.
[[nodiscard]] Article read_article(const Xapian::Document& doc, ZstdCodec& codec);
/// The same for an article of db whose frame may name a trained zstd dictionary
/// (loaded from db through dicts; see common/dictionary_cache.h).
[[nodiscard]] Article read_article(const Xapian::Database& db, const Xapian::Document& doc, DictionaryCache& dicts);

/// This thread's zstd dictionaries, kept from one search to the next: loading one (a 256 KB
/// metadata read and a decompression context) was a sixth of a median query's time. A
/// dictionary's id is derived from its content (ZDICT's default), so one cache serves any
/// archive; one per thread, so that threads never wait on each other's decompression.
[[nodiscard]] DictionaryCache& thread_dictionaries();

}  // namespace morgue::searcher
