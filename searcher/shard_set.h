/** @file shard_set.h
 *  @brief An archive opened shard by shard: local databases and remote ones
 *         (xapian-tcpsrv), each checked, combined with Database::add_database.
 *
 *  Xapian opens a stub file as one database and fails as a whole when one
 *  remote shard does not answer, without saying which. We read the stub
 *  ourselves (common/stub_file.h), open every shard on its own (remote ones
 *  with our timeouts: Xapian's stub syntax has none), check each one's schema
 *  version, and combine those that answered. A shard that does not answer is a
 *  one-line error naming it, or, with allow_partial, is left out and reported.
 *
 *  Results are the same as over the same shards opened locally: Xapian's
 *  remote protocol gathers the collection statistics of every shard before
 *  weighting, and ties on score are broken by a sort key (time, then id) in a
 *  value slot, never by document number, which depends on how shards are grouped.
 */
#pragma once

#include "common/shard_select.h"
#include "common/stub_file.h"
#include "searcher/fast_tiers.h"

#include <xapian.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace morgue::searcher {

struct OpenOptions {
    bool allow_partial = false;        ///< leave out remote shards that do not answer
    unsigned timeout_ms = 10000;       ///< any one remote operation (Xapian::Remote::open's timeout)
    unsigned connect_timeout_ms = 5000;
    /// Open only the shards whose names say they may hold these days (shard_select.h);
    /// shards of other names (remote ones) are always opened. Only for what does not
    /// depend on collection statistics (counts, date order): BM25 over fewer shards
    /// weighs words differently.
    std::optional<DayRange> days;
};

struct ShardState {
    StubEntry entry;
    bool answered = false;
    std::string error;  ///< why it did not answer (one line)
};

class ShardSet {
  public:
    /// Opens an archive directory (its XAPIANDB stub), a stub file or one
    /// shard. Throws ArchiveError naming the path or the shard.
    ShardSet(const std::string& path, OpenOptions options = {});

    [[nodiscard]] const Xapian::Database& db() const noexcept { return m_db; }
    [[nodiscard]] const std::string& path() const noexcept { return m_path; }
    /// True when any shard is reached through the remote backend: features
    /// that need classes a stock xapian-tcpsrv lacks must say so.
    [[nodiscard]] bool is_remote() const noexcept { return m_remote; }
    /// The archive's word list (common/word_list.h) when path is an archive directory
    /// that has one, else null: SearchRequest::words.
    [[nodiscard]] const Xapian::Database* words() const noexcept { return m_words ? &*m_words : nullptr; }
    /// The shards db() combines, each on its own, when there are several and all are local
    /// (SearchRequest::shards: counts shard by shard); else null.
    [[nodiscard]] const std::vector<Xapian::Database>* local_shards() const noexcept {
        return m_remote || m_parts.size() < 2 ? nullptr : &m_parts;
    }
    [[nodiscard]] const std::vector<ShardState>& shards() const noexcept { return m_shards; }
    /// Morgue's posting lists for the fast tiers (fast_tiers.h; SearchRequest::postings): set
    /// when every shard is local and has a postings file for its current revision.
    [[nodiscard]] const std::shared_ptr<const PostingsSet>& postings() const noexcept { return m_postings; }
    /// "host:port: reason" for each shard left out (allow_partial only).
    [[nodiscard]] std::vector<std::string> missing() const;

    /// After a query failed: reconnects every remote shard. Returns true if one
    /// stopped answering and was left out (allow_partial), so the query may be
    /// run again; throws ArchiveError naming it otherwise; false if all answer.
    bool recheck();

    /// Runs f over db(); if it fails on a remote archive because a shard
    /// stopped answering, runs it once more without that shard (allow_partial)
    /// or throws ArchiveError naming the shard.
    void run(const std::function<void(const Xapian::Database&)>& f);

  private:
    void open_all();
    bool open_one(ShardState& s, Xapian::Database& part);

    std::string m_path;
    OpenOptions m_options;
    std::vector<ShardState> m_shards;
    Xapian::Database m_db;
    std::vector<Xapian::Database> m_parts;  ///< the shards that answered, as combined into m_db
    std::optional<Xapian::Database> m_words;
    bool m_remote = false;
    std::shared_ptr<const PostingsSet> m_postings;
};

}  // namespace morgue::searcher
