/** @file archive_writer.h
 *  @brief Writes prepared articles into an archive's shards, in input order, and keeps the stub current.
 *
 *  The nightly pipeline (add_command.cpp) splits indexing in two:
 *  - worker threads turn each Article into a PreparedArticle: its target shard,
 *    content hash, where its id already lives (looked up in an ArchiveSnapshot,
 *    the archive as committed when the run started), the earliest near-duplicate
 *    the snapshot holds, and the built Xapian::Document (not built at all when the
 *    snapshot shows the same id with the same hash in the same shard);
 *  - one ArchiveWriter applies them strictly in input order, so that a run is
 *    deterministic: it checks the ids and fingerprints written earlier in this
 *    run (not yet in the snapshot), settles the cluster key, deletes an id from
 *    any other shard (an article whose date moved), and commits every shard at
 *    common checkpoints.
 */
#pragma once

#include "common/archive_layout.h"
#include "common/article.h"
#include "indexer/document_builder.h"
#include "indexer/simhash.h"
#include "indexer/word_list_writer.h"

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace morgue::indexer {

enum class AddOutcome { Added, Replaced, Unchanged };

/// The shard an article dated `date` belongs in, given the live shards: a
/// compacted year shard (`1987`, `1987.2`) if one covers its month, else the month.
[[nodiscard]] std::string route_shard(const std::optional<UnixTime>& date, const std::vector<std::string>& live_shards);

/// The ORDER value (schema slot 6) of article `seq` of add-run `run`.
[[nodiscard]] std::string order_value(std::uint32_t run, std::uint64_t seq);

/// The earliest-indexed near-duplicate found for an article.
struct DuplicateMatch {
    std::string order;        ///< its ORDER value
    std::string cluster_key;  ///< its cluster key (to adopt)
};

/// A read-only view of the archive as committed when the run started. One per thread.
class ArchiveSnapshot {
  public:
    explicit ArchiveSnapshot(const ArchiveLayout& layout);

    [[nodiscard]] const std::vector<std::string>& shard_names() const noexcept { return m_names; }
    [[nodiscard]] bool empty() const noexcept { return m_names.empty(); }

    struct Location {
        std::vector<std::string> shards;     ///< every shard holding the id (normally 0 or 1)
        std::vector<Xapian::docid> docids;   ///< their docids in the combined snapshot
        std::string hash;                    ///< the content hash of the first
    };
    /// Where id_term lives; the target shard is looked up first (the common case).
    [[nodiscard]] Location find(const std::string& id_term, const std::string& target);

    /// The earliest-indexed article near fp whose ORDER is below `before`,
    /// ignoring the docids in `exclude` (the article's own older version).
    [[nodiscard]] std::optional<DuplicateMatch> earliest_duplicate(const Fingerprint& fp, const std::string& before,
                                                                   const std::vector<Xapian::docid>& exclude);

  private:
    Location find_once(const std::string& id_term, const std::string& target);
    std::optional<DuplicateMatch> earliest_duplicate_once(const Fingerprint& fp, const std::string& before,
                                                          const std::vector<Xapian::docid>& exclude);
    void reopen();

    std::vector<std::string> m_names;
    std::vector<Xapian::Database> m_shards;
    Xapian::Database m_all;
};

/// One article ready for the writer.
struct PreparedArticle {
    std::string id;
    std::string id_term;
    std::string target;            ///< shard name
    std::string hash;              ///< content hash (slot HASH)
    std::string order;             ///< slot ORDER
    std::size_t raw_bytes = 0;     ///< size of the article's JSON, before compression
    std::size_t stored_bytes = 0;  ///< size of the document data (0 if not built)
    ArchiveSnapshot::Location found;
    std::optional<Fingerprint> fingerprint;
    std::optional<DuplicateMatch> snapshot_match;
    std::optional<Xapian::Document> doc;  ///< absent when the snapshot says unchanged
    std::optional<Article> article;       ///< kept only when doc is absent (to build it after all)
    bool enriched = false;                ///< the enricher has run on the article (or there is none)
    std::vector<std::pair<std::string, std::string>> spelling;  ///< its words (DocumentBuilder::take_spelling_words)
};

struct WriterOptions {
    std::size_t commit_every = 2000;   ///< documents written (all shards) between checkpoints
    std::size_t max_open_shards = 48;  ///< shards kept open between checkpoints
    bool sync = true;                  ///< fsync at commits (false: Xapian::DB_NO_SYNC)
    bool spelling = true;              ///< add the words to the archive's word list ("did you mean")
    /// Runs on an article left unbuilt as unchanged that this run changed after all (NER).
    std::function<void(Article&)> enricher;
};

struct WriteResult {
    AddOutcome outcome = AddOutcome::Unchanged;
    bool duplicate = false;  ///< folded under an earlier article
};

class ArchiveWriter {
  public:
    /// live_shards: the stub's shards when the run started. builder builds the
    /// documents workers left unbuilt; dictionary (may be empty) is stored in
    /// every shard written to, with its id.
    ArchiveWriter(const ArchiveLayout& layout, std::vector<std::string> live_shards, WriterOptions options,
                  DocumentBuilder& builder, unsigned dictionary_id, std::string dictionary);
    ~ArchiveWriter();
    ArchiveWriter(const ArchiveWriter&) = delete;
    ArchiveWriter& operator=(const ArchiveWriter&) = delete;

    WriteResult write(PreparedArticle&& p);
    /// Commits every shard with changes (a checkpoint).
    void commit();

  private:
    struct Shard {
        Xapian::WritableDatabase db;
        bool dirty = false;
        bool has_dictionary = false;
    };
    struct InRunId {
        std::uint32_t shard;
        std::uint64_t hash;
    };
    struct InRunPrint {
        std::uint64_t simhash;
        std::size_t shingles;
        std::string order;
        std::string cluster_key;
    };

    Shard& shard(const std::string& name);
    std::uint32_t shard_index(const std::string& name);
    std::optional<DuplicateMatch> in_run_duplicate(const Fingerprint& fp) const;
    void remember(const PreparedArticle& p, const std::string& cluster_key);

    ArchiveLayout m_layout;
    std::vector<std::string> m_stub;
    WriterOptions m_options;
    DocumentBuilder& m_builder;
    unsigned m_dict_id;
    std::string m_dict;
    std::map<std::string, Shard> m_open;
    WordListWriter m_words;  ///< the archive's word list, committed before the shards
    std::size_t m_since_commit = 0;
    std::vector<std::string> m_shard_names;  ///< index -> name for m_ids
    std::unordered_map<std::uint64_t, InRunId> m_ids;
    std::vector<InRunPrint> m_prints;
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> m_bands;  ///< band key -> m_prints index
    std::vector<std::string> m_moved;  ///< id terms moved between shards since the last checkpoint
};

/// Puts a zstd dictionary on an article (value slot DICTIONARY, terms XDICT and XDICT:<id>).
void attach_dictionary(Xapian::Document& doc, const std::string& dictionary);
/// The dictionary the document of id_term carries in db (empty if none).
[[nodiscard]] std::string carried_dictionary(Xapian::WritableDatabase& db, const std::string& id_term);
/// Puts the dictionary on some article of db that carries none; false if there is none.
bool rehome_dictionary(Xapian::WritableDatabase& db, const std::string& dictionary);

/// Settles articles a killed run left in two shards while moving them (see
/// ArchiveWriter::commit): keeps the copy indexed last. Returns how many copies
/// it removed. Call with the write lock held, before writing.
std::size_t heal_moves(const ArchiveLayout& layout);

}  // namespace morgue::indexer
