/** @file word_list_writer.h
 *  @brief Adds the spelling words of the articles written to the archive's word list
 *         (common/word_list.h), each word once for the whole archive.
 */
#pragma once

#include <xapian.h>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace morgue::indexer {

/// Opens the glass database at path for writing, creating it if need be. A database a
/// killed run was creating (files, but no version file: nothing was ever committed in it,
/// and Xapian will not open it) is started again. fresh: whether it was created now.
[[nodiscard]] Xapian::WritableDatabase open_writable_glass(const std::filesystem::path& path, bool sync, bool& fresh);

/// Kept by the one thread that writes the archive. Words are buffered between
/// checkpoints; commit() writes those the list does not have yet and commits the
/// list, and must run before the shards commit (so that every committed article's
/// words are in the list).
class WordListWriter {
  public:
    /// path: ArchiveLayout::words_db(); created at the first commit with words.
    explicit WordListWriter(std::filesystem::path path, bool sync = true);

    /// One article's words: (word, its Z term), as DocumentBuilder::take_spelling_words gives them.
    void add(const std::vector<std::pair<std::string, std::string>>& words);
    /// Writes the buffered words new to the list, then commits it. Throws ArchiveError naming the database.
    void commit();
    /// Words this writer added to the list so far.
    [[nodiscard]] std::size_t added() const noexcept { return m_added; }

  private:
    Xapian::WritableDatabase& db();

    std::filesystem::path m_path;
    bool m_sync;
    std::optional<Xapian::WritableDatabase> m_db;
    std::unordered_map<std::string, std::string> m_pending;  ///< word -> Z term, since the last commit
    std::unordered_set<std::string> m_known;                 ///< words the list is known to hold (bounded)
    std::size_t m_added = 0;
};

}  // namespace morgue::indexer
