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
    std::filesystem::path dir(path);
    // An archive's own stub (ARCHIVE/XAPIANDB) names the archive too.
    if (std::filesystem::is_regular_file(dir, ec) && dir.filename() == ArchiveLayout(dir.parent_path()).stub().filename())
        dir = dir.parent_path();
    if (!std::filesystem::is_directory(dir, ec)) return std::nullopt;
    const ArchiveLayout layout(dir);
    const auto db = layout.words_db();
    if (!std::filesystem::exists(db / "iamglass", ec)) return std::nullopt;
    try {
        return Xapian::Database(db.string(), Xapian::DB_BACKEND_GLASS);
    } catch (const Xapian::Error& e) {
        throw ArchiveError(db.string() + ": " + e.get_description());
    }
}

}  // namespace morgue::words
