/** @file write_lock.h
 *  @brief The archive's one-writer lock: flock() on ARCHIVE/.morgue/write.lock.
 *
 *  Taken by `add` (before any input is read) and `compact`; the file holds the
 *  holder's pid, host, command and start time so that a second writer can say
 *  who is running. The kernel drops the lock when the holder dies (kill -9
 *  included), so a stale file never blocks anyone. Readers never take it.
 */
#pragma once

#include "common/archive_layout.h"

#include <functional>
#include <string>

namespace morgue::indexer {

class WriteLock {
  public:
    /// Takes the lock. If another process holds it: throws ArchiveError naming
    /// that process, or, with wait, calls on_wait(holder) once and blocks.
    WriteLock(const ArchiveLayout& layout, const std::string& command, bool wait,
              const std::function<void(const std::string&)>& on_wait = {});
    ~WriteLock();
    WriteLock(const WriteLock&) = delete;
    WriteLock& operator=(const WriteLock&) = delete;

  private:
    int m_fd = -1;
};

}  // namespace morgue::indexer
