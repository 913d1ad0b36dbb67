/** @file postings_file.cpp
 *  @brief `morgue.postings`: writer, mapped reader and cursor (postings_file.h).
 */
#include "common/postings_file.h"

#include "common/error.h"
#include "common/schema.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <tuple>
#include <utility>

namespace morgue {

namespace {

constexpr char kMagic[8] = {'M', 'R', 'G', 'P', 'O', 'S', 'T', '2'};
constexpr std::uint32_t kFormat = 2;
constexpr std::size_t kUuidBytes = 40;
/// magic, format, block, revision, doccount, terms, entries offset, names offset, names size,
/// lengths offset, lengths count, least postings of a list, uuid
constexpr std::size_t kHeaderBytes = 8 + 4 + 4 + 9 * 8 + kUuidBytes;
constexpr std::size_t kEntryBytes = 24;
/// Longer articles (in words, as normalised_wdf counts them) keep raw wdfs: lengths are 16 bits.
constexpr double kMaxLength = 65535;

template <class T>
void put(std::string& out, T v) {
    char b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));
    out.append(b, sizeof(T));
}

template <class T>
T get(const std::uint8_t* p) noexcept {
    T v;
    std::memcpy(&v, p, sizeof(T));
    return v;
}

unsigned bits_for(std::uint32_t max) noexcept { return max == 0 ? 0 : static_cast<unsigned>(std::bit_width(max)); }

/// Appends `values` at `bits` each, least significant bit first.
void pack(std::string& out, const std::uint32_t* values, std::size_t n, unsigned bits) {
    if (bits == 0) return;
    std::uint64_t acc = 0;
    unsigned have = 0;
    for (std::size_t i = 0; i < n; ++i) {
        acc |= static_cast<std::uint64_t>(values[i]) << have;
        have += bits;
        while (have >= 8) {
            out.push_back(static_cast<char>(acc & 0xff));
            acc >>= 8;
            have -= 8;
        }
    }
    if (have > 0) out.push_back(static_cast<char>(acc & 0xff));
}

std::size_t packed_bytes(std::size_t n, unsigned bits) noexcept { return (n * bits + 7) / 8; }

/// Value i of a run packed at `bits` each (8 readable bytes past the run's last).
std::uint32_t extract(const std::uint8_t* p, std::uint32_t i, unsigned bits) noexcept {
    if (bits == 0) return 0;
    const std::uint64_t pos = std::uint64_t{i} * bits;
    return static_cast<std::uint32_t>((get<std::uint64_t>(p + (pos >> 3)) >> (pos & 7)) & ((std::uint64_t{1} << bits) - 1));
}

/// A block's n docids from its gaps packed at B bits (each gap less one), after `base`: one loop
/// per width, so that shifts and masks are constants.
template <unsigned B>
void decode_gaps(const std::uint8_t* p, std::uint32_t* out, std::uint32_t n, std::uint32_t base) noexcept {
    if constexpr (B == 0) {
        for (std::uint32_t i = 0; i < n; ++i) out[i] = base += 1;
    } else {
        constexpr std::uint64_t mask = (std::uint64_t{1} << B) - 1;
        std::uint64_t pos = 0;
        for (std::uint32_t i = 0; i < n; ++i, pos += B) {
            base += static_cast<std::uint32_t>((get<std::uint64_t>(p + (pos >> 3)) >> (pos & 7)) & mask) + 1;
            out[i] = base;
        }
    }
}
using GapDecoder = void (*)(const std::uint8_t*, std::uint32_t*, std::uint32_t, std::uint32_t) noexcept;
template <std::size_t... B>
constexpr std::array<GapDecoder, sizeof...(B)> gap_decoders(std::index_sequence<B...>) {
    return {&decode_gaps<static_cast<unsigned>(B)>...};
}
constexpr auto kGapDecoders = gap_decoders(std::make_index_sequence<33>{});

/// How a block stores its wdfs (the high two bits of its second byte).
enum WdfMode : std::uint8_t {
    kRawWdf = 0,     ///< the wdf
    kWordTf = 1,     ///< a word's frequency less one: wdf = schema::normalised_wdf(tf, the article's length)
    kEntityTf = 2,   ///< an entity's salience less one: wdf = salience * kWdfScale
};

/// A word's normalising length: 0.5 + 0.5 * words / 400 (schema::normalised_wdf).
double norm_of(double words) noexcept { return 1.0 - schema::kLengthB + schema::kLengthB * words / schema::kNominalWords; }
double words_of(double norm) noexcept { return (norm - 1.0 + schema::kLengthB) * schema::kNominalWords / schema::kLengthB; }

