/** @file input_stream.cpp
 *  @brief Streaming zstd (ZSTD_decompressStream) and gzip (zlib inflate) decoders as std::streambufs.
 */
#include "corpus/input_stream.h"

#include "common/error.h"

#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <fstream>

#include <poll.h>
#include <unistd.h>
#include <vector>

namespace morgue::corpus {

namespace {

constexpr std::size_t k_chunk = 1 << 16;

/// Common part: a get area refilled by decode(); an error ends the stream and is kept.
class DecodingBuf : public std::streambuf {
  public:
    explicit DecodingBuf(std::istream& raw) : m_raw(raw), m_in(k_chunk), m_out(k_chunk) {}
    [[nodiscard]] const std::string& error() const noexcept { return m_error; }

  protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        if (m_done) return traits_type::eof();
        std::size_t produced = 0;
        while (produced == 0 && !m_done) produced = decode();
        if (produced == 0) return traits_type::eof();
        setg(m_out.data(), m_out.data(), m_out.data() + produced);
        return traits_type::to_int_type(*gptr());
    }

    /// Reads more compressed bytes into m_in; returns how many are available.
    std::size_t refill() {
        if (m_in_pos < m_in_len) return m_in_len - m_in_pos;
        m_raw.read(m_in.data(), static_cast<std::streamsize>(m_in.size()));
        m_in_len = static_cast<std::size_t>(m_raw.gcount());
        m_in_pos = 0;
        return m_in_len;
    }
    void fail(std::string message) {
        m_error = std::move(message);
        m_done = true;
    }
    /// Decodes into m_out; returns bytes produced; sets m_done at the end.
    virtual std::size_t decode() = 0;

    std::istream& m_raw;
    std::vector<char> m_in;
    std::vector<char> m_out;
    std::size_t m_in_pos = 0;
    std::size_t m_in_len = 0;
    bool m_done = false;
    std::string m_error;
};

class ZstdBuf final : public DecodingBuf {
  public:
    explicit ZstdBuf(std::istream& raw) : DecodingBuf(raw), m_dctx(ZSTD_createDCtx()) {}
    ~ZstdBuf() override { ZSTD_freeDCtx(m_dctx); }
    ZstdBuf(const ZstdBuf&) = delete;
    ZstdBuf& operator=(const ZstdBuf&) = delete;

  private:
    std::size_t decode() override {
        if (refill() == 0) {
            if (m_frame_open) fail("truncated zstd stream");
            m_done = true;
            return 0;
        }
        ZSTD_inBuffer in{m_in.data(), m_in_len, m_in_pos};
        ZSTD_outBuffer out{m_out.data(), m_out.size(), 0};
        const std::size_t ret = ZSTD_decompressStream(m_dctx, &out, &in);
        m_in_pos = in.pos;
        if (ZSTD_isError(ret)) {
            fail(std::string("corrupt zstd data: ") + ZSTD_getErrorName(ret));
            return out.pos;
        }
        m_frame_open = ret != 0;
        return out.pos;
    }

    ZSTD_DCtx* m_dctx;
    bool m_frame_open = false;
};

class GzipBuf final : public DecodingBuf {
  public:
    explicit GzipBuf(std::istream& raw) : DecodingBuf(raw) {
        m_zs.zalloc = Z_NULL;
        m_zs.zfree = Z_NULL;
        m_zs.opaque = Z_NULL;
        if (inflateInit2(&m_zs, 15 + 32) != Z_OK) fail("cannot start gzip decoder");
    }
    ~GzipBuf() override { inflateEnd(&m_zs); }
    GzipBuf(const GzipBuf&) = delete;
    GzipBuf& operator=(const GzipBuf&) = delete;

  private:
    std::size_t decode() override {
        if (refill() == 0) {
            if (m_member_open) fail("truncated gzip stream");
            m_done = true;
            return 0;
        }
        m_zs.next_in = reinterpret_cast<Bytef*>(m_in.data() + m_in_pos);
        m_zs.avail_in = static_cast<uInt>(m_in_len - m_in_pos);
        m_zs.next_out = reinterpret_cast<Bytef*>(m_out.data());
        m_zs.avail_out = static_cast<uInt>(m_out.size());
        m_member_open = true;
        const int ret = inflate(&m_zs, Z_NO_FLUSH);
        m_in_pos = m_in_len - m_zs.avail_in;
        const std::size_t produced = m_out.size() - m_zs.avail_out;
        if (ret == Z_STREAM_END) {
            m_member_open = false;
            inflateReset(&m_zs);  // concatenated members (gzip -c a b > c) follow
        } else if (ret != Z_OK && ret != Z_BUF_ERROR) {
            fail(std::string("corrupt gzip data: ") + (m_zs.msg ? m_zs.msg : "inflate failed"));
        }
        return produced;
    }

