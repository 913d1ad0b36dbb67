/** @file stub_command.cpp
 *  @brief Expanding --local folders into shard lines; writing the joining stub.
 */
#include "indexer/stub_command.h"

#include "common/archive_layout.h"
#include "common/error.h"

#include <algorithm>

namespace morgue::indexer {

namespace {

namespace fs = std::filesystem;

bool is_glass(const fs::path& p) { return fs::exists(p / "iamglass"); }
bool is_archive(const fs::path& p) { return fs::exists(p / "XAPIANDB") && fs::is_directory(p / ".morgue"); }
/// A Xapian stub folder such as a replica made by xapian-replicate.
bool is_stub_dir(const fs::path& p) { return fs::is_regular_file(p / "XAPIANDB"); }

StubEntry local_entry(const fs::path& shard, const std::string& backend, const fs::path& stub_dir) {
    StubEntry e;
    e.backend = backend;
    const fs::path abs = fs::absolute(shard).lexically_normal();
    const fs::path rel = abs.lexically_relative(stub_dir);
    const bool inside = !rel.empty() && *rel.begin() != "..";
    e.path = (inside ? rel : abs).generic_string();
    while (e.path.size() > 1 && e.path.back() == '/') e.path.pop_back();
    e.resolved_path = abs.string();
    return e;
}

void expand_local(const std::string& arg, const fs::path& stub_dir, std::vector<StubEntry>& out) {
    const fs::path p(arg);
    std::error_code ec;
    if (!fs::is_directory(p, ec)) throw ArchiveError(arg + ": not a shard, archive or replica folder");
    if (is_glass(p)) {
        out.push_back(local_entry(p, "glass", stub_dir));
    } else if (is_archive(p)) {
        // The archive's own stub says which shards it has.
        for (const auto& e : read_stub(p / "XAPIANDB")) {
            if (e.remote()) throw ArchiveError((p / "XAPIANDB").string() + ":" + std::to_string(e.line) +
                                               ": an archive stub should list local shards only");
            out.push_back(local_entry(e.resolved_path, e.backend, stub_dir));
        }
    } else if (is_stub_dir(p)) {
        out.push_back(local_entry(p, "auto", stub_dir));
    } else {
        std::vector<fs::path> shards;
        for (const auto& d : fs::directory_iterator(p, ec))
            if (d.is_directory() && d.path().filename().string()[0] != '.' && (is_glass(d.path()) || is_stub_dir(d.path())))
                shards.push_back(d.path());
        if (shards.empty()) throw ArchiveError(arg + ": no shards in this folder");
        std::sort(shards.begin(), shards.end());
        for (const auto& s : shards) out.push_back(local_entry(s, is_glass(s) ? "glass" : "auto", stub_dir));
    }
}

}  // namespace

std::vector<StubEntry> stub_entries(const StubOptions& options) {
    if (options.local.empty() && options.remote.empty())
        throw UsageError("stub: give at least one --local FOLDER or --remote HOST:PORT");
    const fs::path stub_dir = fs::absolute(options.out).lexically_normal().parent_path();
    std::vector<StubEntry> out;
    for (const auto& l : options.local) expand_local(l, stub_dir, out);
    for (const auto& r : options.remote) out.push_back(parse_remote_address(r));
    return out;
}

std::vector<StubEntry> run_stub(const StubOptions& options) {
    const fs::path out = fs::absolute(options.out).lexically_normal();
    if (out.filename() == "XAPIANDB" && fs::is_directory(out.parent_path() / ".morgue"))
        throw UsageError(options.out.string() + ": is an archive's own stub, which morgue-index add rewrites; "
                         "write the joining stub elsewhere");
    auto entries = stub_entries(options);
    write_stub_file(out, entries, "Morgue stub written by morgue-index stub: local and remote shards (Xapian stub syntax).");
    return entries;
}

}  // namespace morgue::indexer