/// The norms (as an interval) under which a word seen tf times gets this wdf.
std::pair<double, double> norms_for(std::uint32_t tf, std::uint32_t wdf) noexcept {
    const double scaled = schema::kWdfScale * tf;
    if (wdf <= 1) return {scaled / 1.5, std::numeric_limits<double>::infinity()};  // wdf 1: rounded up to it, too
    return {scaled / (wdf + 0.5), scaled / (wdf - 0.5)};
}

/// The frequency that gives `wdf` in an article of `words` words, or 0 when none does.
std::uint32_t tf_for(std::uint32_t wdf, std::uint32_t words) noexcept {
    const double guess = std::round(wdf * norm_of(words) / schema::kWdfScale);
    for (const double d : {0.0, -1.0, 1.0, -2.0, 2.0}) {
        const double t = guess + d;
        if (t < 1 || t > 4e9) continue;
        if (schema::normalised_wdf(static_cast<Xapian::termcount>(t), words) == wdf) return static_cast<std::uint32_t>(t);
    }
    return 0;
}

/// Each article's length in words (as normalised_wdf took it), inferred from its words' wdfs:
/// the least wdf is a word seen once, which bounds the length; every other word narrows the
/// bounds. An article whose wdfs no length explains gets 0 (its blocks store raw wdfs).
std::vector<std::uint16_t> infer_lengths(const Xapian::Database& shard, const std::vector<std::string>& words) {
    const Xapian::docid last = shard.get_lastdocid();
    std::vector<std::uint32_t> least(static_cast<std::size_t>(last) + 1, std::numeric_limits<std::uint32_t>::max());
    for (const auto& term : words)
        for (auto p = shard.postlist_begin(term); p != shard.postlist_end(term); ++p)
            least[*p] = std::min(least[*p], p.get_wdf());
    std::vector<double> lo(least.size(), 0), hi(least.size(), -1);
    for (std::size_t d = 0; d < least.size(); ++d)
        if (least[d] != std::numeric_limits<std::uint32_t>::max()) std::tie(lo[d], hi[d]) = norms_for(1, least[d]);
    for (const auto& term : words) {
        for (auto p = shard.postlist_begin(term); p != shard.postlist_end(term); ++p) {
            const Xapian::docid d = *p;
            if (!(lo[d] <= hi[d])) continue;
            const std::uint32_t wdf = p.get_wdf();
            const double mid = std::isinf(hi[d]) ? lo[d] : (lo[d] + hi[d]) / 2;
            const double guess = std::max(1.0, std::round(wdf * mid / schema::kWdfScale));
            bool fitted = false;
            for (const double delta : {0.0, -1.0, 1.0}) {
                if (guess + delta < 1) continue;
                const auto [a, b] = norms_for(static_cast<std::uint32_t>(guess + delta), wdf);
                const double nlo = std::max(lo[d], a), nhi = std::min(hi[d], b);
                if (nlo <= nhi) {
                    lo[d] = nlo;
                    hi[d] = nhi;
                    fitted = true;
                    break;
                }
            }
            if (!fitted) hi[d] = -1;
        }
    }
    std::vector<std::uint16_t> length(least.size(), 0);
    for (std::size_t d = 0; d < least.size(); ++d) {
        if (!(lo[d] <= hi[d])) continue;
        const double w = std::ceil(words_of(lo[d]) - 1e-9);
        if (w >= 1 && w <= kMaxLength) length[d] = static_cast<std::uint16_t>(w);
    }
    return length;
}