    z_stream m_zs{};
    bool m_member_open = false;
};

/// Reads a file descriptor (a pipe, a terminal) with read(2): each refill takes what is there.
/// While it waits for input it looks at `stop` every 200 ms and ends the stream when it is set,
/// so that a signal stops a run that is waiting on a quiet pipe.
class FdBuf final : public std::streambuf {
  public:
    FdBuf(int fd, const std::atomic<bool>* stop) : m_fd(fd), m_stop(stop), m_buf(k_chunk) {}

  protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        for (;;) {
            if (m_stop != nullptr && m_stop->load()) return traits_type::eof();
            pollfd p{m_fd, POLLIN, 0};
            const int ready = ::poll(&p, 1, m_stop != nullptr ? 200 : -1);
            if (ready < 0 && errno != EINTR) return traits_type::eof();
            if (ready <= 0) continue;
            const ssize_t got = ::read(m_fd, m_buf.data(), m_buf.size());
            if (got < 0 && errno == EINTR) continue;
            if (got <= 0) return traits_type::eof();
            setg(m_buf.data(), m_buf.data(), m_buf.data() + got);
            return traits_type::to_int_type(*gptr());
        }
    }

  private:
    int m_fd;
    const std::atomic<bool>* m_stop;
    std::vector<char> m_buf;
};

/// Serves a prefix held in memory, then reads through to another stream.
class ReplayBuf final : public std::streambuf {
  public:
    ReplayBuf(std::string prefix, std::istream& rest) : m_prefix(std::move(prefix)), m_rest(rest), m_buf(k_chunk) {
        setg(m_prefix.data(), m_prefix.data(), m_prefix.data() + m_prefix.size());
    }

  protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        // Take what the stream under has ready rather than wait for a full buffer: on a pipe,
        // a record is read as soon as it arrives.
        std::streambuf* under = m_rest.rdbuf();
        if (traits_type::eq_int_type(under->sgetc(), traits_type::eof())) return traits_type::eof();
        const std::streamsize ready = std::max<std::streamsize>(1, under->in_avail());
        const std::streamsize got = under->sgetn(m_buf.data(), std::min<std::streamsize>(ready, static_cast<std::streamsize>(m_buf.size())));
        if (got <= 0) return traits_type::eof();
        setg(m_buf.data(), m_buf.data(), m_buf.data() + got);
        return traits_type::to_int_type(*gptr());
    }

  private:
    std::string m_prefix;
    std::istream& m_rest;
    std::vector<char> m_buf;
};

/// An istream that owns its buffer (a decoder, a replay) and, optionally, the stream under it;
/// the buffer, declared last, goes first. Without a buffer it reads `raw` directly.
class OwningStream final : public std::istream {
  public:
    OwningStream(std::unique_ptr<std::istream> file, std::unique_ptr<std::streambuf> buf, std::istream* raw)
        : std::istream(nullptr), m_file(std::move(file)), m_buf(std::move(buf)) {
        rdbuf(m_buf ? m_buf.get() : raw->rdbuf());
    }

  private:
    std::unique_ptr<std::istream> m_file;
    std::unique_ptr<std::streambuf> m_buf;
};

}  // namespace

Compression detect_compression(std::string_view head) noexcept {
    if (head.size() >= 4 && head.substr(0, 4) == std::string_view("\x28\xB5\x2F\xFD", 4)) return Compression::Zstd;
    if (head.size() >= 2 && head.substr(0, 2) == std::string_view("\x1F\x8B", 2)) return Compression::Gzip;
    return Compression::None;
}

std::unique_ptr<std::istream> decompressing(std::istream& raw, Compression compression) {
    std::unique_ptr<std::streambuf> buf;
    if (compression == Compression::Zstd) buf = std::make_unique<ZstdBuf>(raw);
    if (compression == Compression::Gzip) buf = std::make_unique<GzipBuf>(raw);
    return std::make_unique<OwningStream>(nullptr, std::move(buf), &raw);
}

std::unique_ptr<std::istream> open_input(const std::filesystem::path& file) {
    auto raw = std::make_unique<std::ifstream>(file, std::ios::binary);
    if (!*raw) throw InputError(file.string(), 0, "cannot open file");
    char magic[4] = {0, 0, 0, 0};
    raw->read(magic, 4);
    const auto got = static_cast<std::size_t>(raw->gcount());
    raw->clear();
    raw->seekg(0);
    const Compression c = detect_compression(std::string_view(magic, got));
    std::unique_ptr<std::streambuf> buf;
    if (c == Compression::Zstd) buf = std::make_unique<ZstdBuf>(*raw);
    if (c == Compression::Gzip) buf = std::make_unique<GzipBuf>(*raw);
    std::istream* raw_ptr = raw.get();
    return std::make_unique<OwningStream>(std::move(raw), std::move(buf), raw_ptr);
}

