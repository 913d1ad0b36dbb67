/** @file archive_reader.cpp
 *  @brief open_archive: Xapian does the stub parsing; we check what we find.
 */
#include "searcher/archive_reader.h"

#include "common/error.h"
#include "common/schema.h"

#include <filesystem>

namespace morgue::searcher {

Xapian::Database open_archive(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::exists(path, ec)) throw ArchiveError(path + ": no such archive");
    if (fs::is_directory(path, ec) && !fs::exists(fs::path(path) / "XAPIANDB", ec) &&
        !fs::exists(fs::path(path) / "iamglass", ec))
        throw ArchiveError(path + ": not a Morgue archive (no XAPIANDB stub)");
    Xapian::Database db;
    try {
        db = Xapian::Database(path);
    } catch (const Xapian::Error& e) {
        throw ArchiveError(path + ": " + e.get_description());
    }
    if (db.size() == 0) throw ArchiveError(path + ": the archive is empty (index something with morgue-index add)");
    const std::string version = db.get_metadata(std::string(schema::kSchemaVersionKey));
    if (version != std::to_string(schema::kSchemaVersion))
        throw ArchiveError(path + ": archive schema version '" + version + "' is not the supported " +
                           std::to_string(schema::kSchemaVersion));
    return db;
}

}  // namespace morgue::searcher
