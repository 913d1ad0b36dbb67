/** @file stored_article.cpp
 *  @brief Encoding and decoding of document data (see the schema comment in schema.h).
 */
#include "common/stored_article.h"

#include "common/error.h"
#include "common/schema.h"
#include "common/varint.h"

namespace morgue {

namespace {

constexpr char kFormatFrameOnly = '\x01';

}  // namespace

std::string join_stored_article(std::string_view sketch, std::string_view frame) {
    std::string data(1, schema::kDataFormat);
    put_varint(data, sketch.size());
    data += sketch;
    data += frame;
    return data;
}

StoredParts split_stored_article(std::string_view data) {
    if (data.empty()) throw Error("document data is not a Morgue article");
    if (data[0] == kFormatFrameOnly) return {{}, data.substr(1)};
    if (data[0] != schema::kDataFormat) throw Error("document data is not a Morgue article");
    std::size_t at = 1, n = 0;
    if (get_varint(data, at, n) != VarintRead::Ok || n > data.size() - at) throw Error("document data is truncated");
    return {data.substr(at, n), data.substr(at + n)};
}

std::string encode_stored_article(std::string_view json, ZstdCodec& codec, std::string_view sketch) {
    return join_stored_article(sketch, codec.compress(json));
}

Article decode_stored_article(std::string_view data, ZstdCodec& codec) {
    return article_from_json(codec.decompress(split_stored_article(data).frame));
}

Article decode_stored_article(std::string_view data, const Xapian::Database& db, DictionaryCache& dicts) {
    return article_from_json(dicts.decompress(db, split_stored_article(data).frame));
}

}  // namespace morgue
