/** @file dictionary_cache.h
 *  @brief The zstd dictionaries of an archive, loaded on demand from the archive itself.
 *
 *  Every stored article is a zstd frame that names the dictionary it was
 *  compressed with (its dictionary id; 0 = none). Each shard that holds such
 *  frames also holds that dictionary twice: in its metadata under
 *  `morgue.zstd_dict.<id>`, and in value slot 7 of one of its articles, which
 *  carries the boolean term `XDICT:<id>`. The article copy is what makes it
 *  readable when several shards are opened as one Database (a stub, a remote
 *  server of several shards), where get_metadata sees only the first shard: a
 *  term lookup sees them all. (An article, not a document of its own: extra
 *  documents would change document counts and so BM25 weights.)
 */
#pragma once

#include "common/zstd_codec.h"

#include <xapian.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace morgue {

/// The dictionary with this id as stored in db (metadata first, then the
/// XDICT:<id> document); empty if db does not hold it.
[[nodiscard]] std::string find_dictionary(const Xapian::Database& db, unsigned id);

/// Every dictionary db holds, by id: those carried on an article (XDICT:<id>) and those only in
/// its metadata (of the first shard, when db is several).
[[nodiscard]] std::map<unsigned, std::string> held_dictionaries(const Xapian::Database& db);

/// Decompression contexts per dictionary id, filled from a database on first
/// use. Thread-safe (one mutex; decoding a page of results is short).
class DictionaryCache {
  public:
    DictionaryCache() = default;
    DictionaryCache(const DictionaryCache&) = delete;
    DictionaryCache& operator=(const DictionaryCache&) = delete;

    /// Makes a dictionary known without a database (the writer's own).
    void add(unsigned id, std::string_view dictionary);
    /// Decompresses one frame, loading the dictionary it names from db when
    /// needed. Throws morgue::Error if the dictionary is nowhere in db.
    [[nodiscard]] std::string decompress(const Xapian::Database& db, std::string_view frame);

  private:
    ZstdCodec& codec_for(const Xapian::Database* db, unsigned id);

    std::mutex m_mutex;
    std::map<unsigned, std::unique_ptr<ZstdCodec>> m_codecs;
};

}  // namespace morgue
