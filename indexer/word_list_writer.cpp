/** @file word_list_writer.cpp
 *  @brief WordListWriter: the archive's word list, written at checkpoints.
 */
#include "indexer/word_list_writer.h"

#include "common/error.h"
#include "common/word_list.h"

#include <algorithm>

namespace morgue::indexer {

namespace {
/// Words remembered as already in the list; past this the memory is given back and
/// words are looked up in the list again (one B-tree read each).
constexpr std::size_t k_max_known = 1u << 18;
}  // namespace

WordListWriter::WordListWriter(std::filesystem::path path, bool sync) : m_path(std::move(path)), m_sync(sync) {}

void WordListWriter::add(const std::vector<std::pair<std::string, std::string>>& words) {
    for (const auto& [word, term] : words) {
        if (m_known.count(word) != 0) continue;
        m_pending.try_emplace(word, term);
    }
}

Xapian::WritableDatabase open_writable_glass(const std::filesystem::path& path, bool sync, bool& fresh) {
    fresh = !std::filesystem::exists(path / "iamglass");
    if (fresh && std::filesystem::exists(path)) std::filesystem::remove_all(path);
    return Xapian::WritableDatabase(path.string(),
                                    Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS | (sync ? 0 : Xapian::DB_NO_SYNC));
}

Xapian::WritableDatabase& WordListWriter::db() {
    if (m_db) return *m_db;
    std::filesystem::create_directories(m_path.parent_path());
    bool fresh = false;
    m_db.emplace(open_writable_glass(m_path, m_sync, fresh));
    if (m_db->get_metadata(std::string(words::kVersionKey)).empty())
        m_db->set_metadata(std::string(words::kVersionKey), std::string(words::kVersion));
    return *m_db;
}

void WordListWriter::commit() {
    if (m_pending.empty()) return;
    try {
        auto& list = db();
        std::vector<std::pair<std::string, std::string>> fresh(m_pending.begin(), m_pending.end());
        std::sort(fresh.begin(), fresh.end());  // B-tree order: neighbouring keys share blocks
        for (const auto& [word, term] : fresh) {
            const std::string key = words::key(word);
            if (!list.get_metadata(key).empty()) continue;
            list.set_metadata(key, term);
            ++m_added;
        }
        list.commit();
        if (m_known.size() + fresh.size() > k_max_known) m_known.clear();
        for (auto& [word, term] : fresh) m_known.insert(std::move(word));
        m_pending.clear();
    } catch (const Xapian::Error& e) {
        throw ArchiveError(m_path.string() + ": " + e.get_description());
    }
}

}  // namespace morgue::indexer