std::unique_ptr<std::istream> replaying(std::string prefix, std::istream& rest) {
    return std::make_unique<OwningStream>(nullptr, std::make_unique<ReplayBuf>(std::move(prefix), rest), nullptr);
}

std::unique_ptr<std::istream> open_fd(int fd, const std::atomic<bool>* stop) {
    // Three layers, each owning the one under it: the pipe, the magic bytes put back in front
    // of it, and the decoder if the magic bytes say compressed.
    std::unique_ptr<std::istream> raw = std::make_unique<OwningStream>(nullptr, std::make_unique<FdBuf>(fd, stop), nullptr);
    std::string magic = read_head(*raw, 4);
    const Compression c = detect_compression(magic);
    std::istream* raw_ptr = raw.get();
    std::unique_ptr<std::istream> replay =
        std::make_unique<OwningStream>(std::move(raw), std::make_unique<ReplayBuf>(std::move(magic), *raw_ptr), raw_ptr);
    if (c == Compression::None) return replay;
    std::istream* replay_ptr = replay.get();
    std::unique_ptr<std::streambuf> buf;
    if (c == Compression::Zstd) buf = std::make_unique<ZstdBuf>(*replay_ptr);
    if (c == Compression::Gzip) buf = std::make_unique<GzipBuf>(*replay_ptr);
    return std::make_unique<OwningStream>(std::move(replay), std::move(buf), replay_ptr);
}

std::string stream_error(const std::istream& in) {
    if (const auto* d = dynamic_cast<const DecodingBuf*>(in.rdbuf())) return d->error();
    if (in.bad()) return "read error";
    return {};
}

std::string read_head(std::istream& in, std::size_t max) {
    std::string head(max, '\0');
    in.read(head.data(), static_cast<std::streamsize>(max));
    head.resize(static_cast<std::size_t>(in.gcount()));
    return head;
}

LineReader::LineReader(std::istream& in, std::size_t max_bytes) : m_in(in), m_max(max_bytes) {}

namespace {
bool traits_type_eof(std::char_traits<char>::int_type c) {
    return std::char_traits<char>::eq_int_type(c, std::char_traits<char>::eof());
}
}  // namespace

bool LineReader::fill() {
    if (m_eof) return false;
    if (m_pos > 0) {
        m_buf.erase(0, m_pos);
        m_pos = 0;
    }
    const std::size_t old = m_buf.size();
    // Take what the stream has ready, up to a chunk: on a pipe, the lines that have arrived
    // rather than a wait for a full chunk that may never come.
    auto want = static_cast<std::streamsize>(k_chunk);
    if (std::streambuf* sb = m_in.rdbuf(); sb && !traits_type_eof(sb->sgetc())) {
        const std::streamsize ready = sb->in_avail();
        if (ready > 0 && ready < want) want = ready;
    }
    m_buf.resize(old + static_cast<std::size_t>(want));
    m_in.read(m_buf.data() + old, want);
    const auto got = static_cast<std::size_t>(m_in.gcount());
    m_buf.resize(old + got);
    if (got == 0) m_eof = true;
    return got > 0;
}

bool LineReader::next(std::string& line) {
    line.clear();
    m_oversize = false;
    m_unterminated = false;
    std::size_t scanned = m_pos;
    for (;;) {
        const std::size_t nl = m_buf.find('\n', scanned);
        if (nl != std::string::npos) {
            if (!m_oversize) line.assign(m_buf, m_pos, nl - m_pos);
            m_offset += nl + 1 - m_pos;
            m_pos = nl + 1;
            break;
        }
        if (m_buf.size() - m_pos > m_max) {
            // Too long: keep its head, drop the rest up to the newline.
            if (!m_oversize) line.assign(m_buf, m_pos, 4096);
            m_oversize = true;
            m_offset += m_buf.size() - m_pos;
            m_buf.clear();
            m_pos = 0;
        }
        const std::size_t rel = m_buf.size() - m_pos;
        if (!fill()) {
            if (m_pos >= m_buf.size() && !m_oversize) return false;
            if (!m_oversize) line.assign(m_buf, m_pos);
            m_offset += m_buf.size() - m_pos;
            m_pos = m_buf.size();
            m_unterminated = true;
            break;
        }
        scanned = m_pos + rel;
    }
    ++m_line_no;
    if (!m_oversize && line.size() > m_max) {
        line.resize(4096);
        m_oversize = true;
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return true;
}

}  // namespace morgue::corpus
