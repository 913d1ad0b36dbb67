/** @file stored_article.h
 *  @brief The document data of an archive: a format byte, the word sketch (format 2), then the
 *         Article's JSON in a zstd frame.
 */
#pragma once

#include "common/article.h"
#include "common/dictionary_cache.h"
#include "common/zstd_codec.h"

#include <xapian.h>

#include <string>
#include <string_view>

namespace morgue {

/// Document data for an article already serialised with article_to_json, with its word sketch
/// (common/free_text.h; format 2) in front of the frame.
[[nodiscard]] std::string encode_stored_article(std::string_view json, ZstdCodec& codec, std::string_view sketch);

/// The two parts of document data: the word sketch (empty in format 1 data) and the zstd frame.
struct StoredParts {
    std::string_view sketch;
    std::string_view frame;
};
/// Splits document data; throws morgue::Error if it is not Morgue's or is truncated.
[[nodiscard]] StoredParts split_stored_article(std::string_view data);
/// Document data from a sketch and a frame (format 2).
[[nodiscard]] std::string join_stored_article(std::string_view sketch, std::string_view frame);
/// Decodes document data; throws morgue::Error if it is not Morgue's or is corrupt.
[[nodiscard]] Article decode_stored_article(std::string_view data, ZstdCodec& codec);
/// Decodes document data read from db, whose frame may name a trained
/// dictionary: it is loaded from db (any shard of it) through dicts. Use this
/// wherever articles are read back from an archive.
[[nodiscard]] Article decode_stored_article(std::string_view data, const Xapian::Database& db, DictionaryCache& dicts);

}  // namespace morgue
