/** @file mapped_reads.h
 *  @brief Xapian's block reads served from memory maps instead of a system call each.
 *
 *  Xapian 1.4's glass backend reads every B-tree block with `pread`, and every
 *  posting list or document it opens walks from the root again: a Robust04 title
 *  at a million articles is hundreds of 8 KB reads. On a virtual machine where a
 *  system call is dear, those calls were a third of the search's time
 *  (`perf`: the kernel 26%, libc's pread 6%; docs/BENCHMARKS.md, session 11).
 *  Search engines that own their storage map their index files instead
 *  (Lucene's MMapDirectory is its default); Xapian 1.4 has no switch for it.
 *
 *  This file defines `open`, `close` and `pread` themselves, so that the dynamic
 *  linker binds libxapian's calls to them (as glass_compression does with zlib's
 *  deflate). While a MappedReadsScope is alive, a glass table file (`*.glass`)
 *  opened read-only is also mapped (PROT_READ, MAP_SHARED: the page cache itself,
 *  so a writer's later changes show exactly as pread would show them); a read that
 *  lies inside the mapping is a copy from it, anything else (beyond the size the
 *  file had when opened, which a writer may have grown it to since, or any other
 *  file) is the real pread. Closing the descriptor drops its mapping. Files opened
 *  for writing are never mapped, so the indexer is unaffected.
 *
 *  Who maps: long-lived processes that keep an archive open for many searches
 *  (`morgue-bench query`, a service built on the searcher library). Not
 *  `morgue-search`, which runs one search per process: there the first touch of
 *  each mapped page is a page fault, dearer than the pread it replaces (30 one-query
 *  processes at 1M: 43-44 ms each with pread, 50-51 ms mapped).
 *
 *  A mapped file cut shorter beneath its map (truncated or overwritten in place,
 *  as `cp` over it would) makes reading a page past its new end a SIGBUS, where
 *  pread would return short. Xapian's writers never truncate a table file, and
 *  Morgue's compaction swaps in new files (a new inode; the map keeps the old
 *  one), but an operator's `cp` might: so the copy out of a map runs under a
 *  SIGBUS handler that abandons it and lets pread answer, as without the map
 *  (Xapian then reports the short read as an error); any other SIGBUS goes to
 *  the handler installed before, or kills as by default. Only processes that
 *  never write turn maps on.
 */
#pragma once

#include <cstdint>

namespace morgue::searcher {

/// Maps read-only glass table files opened while the scope is alive (they stay mapped
/// until closed, also after the scope). Scopes nest; the outermost one ends it.
class MappedReadsScope {
  public:
    MappedReadsScope();
    ~MappedReadsScope();
    MappedReadsScope(const MappedReadsScope&) = delete;
    MappedReadsScope& operator=(const MappedReadsScope&) = delete;
};

struct MappedReadCounts {
    std::uint64_t files = 0;   ///< files mapped so far
    std::uint64_t mapped = 0;  ///< preads served from a mapping
    std::uint64_t passed = 0;  ///< preads handed to the system (outside any mapping)
    std::uint64_t faults = 0;  ///< copies cut short by SIGBUS (a mapped file truncated), then read by pread
};
/// What this process's mapped reads did so far.
[[nodiscard]] MappedReadCounts mapped_read_counts();

}  // namespace morgue::searcher
