/** @file archive_reader.cpp
 *  @brief open_archive: Xapian does the stub parsing; we check what we find.
 */
#include "searcher/archive_reader.h"

#include "common/error.h"
#include "common/stored_article.h"
#include "searcher/shard_set.h"

namespace morgue::searcher {

Xapian::Database open_archive(const std::string& path) {
    return ShardSet(path).db();
}

Article read_article(const Xapian::Document& doc, ZstdCodec& codec) {
    try {
        return decode_stored_article(doc.get_data(), codec);
    } catch (const Error& e) {
        throw ArchiveError("document " + std::to_string(doc.get_docid()) + ": " + e.what());
    }
}

Article read_article(const Xapian::Database& db, const Xapian::Document& doc, DictionaryCache& dicts) {
    try {
        return decode_stored_article(doc.get_data(), db, dicts);
    } catch (const Error& e) {
        throw ArchiveError("document " + std::to_string(doc.get_docid()) + ": " + e.what());
    }
}

DictionaryCache& thread_dictionaries() {
    thread_local DictionaryCache cache;
    return cache;
}

}  // namespace morgue::searcher
