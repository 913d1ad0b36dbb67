/** @file stored_article.cpp
 *  @brief Encoding and decoding of document data (see the schema comment in schema.h).
 */
#include "common/stored_article.h"

#include "common/error.h"
#include "common/schema.h"

namespace morgue {

std::string encode_stored_article(std::string_view json, ZstdCodec& codec) {
    std::string data(1, schema::kDataFormat);
    data += codec.compress(json);
    return data;
}

Article decode_stored_article(std::string_view data, ZstdCodec& codec) {
    if (data.empty() || data[0] != schema::kDataFormat) throw Error("document data is not a Morgue article");
    return article_from_json(codec.decompress(data.substr(1)));
}

Article decode_stored_article(std::string_view data, const Xapian::Database& db, DictionaryCache& dicts) {
    if (data.empty() || data[0] != schema::kDataFormat) throw Error("document data is not a Morgue article");
    return article_from_json(dicts.decompress(db, data.substr(1)));
}

}  // namespace morgue
