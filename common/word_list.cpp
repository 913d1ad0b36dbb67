/** @file word_list.cpp
 *  @brief Opening an archive's word list (common/word_list.h).
 */
#include "common/word_list.h"

#include "common/archive_layout.h"
#include "common/error.h"

#include <filesystem>
#include <system_error>

namespace morgue::words {

std::string key(std::string_view word) {
    std::string k(kKeyPrefix);
    k += word;
    return k;
}

std::optional<Xapian::Database> open_for(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_directory(path, ec)) return std::nullopt;
    const ArchiveLayout layout(path);
    const auto db = layout.words_db();
    if (!std::filesystem::exists(db / "iamglass", ec)) return std::nullopt;
    try {
        return Xapian::Database(db.string(), Xapian::DB_BACKEND_GLASS);
    } catch (const Xapian::Error& e) {
        throw ArchiveError(db.string() + ": " + e.get_description());
    }
}

}  // namespace morgue::words
