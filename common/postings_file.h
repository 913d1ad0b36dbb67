/** @file postings_file.h
 *  @brief A shard's word and entity posting lists in Morgue's own format (`morgue.postings`),
 *  read by the searcher's fast tiers (searcher/fast_tiers.h).
 *
 *  Xapian's matcher costs several times what the same intersections cost over plain arrays
 *  (`morgue-bench headroom`, docs/BENCHMARKS.md). Compaction therefore writes, beside each shard's
 *  Xapian tables, the posting lists that plain-word queries walk: every plain word term
 *  (schema::is_plain_word_term) and every entity term (the boosts) in at least kMinPostings
 *  articles. Shorter lists are read from Xapian itself, whole, which costs little for them.
 *
 *  Most of a list's size would be its wdfs: a word's wdf is schema::normalised_wdf(tf, length),
 *  7-8 bits when stored as is. The file keeps each article's length once (inferred from its
 *  words' wdfs: the least is a word seen once) and each posting's tf, 1-3 bits; an entity's wdf is
 *  its salience times kWdfScale, kept as the salience. A block whose wdfs do not fit that pattern
 *  keeps them raw. On the million-article benchmark: 88M postings in 112 MB (5% of the archive).
 *
 *  Layout (little-endian), offsets from the start of the file:
 *    header   magic "MRGPOST2", format, block size, the shard's revision and document count, term
 *             count, offsets and sizes of what follows, the least postings of a list, the UUID
 *    lengths  u16 per docid: the article's length in words as normalised_wdf took it (0: unknown)
 *    lists    per term: a skip table (per block of kPostingsBlock postings: its last docid, u32,
 *             and its byte offset from the blocks' start, u32), then the blocks. A block is two
 *             bytes (the bit width of its docid gaps less one; the bit width of its wdfs, with
 *             their form in the top two bits: raw, tf - 1, or salience - 1), then the gaps, then
 *             the wdfs, each bit-packed, least significant bit first.
 *    entries  per term, in Xapian's (byte) order: u64 list offset, u32 name offset, u32 name
 *             length, u32 postings, u32 reserved
 *    names    the terms, back to back; then 8 zero bytes (bit reads take 8 bytes at a time)
 *
 *  A file belongs to one revision of one shard (its UUID, revision and document count): the
 *  searcher uses it only while the shard is at that revision, and matches with Xapian otherwise.
 */
#pragma once

#include <xapian.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <span>
#include <vector>

namespace morgue {

/// The file's name inside a shard's directory.
inline constexpr std::string_view kPostingsFileName = "morgue.postings";
/// Postings per block.
inline constexpr std::uint32_t kPostingsBlock = 128;
/// Lists shorter than this stay in Xapian alone: read whole at query time, they cost ~0.05 ms
/// at most; below it sits a seventh of the postings of the million-article benchmark, and a
/// quarter of the file's size (the rarer a word, the more bits its gaps take).
inline constexpr Xapian::doccount kMinPostings = 2000;

/// Whether compaction writes a term's list (given it is long enough): plain words and entities.
[[nodiscard]] bool postings_file_keeps(std::string_view term);

struct PostingsWriteReport {
    std::uint64_t terms = 0, postings = 0, bytes = 0;
};

/// Writes `shard`'s lists (a single local Xapian database) to `file`, atomically (a temporary
/// file, then a rename). Throws ArchiveError naming the file when it cannot be written.
PostingsWriteReport write_postings_file(const Xapian::Database& shard, const std::filesystem::path& file,
                                        Xapian::doccount min_postings = kMinPostings);

/// One term's list in a mapped file.
struct PostingsList {
    const std::uint8_t* skip = nullptr;  ///< per block: last docid, byte offset
    const std::uint8_t* blocks = nullptr;
    const std::uint8_t* end = nullptr;  ///< the file's end (blocks are checked against it as they load)
    const std::uint8_t* lengths = nullptr;  ///< u16 per docid: the article's length in words (0: unknown)
    std::uint64_t lengths_count = 0;
    std::uint32_t postings = 0;
};

/// A mapped `morgue.postings`. Immutable once open; shared between threads.
class PostingsFile {
  public:
    /// Maps `file`; nullptr when there is none. Throws ArchiveError naming the file when it is
    /// there but is not a postings file (bad magic, truncated, offsets out of range).
    [[nodiscard]] static std::shared_ptr<const PostingsFile> open(const std::filesystem::path& file);
    ~PostingsFile();
    PostingsFile(const PostingsFile&) = delete;
    PostingsFile& operator=(const PostingsFile&) = delete;

