/** @file index_bench.cpp
 *  @brief fork/exec/wait4 around morgue-index, then the archive's sizes against the raw text it holds.
 */
#include "benchmarks/index_bench.h"

#include "common/archive_layout.h"
#include "common/error.h"
#include "indexer/stats.h"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <sstream>

namespace morgue::bench {

namespace {

double seconds(const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}

double ratio(std::uint64_t a, std::uint64_t b) {
    return b > 0 ? static_cast<double>(a) / static_cast<double>(b) : 0.0;
}

/// The last line of out that parses as a JSON object, or null.
nlohmann::json last_json_line(const std::string& out) {
    std::istringstream in(out);
    nlohmann::json found;
    for (std::string line; std::getline(in, line);) {
        auto j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_object()) found = std::move(j);
    }
    return found;
}

}  // namespace

ChildRun run_child(const std::vector<std::string>& argv, bool discard_stderr) {
    if (argv.empty()) throw Error("run_child: no command");
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) throw Error(std::string("pipe: ") + std::strerror(errno));
    std::vector<char*> cargv;
    for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
    cargv.push_back(nullptr);
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid < 0) throw Error(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
        dup2(pipe_fds[1], STDOUT_FILENO);
        if (discard_stderr) {
            const int null_fd = open("/dev/null", O_WRONLY);
            if (null_fd >= 0) dup2(null_fd, STDERR_FILENO);
        }
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        execvp(cargv[0], cargv.data());
        const std::string msg = "morgue-bench: cannot run " + argv[0] + ": " + std::strerror(errno) + "\n";
        (void)!write(STDERR_FILENO, msg.data(), msg.size());
        _exit(127);
    }
    close(pipe_fds[1]);
    ChildRun run;
    char buf[65536];
    for (ssize_t n; (n = read(pipe_fds[0], buf, sizeof buf)) != 0;) {
        if (n < 0) {
            if (errno == EINTR) continue;
            break;
        }
        run.out.append(buf, static_cast<std::size_t>(n));
    }
    close(pipe_fds[0]);
    int status = 0;
    rusage usage{};
    while (wait4(pid, &status, 0, &usage) < 0) {
        if (errno != EINTR) throw Error(std::string("wait4: ") + std::strerror(errno));
    }
    run.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (WIFSIGNALED(status)) throw Error(argv[0] + " was killed by signal " + std::to_string(WTERMSIG(status)));
    run.exit_status = WEXITSTATUS(status);
    if (run.exit_status == 127) throw Error("cannot run " + argv[0]);
    run.user_seconds = seconds(usage.ru_utime);
    run.system_seconds = seconds(usage.ru_stime);
    run.peak_rss_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux reports kilobytes
    return run;
}

std::string default_indexer() {
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const auto sibling = self.parent_path() / "morgue-index";
        if (std::filesystem::exists(sibling, ec)) return sibling.string();
    }
    return "morgue-index";
}

IndexBenchReport run_index_bench(const IndexBenchOptions& options) {
    if (options.archive.empty()) throw UsageError("index: --archive is required");
    if (options.add_args.empty()) throw UsageError("index: no input paths given");
    if (!ArchiveLayout(options.archive).list_shards().empty())
        throw UsageError(options.archive + ": the archive already holds shards; index measures a fresh build, "
                         "give a new directory");
    IndexBenchReport r;
    r.options = options;
    std::vector<std::string> argv{options.indexer, "add", "--archive", options.archive, "--json", "--quiet"};
    argv.insert(argv.end(), options.add_args.begin(), options.add_args.end());
    r.add = run_child(argv);
    if (r.add.exit_status != 0 && r.add.exit_status != 3)  // 3: finished, some records rejected
        throw Error("morgue-index add exited with status " + std::to_string(r.add.exit_status));
    r.store = measure_store(options.archive);
    const nlohmann::json summary = last_json_line(r.add.out);
    r.read = summary.contains("read") ? summary["read"].get<std::uint64_t>() : r.store.articles;
    r.archive_bytes = indexer::archive_stats(options.archive).bytes;

    if (options.compact) {
        // An indexer without the command exits with a usage error (2) for `compact --help`.
        const ChildRun help = run_child({options.indexer, "compact", "--help"}, true);
        if (help.exit_status == 0) {
            r.compact = run_child({options.indexer, "compact", "--archive", options.archive});
            if (r.compact.exit_status != 0)
                throw Error("morgue-index compact exited with status " + std::to_string(r.compact.exit_status));
            r.compacted = true;
            r.compacted_bytes = indexer::archive_stats(options.archive).bytes;
            r.compacted_store = measure_store(options.archive);
        }
    }
    return r;
}

