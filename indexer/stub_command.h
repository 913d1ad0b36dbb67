/** @file stub_command.h
 *  @brief `morgue-index stub`: writes the stub file that joins local and remote shards.
 */
#pragma once

#include "common/stub_file.h"

#include <filesystem>
#include <string>
#include <vector>

namespace morgue::indexer {

struct StubOptions {
    std::filesystem::path out;
    /// Shard folders, archive folders (every shard of theirs) or folders of
    /// shards (a replica root: glass shards and replicated stub folders).
    std::vector<std::string> local;
    std::vector<std::string> remote;  ///< HOST:PORT of xapian-tcpsrv
};

/// The entries the stub will list, in order: local ones, then remote ones.
/// Local paths are written relative to the stub's folder when inside it.
/// Throws UsageError/ArchiveError naming the bad argument.
[[nodiscard]] std::vector<StubEntry> stub_entries(const StubOptions& options);

/// Writes the stub; refuses an archive's own XAPIANDB, which `add` rewrites.
/// Returns the entries written.
std::vector<StubEntry> run_stub(const StubOptions& options);

}  // namespace morgue::indexer
