/** @file shard_set.cpp
 *  @brief Opening shards one by one, with per-shard errors and timeouts.
 */
#include "searcher/shard_set.h"

#include "common/error.h"
#include "common/schema.h"
#include "common/word_list.h"

#include <filesystem>
#include <fstream>
#include <iostream>

namespace morgue::searcher {

namespace {

namespace fs = std::filesystem;

bool is_single_file_glass(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    char magic[14] = {};
    return in.read(magic, sizeof magic) && std::string_view(magic, sizeof magic) == "\x0f\x0dXapian Glass";
}

std::vector<StubEntry> entries_for(const std::string& path) {
    std::error_code ec;
    if (!fs::exists(path, ec)) throw ArchiveError(path + ": no such archive");
    const fs::path p(path);
    if (fs::is_directory(p, ec)) {
        if (fs::exists(p / "iamglass", ec)) {
            StubEntry e;
            e.backend = "glass";
            e.path = path;
            e.resolved_path = fs::absolute(p).lexically_normal().string();
            return {e};
        }
        if (!fs::exists(p / "XAPIANDB", ec)) throw ArchiveError(path + ": not a Morgue archive (no XAPIANDB stub)");
        return read_stub(p / "XAPIANDB");
    }
    if (is_single_file_glass(p)) {
        StubEntry e;
        e.path = path;
        e.resolved_path = fs::absolute(p).string();
        return {e};
    }
    return read_stub(p);
}

std::string reason_of(const Xapian::Error& e, const OpenOptions& o) {
    if (std::string_view(e.get_type()) == "NetworkTimeoutError")
        return "timed out (no answer within " + std::to_string(o.timeout_ms) + " ms)";
    std::string r = e.get_msg();
    if (const char* s = e.get_error_string(); s && *s) r += std::string(r.empty() ? "" : ": ") + s;
    return r.empty() ? e.get_description() : r;
}

}  // namespace

ShardSet::ShardSet(const std::string& path, OpenOptions options) : m_path(path), m_options(options) {
    std::vector<StubEntry> entries = entries_for(path);
    if (m_options.days) {
        // A date-restricted query opens the shards that may hold those days (never `undated`),
        // or every shard if none does (the query then finds nothing, as it would anyway).
        std::vector<StubEntry> needed;
        for (const auto& e : entries) {
            if (e.remote()) {
                needed.push_back(e);
                continue;
            }
            if (shard_may_hold(std::filesystem::path(e.resolved_path).filename().string(), *m_options.days))
                needed.push_back(e);
        }
        if (!needed.empty()) entries = std::move(needed);
    }
    for (auto& e : entries) {
        m_remote = m_remote || e.remote();
        m_shards.push_back(ShardState{std::move(e), false, {}});
    }
    if (m_shards.empty()) throw ArchiveError(path + ": the archive is empty (index something with morgue-index add)");
    open_all();
    m_words = words::open_for(path);
}

bool ShardSet::open_one(ShardState& s, Xapian::Database& part) {
    const StubEntry& e = s.entry;
    try {
        switch (e.kind) {
            case StubEntry::Kind::Local:
                part = Xapian::Database(e.resolved_path, e.backend == "glass" ? Xapian::DB_BACKEND_GLASS : 0);
                break;
            case StubEntry::Kind::Tcp:
                part = Xapian::Remote::open(e.host, e.port, m_options.timeout_ms, m_options.connect_timeout_ms);
                break;
            case StubEntry::Kind::Program:
                part = Xapian::Remote::open(e.path, e.args, m_options.timeout_ms);
                break;
        }
        // A round trip: proves a remote shard answers, and that it is ours.
        const std::string version = part.get_metadata(std::string(schema::kSchemaVersionKey));
        if (!schema::readable_schema_version(version))
            throw ArchiveError("shard " + e.name() + ": schema version '" + version + "' is not one of the supported " +
                               std::to_string(schema::kOldestReadableSchemaVersion) + ".." +
                               std::to_string(schema::kSchemaVersion));
        s.answered = true;
        s.error.clear();
        return true;
    } catch (const Xapian::Error& x) {
        s.answered = false;
        s.error = reason_of(x, m_options);
        // Xapian::Error is not polymorphic in 1.4: its type name says what it is.
        const std::string_view type = x.get_type();
        const bool unreachable = type == "NetworkError" || type == "NetworkTimeoutError";
        if (e.remote() && unreachable && m_options.allow_partial) return false;
        std::string where = m_path;
        if (e.line > 0) where += ":" + std::to_string(e.line);
        throw ArchiveError(where + ": shard " + e.name() + (unreachable ? " did not answer: " : ": ") + s.error);
    }
}

void ShardSet::open_all() {
    Xapian::Database combined;
    std::vector<Xapian::Database> parts;
    std::vector<std::pair<Xapian::Database, std::string>> local;
    std::size_t answered = 0;
    for (auto& s : m_shards) {
        Xapian::Database part;
        if (!open_one(s, part)) continue;
        combined.add_database(part);
        parts.push_back(part);
        if (!s.entry.remote()) local.emplace_back(part, s.entry.resolved_path);
        ++answered;
    }
    if (answered == 0) {
        std::string list;
        for (const auto& m : missing()) list += (list.empty() ? "" : "; ") + m;
        throw ArchiveError(m_path + ": no shard answered: " + list);
    }
    try {
        if (combined.get_doccount() == 0)
            throw ArchiveError(m_path + ": the archive is empty (index something with morgue-index add)");
    } catch (const Xapian::Error& x) {
        throw ArchiveError(m_path + ": " + x.get_description());
    }
    m_db = combined;
    m_parts = std::move(parts);
    // Morgue's own posting lists, when every shard is local and has them for its revision.
    m_postings.reset();
    if (local.size() == m_shards.size()) {
        try {
            m_postings = PostingsSet::open(local);
        } catch (const Error& e) {
            std::cerr << "morgue: " << e.what() << "; searching without it\n";
        }
    }
}

std::vector<std::string> ShardSet::missing() const {
    std::vector<std::string> out;
    for (const auto& s : m_shards)
        if (!s.answered) out.push_back(s.entry.name() + ": " + s.error);
    return out;
}

bool ShardSet::recheck() {
    if (!m_remote) return false;
    const std::size_t before = missing().size();
    // Fresh connections: one broken mid-query may have left the others out of step.
    open_all();
    return missing().size() > before;
}

void ShardSet::run(const std::function<void(const Xapian::Database&)>& f) {
    try {
        f(m_db);
    } catch (const QueryError&) {
        throw;
    } catch (const Error&) {
        if (!recheck()) throw;
        f(m_db);
    } catch (const Xapian::Error&) {
        if (!recheck()) throw;
        f(m_db);
    }
}

}  // namespace morgue::searcher