std::string index_report_json(const IndexBenchReport& r) {
    const double wall = r.add.wall_seconds;
    const double raw_mb = static_cast<double>(r.store.raw_text_bytes) / 1e6;
    nlohmann::json j{
        {"archive", r.options.archive},
        {"read", r.read},
        {"articles", r.store.articles},
        {"seconds", wall},
        {"cpu_seconds", r.add.user_seconds + r.add.system_seconds},
        {"articles_per_s", wall > 0 ? static_cast<double>(r.read) / wall : 0.0},
        {"mb_per_s", wall > 0 ? raw_mb / wall : 0.0},
        {"peak_rss_mb", r.add.peak_rss_mb},
        {"raw_text_bytes", r.store.raw_text_bytes},
        {"store_bytes", r.store.store_bytes},
        {"archive_bytes", r.archive_bytes},
        {"store_ratio", ratio(r.store.store_bytes, r.store.raw_text_bytes)},
        {"sketch_bytes", r.store.sketch_bytes},
        {"sketch_ratio", ratio(r.store.sketch_bytes, r.store.raw_text_bytes)},
        {"dictionary_bytes", r.store.dictionary_bytes},
        {"archive_ratio", ratio(r.archive_bytes, r.store.raw_text_bytes)},
        {"compacted", r.compacted},
        {"add_exit_status", r.add.exit_status},
    };
    if (r.compacted) {
        j["compact_seconds"] = r.compact.wall_seconds;
        j["compact_peak_rss_mb"] = r.compact.peak_rss_mb;
        j["compacted_bytes"] = r.compacted_bytes;
        j["compacted_ratio"] = ratio(r.compacted_bytes, r.store.raw_text_bytes);
        j["compacted_store_bytes"] = r.compacted_store.store_bytes;
        j["compacted_store_ratio"] = ratio(r.compacted_store.store_bytes, r.compacted_store.raw_text_bytes);
        j["compacted_dictionary_bytes"] = r.compacted_store.dictionary_bytes;
    }
    return j.dump();
}

std::string index_report_text(const IndexBenchReport& r) {
    const double wall = r.add.wall_seconds;
    const double raw_mb = static_cast<double>(r.store.raw_text_bytes) / 1e6;
    char buf[1024];
    std::snprintf(buf, sizeof buf,
                  "indexed %llu articles (%.1f MB of title+body) in %.2f s: %.0f articles/s, %.2f MB/s, "
                  "%.2f CPU s (%.2f cores), peak memory %.0f MB\n"
                  "archive %.1f MB = %.2fx the raw text; store %.1f MB = %.3fx; word sketches %.1f MB = %.3fx\n",
                  static_cast<unsigned long long>(r.read), raw_mb, wall,
                  wall > 0 ? static_cast<double>(r.read) / wall : 0.0, wall > 0 ? raw_mb / wall : 0.0,
                  r.add.user_seconds + r.add.system_seconds,
                  wall > 0 ? (r.add.user_seconds + r.add.system_seconds) / wall : 0.0, r.add.peak_rss_mb,
                  static_cast<double>(r.archive_bytes) / 1e6, ratio(r.archive_bytes, r.store.raw_text_bytes),
                  static_cast<double>(r.store.store_bytes) / 1e6, ratio(r.store.store_bytes, r.store.raw_text_bytes),
                  static_cast<double>(r.store.sketch_bytes) / 1e6, ratio(r.store.sketch_bytes, r.store.raw_text_bytes));
    std::string out = buf;
    if (r.compacted) {
        std::snprintf(buf, sizeof buf,
                      "compacted in %.2f s: archive %.1f MB = %.2fx the raw text; store %.1f MB = %.3fx\n",
                      r.compact.wall_seconds, static_cast<double>(r.compacted_bytes) / 1e6,
                      ratio(r.compacted_bytes, r.store.raw_text_bytes),
                      static_cast<double>(r.compacted_store.store_bytes) / 1e6,
                      ratio(r.compacted_store.store_bytes, r.compacted_store.raw_text_bytes));
        out += buf;
    } else if (r.options.compact) {
        out += "not compacted: this morgue-index has no compact command\n";
    }
    return out;
}

}  // namespace morgue::bench