/// Appends one term's list (skip table, then blocks). `word`: a plain word (its wdfs may be
/// stored as frequencies, given `lengths`); else an entity (as saliences).
void encode_list(std::string& out, const std::vector<Xapian::docid>& docids, const std::vector<Xapian::termcount>& wdfs,
                 bool word, const std::vector<std::uint16_t>& lengths) {
    const std::size_t n = docids.size();
    const std::size_t blocks = (n + kPostingsBlock - 1) / kPostingsBlock;
    std::string skip, data;
    std::array<std::uint32_t, kPostingsBlock> gaps{}, raw{}, tf{};
    Xapian::docid prev = 0;
    for (std::size_t b = 0; b < blocks; ++b) {
        const std::size_t first = b * kPostingsBlock;
        const std::size_t count = std::min<std::size_t>(kPostingsBlock, n - first);
        std::uint32_t max_gap = 0, max_raw = 0, max_tf = 0;
        bool tf_ok = true;
        for (std::size_t i = 0; i < count; ++i) {
            const Xapian::docid did = docids[first + i];
            gaps[i] = did - prev - 1;
            prev = did;
            raw[i] = wdfs[first + i];
            max_gap = std::max(max_gap, gaps[i]);
            max_raw = std::max(max_raw, raw[i]);
            if (!tf_ok) continue;
            std::uint32_t t = 0;
            if (word) {
                const std::uint32_t len = did < lengths.size() ? lengths[did] : 0;
                t = len > 0 ? tf_for(raw[i], len) : 0;
            } else if (raw[i] >= schema::kWdfScale && raw[i] % static_cast<std::uint32_t>(schema::kWdfScale) == 0) {
                t = raw[i] / static_cast<std::uint32_t>(schema::kWdfScale);
            }
            if (t == 0) tf_ok = false;
            else {
                tf[i] = t - 1;
                max_tf = std::max(max_tf, tf[i]);
            }
        }
        put<std::uint32_t>(skip, prev);
        put<std::uint32_t>(skip, static_cast<std::uint32_t>(data.size()));
        const unsigned gb = bits_for(max_gap);
        const bool use_tf = tf_ok && bits_for(max_tf) <= bits_for(max_raw);
        const unsigned wb = use_tf ? bits_for(max_tf) : bits_for(max_raw);
        const std::uint8_t mode = use_tf ? (word ? kWordTf : kEntityTf) : kRawWdf;
        data.push_back(static_cast<char>(gb));
        data.push_back(static_cast<char>(wb | (mode << 6)));
        pack(data, gaps.data(), count, gb);
        pack(data, use_tf ? tf.data() : raw.data(), count, wb);
    }
    out += skip;
    out += data;
}

}  // namespace

bool postings_file_keeps(std::string_view term) {
    if (schema::is_plain_word_term(term)) return true;
    for (const auto& field : schema::fields())
        if (field.kind == schema::FieldKind::Entity && term.size() > field.prefix.size() && term.starts_with(field.prefix))
            return true;
    return false;
}

PostingsWriteReport write_postings_file(const Xapian::Database& shard, const std::filesystem::path& file,
                                        Xapian::doccount min_postings) {
    min_postings = std::max<Xapian::doccount>(1, min_postings);
    PostingsWriteReport report;
    const auto tmp = std::filesystem::path(file.string() + ".tmp");
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw ArchiveError(tmp.string() + ": cannot write");
    std::string entries, names, list;
    std::uint64_t lengths_at = kHeaderBytes, lengths_count = 0, entries_at = 0;
    try {
        std::vector<std::string> terms, words;
        for (auto t = shard.allterms_begin(); t != shard.allterms_end(); ++t) {
            if (t.get_termfreq() < min_postings) continue;
            std::string term = *t;
            if (!postings_file_keeps(term)) continue;
            if (schema::is_plain_word_term(term)) words.push_back(term);
            terms.push_back(std::move(term));
        }
        const std::vector<std::uint16_t> lengths = infer_lengths(shard, words);
        lengths_count = lengths.size();
        std::string header(kHeaderBytes, '\0');
        out.write(header.data(), static_cast<std::streamsize>(header.size()));
        out.write(reinterpret_cast<const char*>(lengths.data()), static_cast<std::streamsize>(lengths.size() * 2));
        std::uint64_t offset = lengths_at + lengths.size() * 2;
        std::vector<Xapian::docid> docids;
        std::vector<Xapian::termcount> wdfs;
        for (const auto& term : terms) {
            docids.clear();
            wdfs.clear();
            for (auto p = shard.postlist_begin(term); p != shard.postlist_end(term); ++p) {
                docids.push_back(*p);
                wdfs.push_back(p.get_wdf());
            }
            list.clear();
            encode_list(list, docids, wdfs, schema::is_plain_word_term(term), lengths);
            put<std::uint64_t>(entries, offset);
            put<std::uint32_t>(entries, static_cast<std::uint32_t>(names.size()));
            put<std::uint32_t>(entries, static_cast<std::uint32_t>(term.size()));
            put<std::uint32_t>(entries, static_cast<std::uint32_t>(docids.size()));
            put<std::uint32_t>(entries, 0);
            names += term;
            out.write(list.data(), static_cast<std::streamsize>(list.size()));
            offset += list.size();
            ++report.terms;
            report.postings += docids.size();
        }
        entries_at = offset;
    } catch (const Xapian::Error& e) {
        throw ArchiveError(file.string() + ": reading the shard's postings: " + e.get_description());
    }
    const std::uint64_t names_at = entries_at + entries.size();
    out.write(entries.data(), static_cast<std::streamsize>(entries.size()));
    out.write(names.data(), static_cast<std::streamsize>(names.size()));
    out.write("\0\0\0\0\0\0\0\0", 8);
    std::string header;
    header.append(kMagic, sizeof kMagic);
    put<std::uint32_t>(header, kFormat);
    put<std::uint32_t>(header, kPostingsBlock);
    put<std::uint64_t>(header, shard.get_revision());
    put<std::uint64_t>(header, shard.get_doccount());
    put<std::uint64_t>(header, report.terms);
    put<std::uint64_t>(header, entries_at);
    put<std::uint64_t>(header, names_at);
    put<std::uint64_t>(header, names.size());
    put<std::uint64_t>(header, lengths_at);
    put<std::uint64_t>(header, lengths_count);
    put<std::uint64_t>(header, min_postings);
    std::string uuid = shard.get_uuid();
    uuid.resize(kUuidBytes, '\0');
    header += uuid;
    out.seekp(0);
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    out.close();
    if (!out) throw ArchiveError(tmp.string() + ": cannot write");
    std::error_code ec;
    std::filesystem::rename(tmp, file, ec);
    if (ec) throw ArchiveError(file.string() + ": cannot move the postings file in: " + ec.message());
    report.bytes = names_at + names.size() + 8;
    return report;
}

