/** @file write_lock.cpp
 *  @brief flock() with holder details written into the lock file.
 */
#include "indexer/write_lock.h"

#include "common/date.h"
#include "common/error.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace morgue::indexer {

namespace {

std::string read_holder(int fd) {
    std::string text(512, '\0');
    const ssize_t n = ::pread(fd, text.data(), text.size(), 0);
    text.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\0')) text.pop_back();
    return text.empty() ? "another process (details not yet written)" : text;
}

}  // namespace

WriteLock::WriteLock(const ArchiveLayout& layout, const std::string& command, bool wait,
                     const std::function<void(const std::string&)>& on_wait) {
    std::error_code ec;
    std::filesystem::create_directories(layout.state_dir(), ec);
    if (ec) throw ArchiveError(layout.state_dir().string() + ": cannot create: " + ec.message());
    const std::string path = layout.lock_file().string();
    m_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (m_fd < 0) throw ArchiveError(path + ": cannot open the write lock: " + std::strerror(errno));
    if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        if (err != EWOULDBLOCK) {
            ::close(m_fd);
            throw ArchiveError(path + ": cannot lock: " + std::strerror(err));
        }
        const std::string holder = read_holder(m_fd);
        if (!wait) {
            ::close(m_fd);
            throw ArchiveError(layout.dir().string() + ": another writer is running (" + holder +
                               "); try again later, or use --wait");
        }
        if (on_wait) on_wait(holder);
        int rc = 0;
        while ((rc = ::flock(m_fd, LOCK_EX)) != 0 && errno == EINTR) {
        }
        if (rc != 0) {
            ::close(m_fd);
            throw ArchiveError(path + ": cannot lock: " + std::strerror(errno));
        }
    }
    char host[256] = "?";
    ::gethostname(host, sizeof host - 1);
    const std::string info = "pid " + std::to_string(::getpid()) + " on " + host + ", " + command + ", started " +
                             format_iso8601(static_cast<UnixTime>(std::time(nullptr))) + "\n";
    if (::ftruncate(m_fd, 0) != 0 || ::pwrite(m_fd, info.data(), info.size(), 0) != static_cast<ssize_t>(info.size())) {
        // The lock is held all the same; only the courtesy note is missing.
    }
}

WriteLock::~WriteLock() {
    if (m_fd >= 0) {
        if (::ftruncate(m_fd, 0) != 0) {
            // Nothing to do: the next holder rewrites it.
        }
        ::flock(m_fd, LOCK_UN);
        ::close(m_fd);
    }
}

}  // namespace morgue::indexer
