/** @file archive_layout.h
 *  @brief Where things live in an archive directory.
 *
 *  ARCHIVE/
 *    XAPIANDB        Xapian stub file listing every shard, so that
 *                    Xapian::Database("ARCHIVE"), quest and xapian-delve open the
 *                    whole archive as one database
 *    2021-01/ ...    one Xapian (glass) database per month of publication
 *    undated/        articles without a date
 *    .morgue/        everything else (lock, rejects); the dot keeps it apart from shards
 *      rejects.jsonl records that could not be indexed, with file, line, reason and raw bytes
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

    /// "2021-01" for a date in January 2021; "undated" for none.
    [[nodiscard]] static std::string shard_name_for(std::optional<UnixTime> date);
    static constexpr const char* kUndatedShard = "undated";

    /// Names of the shard databases present, sorted.
    [[nodiscard]] std::vector<std::string> list_shards() const;
    /// Rewrites the stub to list exactly these shards (atomically: write, then rename).
    void write_stub(const std::vector<std::string>& shards) const;

  private:
    std::filesystem::path m_dir;
};

}  // namespace morgue