std::shared_ptr<const PostingsFile> PostingsFile::open(const std::filesystem::path& file) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return nullptr;
    struct stat st {};
    if (fstat(fd, &st) != 0 || st.st_size < static_cast<off_t>(kHeaderBytes + 8)) {
        ::close(fd);
        throw ArchiveError(file.string() + ": not a postings file (too short)");
    }
    const auto size = static_cast<std::size_t>(st.st_size);
    void* p = mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
    ::close(fd);
    if (p == MAP_FAILED) throw ArchiveError(file.string() + ": cannot map");
    std::shared_ptr<PostingsFile> f(new PostingsFile());
    f->m_base = static_cast<const std::uint8_t*>(p);
    f->m_size = size;
    const std::uint8_t* h = f->m_base;
    auto bad = [&](const char* why) { return ArchiveError(file.string() + ": not a postings file (" + why + ")"); };
    if (std::memcmp(h, kMagic, sizeof kMagic) != 0) throw bad("bad magic");
    if (get<std::uint32_t>(h + 8) != kFormat || get<std::uint32_t>(h + 12) != kPostingsBlock) throw bad("unknown format");
    f->m_revision = get<std::uint64_t>(h + 16);
    f->m_doccount = get<std::uint64_t>(h + 24);
    f->m_terms = get<std::uint64_t>(h + 32);
    const std::uint64_t entries_at = get<std::uint64_t>(h + 40);
    const std::uint64_t names_at = get<std::uint64_t>(h + 48);
    f->m_names_size = get<std::uint64_t>(h + 56);
    const std::uint64_t lengths_at = get<std::uint64_t>(h + 64);
    f->m_lengths_count = get<std::uint64_t>(h + 72);
    f->m_min_postings = get<std::uint64_t>(h + 80);
    f->m_uuid.assign(reinterpret_cast<const char*>(h + 88), kUuidBytes);
    f->m_uuid.resize(std::strlen(f->m_uuid.c_str()));
    if (lengths_at != kHeaderBytes || f->m_lengths_count > (size - lengths_at) / 2 ||
        entries_at < lengths_at + 2 * f->m_lengths_count || entries_at > size || f->m_terms > (size - entries_at) / kEntryBytes ||
        names_at != entries_at + f->m_terms * kEntryBytes || f->m_names_size > size - names_at ||
        size - names_at - f->m_names_size < 8)
        throw bad("truncated");
    f->m_lengths = f->m_base + lengths_at;
    f->m_entries = f->m_base + entries_at;
    f->m_names = f->m_base + names_at;
    // Every list and name in range, so that reads need no checks.
    for (std::uint64_t i = 0; i < f->m_terms; ++i) {
        const std::uint8_t* e = f->m_entries + i * kEntryBytes;
        const std::uint64_t at = get<std::uint64_t>(e);
        const std::uint64_t postings = get<std::uint32_t>(e + 16);
        const std::uint64_t blocks = (postings + kPostingsBlock - 1) / kPostingsBlock;
        if (get<std::uint32_t>(e + 8) + std::uint64_t{get<std::uint32_t>(e + 12)} > f->m_names_size || at < lengths_at + 2 * f->m_lengths_count ||
            at + blocks * 8 > entries_at)
            throw bad("an entry out of range");
    }
    return f;
}

