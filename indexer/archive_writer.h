/** @file archive_writer.h
 *  @brief Writes articles into an archive's monthly shards and keeps the stub current.
 */
#pragma once

#include "common/archive_layout.h"
#include "common/article.h"
#include "indexer/document_builder.h"

#include <xapian.h>

#include <cstddef>
#include <map>
#include <memory>
#include <string>

namespace morgue::indexer {

enum class AddOutcome { Added, Replaced, Unchanged };

struct WriterOptions {
    std::size_t commit_every = 2000;  ///< documents per shard between commits
    int zstd_level = 3;
    bool spelling = true;  ///< fill the spelling table ("did you mean")
};

/// Routes each article to the shard of its month, creating shards (and listing
/// them in the stub) as needed. Not thread-safe. Call commit() to make the
/// work durable; the destructor commits too but cannot report failure.
class ArchiveWriter {
  public:
    ArchiveWriter(const std::filesystem::path& archive_dir, WriterOptions options = {});
    ~ArchiveWriter();
    ArchiveWriter(const ArchiveWriter&) = delete;
    ArchiveWriter& operator=(const ArchiveWriter&) = delete;

    /// Indexes one article; an article whose id is already in its shard is
    /// replaced, or left alone when its stored content is identical.
    AddOutcome add(const Article& article);
    /// Commits every open shard.
    void commit();

    [[nodiscard]] const ArchiveLayout& layout() const noexcept { return m_layout; }

  private:
    Xapian::WritableDatabase& shard(const std::string& name);

    ArchiveLayout m_layout;
    WriterOptions m_options;
    DocumentBuilder m_builder;
    std::map<std::string, Xapian::WritableDatabase> m_shards;
    std::map<std::string, std::size_t> m_pending;
};

}  // namespace morgue::indexer
