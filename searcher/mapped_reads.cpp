/** @file mapped_reads.cpp
 *  @brief `open`, `close` and `pread` for the whole process: glass table files opened
 *         read-only inside a MappedReadsScope are read from memory maps (mapped_reads.h).
 */
// The fortified inline wrappers of open and pread would clash with the definitions below.
#undef _FORTIFY_SOURCE

#include "searcher/mapped_reads.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <csetjmp>
#include <csignal>
#include <cstdarg>
#include <cstring>
#include <string_view>

namespace morgue::searcher {
namespace {

struct Mapping {
    const char* base;
    std::size_t size;
};

/// Descriptors up to this are mapped (each slot a pointer: 512 KB of zeroes until used).
constexpr int kMaxFd = 1 << 16;
/// Smaller files are left to pread (a page or two: the mapping would not pay).
constexpr off_t kMinSize = 64 * 1024;

std::atomic<Mapping*> g_maps[kMaxFd];
std::atomic<int> g_scopes{0};
std::atomic<std::uint64_t> g_files{0};
std::atomic<std::uint64_t> g_mapped{0};
std::atomic<std::uint64_t> g_passed{0};
std::atomic<std::uint64_t> g_faults{0};

/// Where a copy out of a map returns to if the file shrank beneath it (SIGBUS); set only
/// during that copy, in the copying thread.
thread_local sigjmp_buf* t_copy_return = nullptr;
struct sigaction g_previous_bus {};

/// SIGBUS: during a copy out of a map, the file was cut shorter than the page being read
/// (someone truncated or overwrote it in place); the copy is abandoned and pread answers,
/// as it would have without the map (a short read, which Xapian reports as an error).
/// Any other SIGBUS goes to the handler there was before, or kills as by default.
void on_bus_error(int sig, siginfo_t* info, void* context) {
    if (sigjmp_buf* back = t_copy_return; back != nullptr) {
        t_copy_return = nullptr;
        siglongjmp(*back, 1);
    }
    if ((g_previous_bus.sa_flags & SA_SIGINFO) != 0 && g_previous_bus.sa_sigaction != nullptr) {
        g_previous_bus.sa_sigaction(sig, info, context);
    } else if (g_previous_bus.sa_handler == SIG_IGN) {
        return;
    } else if (g_previous_bus.sa_handler == SIG_DFL || g_previous_bus.sa_handler == nullptr) {
        signal(SIGBUS, SIG_DFL);
        raise(SIGBUS);
    } else {
        g_previous_bus.sa_handler(sig);
    }
}

/// Installs on_bus_error unless it is the handler already (another may have replaced it
/// since: a test framework restoring its own, say); the one it replaces is chained to.
void install_bus_handler() {
    struct sigaction current {};
    if (sigaction(SIGBUS, nullptr, &current) == 0 && (current.sa_flags & SA_SIGINFO) != 0 &&
        current.sa_sigaction == on_bus_error)
        return;
    struct sigaction sa {};
    sa.sa_sigaction = on_bus_error;
    // SA_NODEFER: the handler leaves by siglongjmp without restoring the signal mask, so
    // SIGBUS must not stay blocked after it.
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, &g_previous_bus);
}

using OpenFn = int (*)(const char*, int, ...);
using CloseFn = int (*)(int);
using PreadFn = ssize_t (*)(int, void*, std::size_t, off_t);

/// The next definition after this executable's: libc's own.
template <typename Fn>
Fn next_definition(const char* name) {
    return reinterpret_cast<Fn>(dlsym(RTLD_NEXT, name));
}

bool is_glass_table(const char* path) {
    if (path == nullptr) return false;
    const std::string_view p(path);
    return p.size() > 6 && p.substr(p.size() - 6) == ".glass";
}

void drop(int fd) {
    if (fd < 0 || fd >= kMaxFd || g_maps[fd].load(std::memory_order_relaxed) == nullptr) return;
    Mapping* m = g_maps[fd].exchange(nullptr);
    if (m == nullptr) return;
    munmap(const_cast<char*>(m->base), m->size);
    delete m;
}

void map_file(int fd) {
    struct stat st {};
    if (fd >= kMaxFd || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < kMinSize) return;
    const auto size = static_cast<std::size_t>(st.st_size);
    void* p = mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) return;  // pread as before
    drop(fd);                     // (a descriptor closed behind our back: not Xapian's way)
    g_maps[fd].store(new Mapping{static_cast<const char*>(p), size}, std::memory_order_release);
    g_files.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

MappedReadsScope::MappedReadsScope() {
    install_bus_handler();
    g_scopes.fetch_add(1);
}

MappedReadsScope::~MappedReadsScope() { g_scopes.fetch_sub(1); }

MappedReadCounts mapped_read_counts() { return {g_files.load(), g_mapped.load(), g_passed.load(), g_faults.load()}; }

}  // namespace morgue::searcher

namespace ms = morgue::searcher;

extern "C" int open(const char* path, int flags, ...) {
    mode_t mode = 0;
    if ((flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, mode_t);
        va_end(ap);
    }
    static const auto real = ms::next_definition<ms::OpenFn>("open");
    const int fd = real != nullptr ? real(path, flags, mode)
                                   : static_cast<int>(syscall(SYS_openat, AT_FDCWD, path, flags, mode));
    if (fd >= 0 && (flags & O_ACCMODE) == O_RDONLY && ms::g_scopes.load(std::memory_order_relaxed) > 0 &&
        ms::is_glass_table(path))
        ms::map_file(fd);
    return fd;
}

extern "C" int close(int fd) {
    ms::drop(fd);
    static const auto real = ms::next_definition<ms::CloseFn>("close");
    return real != nullptr ? real(fd) : static_cast<int>(syscall(SYS_close, fd));
}

extern "C" ssize_t pread(int fd, void* buf, std::size_t n, off_t offset) {
    if (fd >= 0 && fd < ms::kMaxFd && offset >= 0) {
        const ms::Mapping* m = ms::g_maps[fd].load(std::memory_order_acquire);
        const auto at = static_cast<std::size_t>(offset);
        if (m != nullptr && at <= m->size && n <= m->size - at) {
            sigjmp_buf back;
            if (sigsetjmp(back, 0) == 0) {
                ms::t_copy_return = &back;
                // (Fences: the compiler knows memcpy touches only its buffers and would
                // otherwise drop both stores around it.)
                std::atomic_signal_fence(std::memory_order_seq_cst);
                std::memcpy(buf, m->base + at, n);
                std::atomic_signal_fence(std::memory_order_seq_cst);
                ms::t_copy_return = nullptr;
                ms::g_mapped.fetch_add(1, std::memory_order_relaxed);
                return static_cast<ssize_t>(n);
            }
            // The file shrank beneath the map (on_bus_error): no more maps of it; pread answers.
            ms::g_faults.fetch_add(1, std::memory_order_relaxed);
            ms::drop(fd);
        }
    }
    ms::g_passed.fetch_add(1, std::memory_order_relaxed);
    static const auto real = ms::next_definition<ms::PreadFn>("pread");
    return real != nullptr ? real(fd, buf, n, offset) : static_cast<ssize_t>(syscall(SYS_pread64, fd, buf, n, offset));
}