    [[nodiscard]] const std::string& uuid() const noexcept { return m_uuid; }
    [[nodiscard]] std::uint64_t revision() const noexcept { return m_revision; }
    [[nodiscard]] std::uint64_t doccount() const noexcept { return m_doccount; }
    [[nodiscard]] std::uint64_t terms() const noexcept { return m_terms; }
    /// Lists shorter than this are not in the file (write_postings_file's min_postings).
    [[nodiscard]] std::uint64_t min_postings() const noexcept { return m_min_postings; }
    [[nodiscard]] std::uint64_t bytes() const noexcept { return m_size; }
    /// Whether the file is for `shard` as it is now (same UUID, revision and document count).
    [[nodiscard]] bool fits(const Xapian::Database& shard) const;
    /// Asks the CPU for an article's length (which its words' wdfs are read with) ahead of need:
    /// the table is read at random, one cache miss per matching article otherwise.
    void prefetch_length(Xapian::docid did) const noexcept {
        if (did < m_lengths_count) __builtin_prefetch(m_lengths + std::size_t{2} * did);
    }
    /// The i-th term of the file (i < terms()), in Xapian's order.
    [[nodiscard]] std::string_view term_at(std::uint64_t i) const noexcept;
    /// The term's list, or nullopt when the file has none (a shorter list, or no such term).
    [[nodiscard]] std::optional<PostingsList> find(std::string_view term) const;

  private:
    PostingsFile() = default;
    const std::uint8_t* m_base = nullptr;
    std::size_t m_size = 0;
    std::string m_uuid;
    std::uint64_t m_revision = 0, m_doccount = 0, m_terms = 0, m_min_postings = 0;
    const std::uint8_t* m_entries = nullptr;
    const std::uint8_t* m_names = nullptr;
    std::uint64_t m_names_size = 0;
    const std::uint8_t* m_lengths = nullptr;
    std::uint64_t m_lengths_count = 0;
};

/// Walks one list in docid order: a mapped PostingsList block by block, or postings held in
/// memory (a short list read from Xapian).
class PostingsCursor {
  public:
    PostingsCursor() = default;
    explicit PostingsCursor(const PostingsList& list);
    /// A list in memory (docids ascending).
    PostingsCursor(std::vector<Xapian::docid> docids, std::vector<Xapian::termcount> wdfs);

    [[nodiscard]] std::uint32_t size() const noexcept { return m_postings; }
    [[nodiscard]] bool at_end() const noexcept { return m_at >= m_n; }
    [[nodiscard]] Xapian::docid docid() const noexcept { return docids()[m_at]; }
    [[nodiscard]] Xapian::termcount wdf() const noexcept;
    /// To the next posting (the next block when this one is done).
    void next();
    /// To the first posting at or after `did`; true when it is `did`.
    bool seek(Xapian::docid did);
    /// Every docid of the list, ascending: the list's own array when it is held in memory, else
    /// decoded into `buffer` block by block (cheaper than next() a posting at a time).
    [[nodiscard]] std::span<const Xapian::docid> all_docids(std::vector<Xapian::docid>& buffer) const;
    /// The wdf of the list's `index`-th posting (its place in all_docids()), whose docid is `did`.
    [[nodiscard]] Xapian::termcount wdf_at(std::uint32_t index, Xapian::docid did) const;

  private:
    /// One block's header, checked against the file's bounds: where its gaps start (the block's
    /// third byte), their width, the wdfs' width and mode, and its number of postings.
    struct Block {
        const std::uint8_t* gaps;
        unsigned gap_bits, wdf_bits;
        std::uint8_t wdf_mode;
        std::uint32_t n;
        /// Where its packed wdfs start, after the gaps.
        [[nodiscard]] const std::uint8_t* wdfs() const noexcept;
    };
    [[nodiscard]] Block block_at(std::uint32_t block) const;
    void load(std::uint32_t block);
    // (Not pointers kept in the object: a cursor is moved into vectors.)
    [[nodiscard]] const Xapian::docid* docids() const noexcept { return m_list.skip ? m_buf_docids : m_own_docids.data(); }
    [[nodiscard]] Xapian::docid last_of(std::uint32_t block) const noexcept;
    /// A packed wdf `v` of a block in mode `mode`, for the article `did`, as Xapian has it.
    [[nodiscard]] Xapian::termcount stored_wdf(std::uint32_t v, std::uint8_t mode, Xapian::docid did) const noexcept;

    PostingsList m_list;
    std::uint32_t m_postings = 0, m_nblocks = 0, m_block = 0;
    std::uint32_t m_at = 0, m_n = 0;  ///< position in, and size of, the loaded block
    std::vector<Xapian::docid> m_own_docids;
    std::vector<Xapian::termcount> m_own_wdfs;
    Xapian::docid m_buf_docids[kPostingsBlock] = {};
    const std::uint8_t* m_wdf_data = nullptr;  ///< the loaded block's packed wdfs, read one at a time
    unsigned m_wdf_bits = 0;
    std::uint8_t m_wdf_mode = 0;
    // wdf_at's last block: its packed wdfs, their width and mode (wdf_at reads a block's
    // postings in turn).
    mutable std::uint32_t m_at_block = UINT32_MAX;
    mutable const std::uint8_t* m_at_wdfs = nullptr;
    mutable unsigned m_at_bits = 0;
    mutable std::uint8_t m_at_mode = 0;
};

}  // namespace morgue
