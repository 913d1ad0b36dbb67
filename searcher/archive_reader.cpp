/** @file archive_reader.cpp
 *  @brief open_archive: the shards are opened and checked one by one (searcher/shard_set.h).
 */
#include "searcher/archive_reader.h"

#include "searcher/shard_set.h"

namespace morgue::searcher {

Xapian::Database open_archive(const std::string& path) {
    return ShardSet(path).db();
}

}  // namespace morgue::searcher
