/** @file stored_article.h
 *  @brief The document data of an archive: a format byte, then the Article's JSON in a zstd frame.
 */
#pragma once

#include "common/article.h"
#include "common/dictionary_cache.h"
#include "common/zstd_codec.h"

#include <xapian.h>

#include <string>
#include <string_view>

namespace morgue {

/// Document data for an article already serialised with article_to_json.
[[nodiscard]] std::string encode_stored_article(std::string_view json, ZstdCodec& codec);
/// Decodes document data; throws morgue::Error if it is not Morgue's or is corrupt.
[[nodiscard]] Article decode_stored_article(std::string_view data, ZstdCodec& codec);
/// Decodes document data read from db, whose frame may name a trained
/// dictionary: it is loaded from db (any shard of it) through dicts. Use this
/// wherever articles are read back from an archive.
[[nodiscard]] Article decode_stored_article(std::string_view data, const Xapian::Database& db, DictionaryCache& dicts);

}  // namespace morgue
