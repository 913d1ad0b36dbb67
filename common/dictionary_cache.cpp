/** @file dictionary_cache.cpp
 *  @brief Dictionary lookup (metadata, then document) and a per-id codec cache.
 */
#include "common/dictionary_cache.h"

#include "common/error.h"
#include "common/schema.h"

namespace morgue {

std::string find_dictionary(const Xapian::Database& db, unsigned id) {
    try {
        std::string dict = db.get_metadata(std::string(schema::kDictMetadataPrefix) + std::to_string(id));
        if (!dict.empty()) return dict;
        const std::string term = std::string(schema::kPrefixDict) + std::to_string(id);
        for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
            std::string carried = db.get_document(*it).get_value(schema::kSlotDictionary);
            if (!carried.empty()) return carried;
        }
    } catch (const Xapian::Error& e) {
        throw ArchiveError("zstd dictionary " + std::to_string(id) + ": " + e.get_description());
    }
    return {};
}

std::map<unsigned, std::string> held_dictionaries(const Xapian::Database& db) {
    std::map<unsigned, std::string> out;
    try {
        const std::string carrier(schema::kPrefixDict);
        for (auto t = db.allterms_begin(carrier); t != db.allterms_end(carrier); ++t) {
            const unsigned id = static_cast<unsigned>(std::stoul((*t).substr(carrier.size())));
            out[id] = find_dictionary(db, id);
        }
        const std::string meta(schema::kDictMetadataPrefix);
        for (auto k = db.metadata_keys_begin(meta); k != db.metadata_keys_end(meta); ++k) {
            const unsigned id = static_cast<unsigned>(std::stoul((*k).substr(meta.size())));
            if (!out.count(id)) out[id] = db.get_metadata(*k);
        }
    } catch (const Xapian::Error& e) {
        throw ArchiveError("zstd dictionaries: " + e.get_description());
    }
    std::erase_if(out, [](const auto& kv) { return kv.second.empty(); });
    return out;
}

void DictionaryCache::add(unsigned id, std::string_view dictionary) {
    std::lock_guard lock(m_mutex);
    auto codec = std::make_unique<ZstdCodec>();
    codec->set_dictionary(dictionary);
    m_codecs[id] = std::move(codec);
}

ZstdCodec& DictionaryCache::codec_for(const Xapian::Database* db, unsigned id) {
    auto it = m_codecs.find(id);
    if (it != m_codecs.end()) return *it->second;
    auto codec = std::make_unique<ZstdCodec>();
    if (id != 0) {
        const std::string dict = db != nullptr ? find_dictionary(*db, id) : std::string();
        if (dict.empty()) throw ArchiveError("zstd dictionary " + std::to_string(id) + " is not in the archive");
        codec->set_dictionary(dict);
    }
    return *m_codecs.emplace(id, std::move(codec)).first->second;
}

std::string DictionaryCache::decompress(const Xapian::Database& db, std::string_view frame) {
    const unsigned id = ZstdCodec::frame_dictionary_id(frame);
    std::lock_guard lock(m_mutex);
    return codec_for(&db, id).decompress(frame);
}

}  // namespace morgue