PostingsFile::~PostingsFile() {
    if (m_base != nullptr) munmap(const_cast<std::uint8_t*>(m_base), m_size);
}

bool PostingsFile::fits(const Xapian::Database& shard) const {
    try {
        return shard.get_uuid() == m_uuid && shard.get_revision() == m_revision && shard.get_doccount() == m_doccount;
    } catch (const Xapian::Error&) {
        return false;  // not a single local database
    }
}

std::string_view PostingsFile::term_at(std::uint64_t i) const noexcept {
    const std::uint8_t* e = m_entries + i * kEntryBytes;
    return {reinterpret_cast<const char*>(m_names + get<std::uint32_t>(e + 8)), get<std::uint32_t>(e + 12)};
}

std::optional<PostingsList> PostingsFile::find(std::string_view term) const {
    std::uint64_t lo = 0, hi = m_terms;
    while (lo < hi) {
        const std::uint64_t mid = lo + (hi - lo) / 2;
        const std::uint8_t* e = m_entries + mid * kEntryBytes;
        const int c = term_at(mid).compare(term);
        if (c == 0) {
            PostingsList l;
            l.skip = m_base + get<std::uint64_t>(e);
            l.postings = get<std::uint32_t>(e + 16);
            l.blocks = l.skip + std::uint64_t{8} * ((l.postings + kPostingsBlock - 1) / kPostingsBlock);
            l.end = m_base + m_size;
            l.lengths = m_lengths;
            l.lengths_count = m_lengths_count;
            return l;
        }
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return std::nullopt;
}

PostingsCursor::PostingsCursor(const PostingsList& list)
    : m_list(list), m_postings(list.postings), m_nblocks((list.postings + kPostingsBlock - 1) / kPostingsBlock) {
    if (m_nblocks > 0) load(0);
}

PostingsCursor::PostingsCursor(std::vector<Xapian::docid> docids, std::vector<Xapian::termcount> wdfs)
    : m_own_docids(std::move(docids)), m_own_wdfs(std::move(wdfs)) {
    m_postings = m_n = static_cast<std::uint32_t>(m_own_docids.size());
}

Xapian::docid PostingsCursor::last_of(std::uint32_t block) const noexcept { return get<std::uint32_t>(m_list.skip + std::size_t{8} * block); }

const std::uint8_t* PostingsCursor::Block::wdfs() const noexcept { return gaps + packed_bytes(n, gap_bits); }

PostingsCursor::Block PostingsCursor::block_at(std::uint32_t block) const {
    const std::uint8_t* p = m_list.blocks + get<std::uint32_t>(m_list.skip + std::size_t{8} * block + 4);
    // A block must lie inside the file, with the 8 bytes a bit read may take past its end.
    if (p < m_list.blocks || p + 2 > m_list.end) throw ArchiveError("postings file: a block out of range (the file is damaged)");
    Block b{p + 2, p[0], static_cast<unsigned>(p[1] & 0x3f), static_cast<std::uint8_t>(p[1] >> 6),
            std::min(kPostingsBlock, m_postings - block * kPostingsBlock)};
    if (b.gap_bits > 32 || b.wdf_bits > 32 || b.wdf_mode > kEntityTf ||
        b.wdfs() + packed_bytes(b.n, b.wdf_bits) + 8 > m_list.end)
        throw ArchiveError("postings file: a block out of range (the file is damaged)");
    return b;
}

void PostingsCursor::load(std::uint32_t block) {
    m_block = block;
    m_at = 0;
    const Block b = block_at(block);
    m_n = b.n;
    m_wdf_bits = b.wdf_bits;
    m_wdf_mode = b.wdf_mode;
    static_assert(sizeof(Xapian::docid) == sizeof(std::uint32_t));
    // The whole block at once. (Measured: decoding 16 at a time, so that a seek landing early in a
    // block decodes only that far, was slower on "price fixing" and "term limits" at 1M.)
    kGapDecoders[b.gap_bits](b.gaps, m_buf_docids, m_n, block == 0 ? 0 : last_of(block - 1));
    m_wdf_data = b.wdfs();
}

std::span<const Xapian::docid> PostingsCursor::all_docids(std::vector<Xapian::docid>& buffer) const {
    if (m_list.skip == nullptr) return m_own_docids;
    buffer.resize(m_postings);
    for (std::uint32_t block = 0; block < m_nblocks; ++block) {
        const Block b = block_at(block);
        kGapDecoders[b.gap_bits](b.gaps, buffer.data() + std::size_t{block} * kPostingsBlock, b.n,
                                 block == 0 ? 0 : last_of(block - 1));
    }
    return buffer;
}

Xapian::termcount PostingsCursor::stored_wdf(std::uint32_t v, std::uint8_t mode, Xapian::docid did) const noexcept {
    switch (mode) {
        case kWordTf: {
            const std::uint32_t words = did < m_list.lengths_count ? get<std::uint16_t>(m_list.lengths + std::size_t{2} * did) : 0;
            return schema::normalised_wdf(v + 1, words);
        }
        case kEntityTf: return (v + 1) * static_cast<Xapian::termcount>(schema::kWdfScale);
        default: return v;
    }
}

Xapian::termcount PostingsCursor::wdf() const noexcept {
    if (m_list.skip == nullptr) return m_own_wdfs[m_at];
    return stored_wdf(extract(m_wdf_data, m_at, m_wdf_bits), m_wdf_mode, m_buf_docids[m_at]);
}

Xapian::termcount PostingsCursor::wdf_at(std::uint32_t index, Xapian::docid did) const {
    if (m_list.skip == nullptr) return m_own_wdfs.at(index);
    if (index >= m_postings) throw ArchiveError("postings file: a posting out of range");
    if (index / kPostingsBlock != m_at_block) {
        const Block b = block_at(index / kPostingsBlock);
        m_at_block = index / kPostingsBlock;
        m_at_wdfs = b.wdfs();
        m_at_bits = b.wdf_bits;
        m_at_mode = b.wdf_mode;
    }
    return stored_wdf(extract(m_at_wdfs, index % kPostingsBlock, m_at_bits), m_at_mode, did);
}

void PostingsCursor::next() {
    if (++m_at < m_n) return;
    if (m_list.skip != nullptr && m_block + 1 < m_nblocks) load(m_block + 1);
}

bool PostingsCursor::seek(Xapian::docid did) {
    if (at_end()) return false;
    const Xapian::docid* ds = docids();
    if (ds[m_at] >= did) return ds[m_at] == did;
    if (m_list.skip == nullptr) {
        // In memory: a gallop, then a bisection of its last step.
        std::uint32_t lo = m_at, step = 1, hi = m_at + 1;
        while (hi < m_n && ds[hi] < did) {
            lo = hi;
            step *= 2;
            hi = lo + step;
        }
        m_at = static_cast<std::uint32_t>(std::lower_bound(ds + lo, ds + std::min(hi + 1, m_n), did) - ds);
        return m_at < m_n && ds[m_at] == did;
    }
    if (last_of(m_block) < did) {
        if (m_block + 1 >= m_nblocks) {
            m_at = m_n;
            return false;
        }
        // The first later block whose last docid reaches did: gallop, then bisect.
        std::uint32_t lo = m_block + 1, step = 1, hi = lo;
        while (hi < m_nblocks && last_of(hi) < did) {
            lo = hi + 1;
            hi = lo + step;
            step *= 2;
        }
        hi = std::min(hi, m_nblocks - 1);
        while (lo < hi) {
            const std::uint32_t mid = lo + (hi - lo) / 2;
            if (last_of(mid) < did) lo = mid + 1;
            else hi = mid;
        }
        if (lo >= m_nblocks || last_of(lo) < did) {
            m_block = m_nblocks - 1;
            m_at = m_n;
            return false;
        }
        load(lo);
    }
    // Within the block: a linear scan from where it stands. Seeks mostly land a few postings on,
    // where a scan is cheaper than a search's mispredicted branches ("price fixing" at 1M, a
    // 20k-posting list into a 239k one: 1.05 -> 0.91 ms). (Bounded by the block: in a damaged
    // file the docids may not reach what the skip table says.)
    std::uint32_t at = m_at;
    while (at < m_n && ds[at] < did) ++at;
    m_at = at;
    return at < m_n && ds[at] == did;
}

}  // namespace morgue
