/** @file archive_layout.h
 *  @brief Where things live in an archive directory.
 *
 *  ARCHIVE/
 *    XAPIANDB        Xapian stub file listing every shard, so that
 *                    Xapian::Database("ARCHIVE"), quest and xapian-delve open the
 *                    whole archive as one database
 *    2021-01/ ...    one Xapian (glass) database per month of publication
 *    undated/        articles without a date
 *    1987/ ...       a year of closed months merged by `morgue-index compact`
 *                    (a later merge of the same year is `1987.2`, `1987.3`, ...)
 *    .morgue/        everything else; the dot keeps it apart from shards
 *      rejects.jsonl records that could not be indexed, with file, line, reason and raw bytes
 *      write.lock    flock()ed by the one writer (add, compact); holds its pid, host, start time
 *      run.json      the current add run: number, inputs, finished or not (resumes a killed run)
 *      dict/         the trained zstd dictionaries (the writer's copy; readers use the shards')
 *      words/        the spelling words of every article, once each: a Xapian database
 *                    the searcher reads for "did you mean" (common/word_list.h)
 *      tmp/ trash/   compaction work space, and shards swapped out on their way to deletion
 *                    (left only when one could not be deleted; the next compact empties both)
 *
 *  The stub is the list of live shards: a shard directory not named in it (left
 *  by a crashed compact) is not part of the archive.
 */
#pragma once

#include "common/date.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace morgue {

class ArchiveLayout {
  public:
    explicit ArchiveLayout(std::filesystem::path dir) : m_dir(std::move(dir)) {}

    [[nodiscard]] const std::filesystem::path& dir() const noexcept { return m_dir; }
    [[nodiscard]] std::filesystem::path stub() const { return m_dir / "XAPIANDB"; }
    [[nodiscard]] std::filesystem::path state_dir() const { return m_dir / ".morgue"; }
    [[nodiscard]] std::filesystem::path rejects_file() const { return state_dir() / "rejects.jsonl"; }
    [[nodiscard]] std::filesystem::path lock_file() const { return state_dir() / "write.lock"; }
    [[nodiscard]] std::filesystem::path shard_path(const std::string& name) const { return m_dir / name; }
    [[nodiscard]] std::filesystem::path run_file() const { return state_dir() / "run.json"; }
    [[nodiscard]] std::filesystem::path dict_dir() const { return state_dir() / "dict"; }
    [[nodiscard]] std::filesystem::path words_db() const { return state_dir() / "words"; }
    [[nodiscard]] std::filesystem::path tmp_dir() const { return state_dir() / "tmp"; }
    [[nodiscard]] std::filesystem::path trash_dir() const { return state_dir() / "trash"; }

    /// "2021-01" for a date in January 2021; "undated" for none.
    [[nodiscard]] static std::string shard_name_for(std::optional<UnixTime> date);
    static constexpr const char* kUndatedShard = "undated";

    /// Names of the shard databases present, sorted.
    [[nodiscard]] std::vector<std::string> list_shards() const;
    /// Shard names listed in the stub, in its order (empty if there is no stub).
    [[nodiscard]] std::vector<std::string> read_stub() const;
    /// Rewrites the stub to list exactly these shards (atomically: write, then rename).
    void write_stub(const std::vector<std::string>& shards) const;

  private:
    std::filesystem::path m_dir;
};

}  // namespace morgue
