/** @file input_stream.h
 *  @brief Opening an input file as a byte stream, decompressing zstd and gzip on the fly, and
 *         reading it line by line without ever holding more than one bounded record.
 *
 *  Compression is recognised by the stream's magic bytes (zstd `28 B5 2F FD`, gzip `1F 8B`),
 *  not by the name. A compressed stream that ends early or is corrupt ends the stream and leaves
 *  a message in `stream_error`; what was decoded before it is read normally.
 */
#pragma once

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <istream>
#include <memory>
#include <string>
#include <string_view>

namespace morgue::corpus {

enum class Compression { None, Zstd, Gzip };

/// Compression announced by the first bytes of a stream.
[[nodiscard]] Compression detect_compression(std::string_view head) noexcept;

/// Opens a file, decompressing if its content is compressed. Throws InputError if it cannot be opened.
[[nodiscard]] std::unique_ptr<std::istream> open_input(const std::filesystem::path& file);

/// Wraps `raw` (not owned; must outlive the result) in a decompressing stream when `compression` says so.
[[nodiscard]] std::unique_ptr<std::istream> decompressing(std::istream& raw, Compression compression);

/// A stream that yields `prefix`, then the rest of `rest` (not owned; must outlive the result): how
/// bytes already read from a pipe for detection are put back in front of it.
[[nodiscard]] std::unique_ptr<std::istream> replaying(std::string prefix, std::istream& rest);

/// Reads a file descriptor that cannot seek (standard input, a pipe) as it arrives, decompressing
/// if its first bytes say it is compressed. Each read takes what the pipe holds, so a record is
/// handed on as soon as its line is complete rather than when a buffer fills. When `stop` is
/// given and becomes true, the stream ends (checked every 200 ms while it waits).
[[nodiscard]] std::unique_ptr<std::istream> open_fd(int fd, const std::atomic<bool>* stop = nullptr);

/// The decoding error that ended a stream from open_input/decompressing early ("truncated zstd
/// stream", "corrupt gzip data: ..."), or empty.
[[nodiscard]] std::string stream_error(const std::istream& in);

/// Up to `max` bytes from the start of a stream (decompressed), for format detection.
[[nodiscard]] std::string read_head(std::istream& in, std::size_t max);

/// Reads lines of at most `max_bytes`; a longer line is skipped to its end, keeping its first bytes.
class LineReader {
  public:
    LineReader(std::istream& in, std::size_t max_bytes);

    /// Next line without its "\n" (and "\r"); false at the end of the stream.
    bool next(std::string& line);
    /// 1-based number of the line last returned.
    [[nodiscard]] long line_no() const noexcept { return m_line_no; }
    /// The line last returned was longer than max_bytes (`line` then holds its first 4 KB).
    [[nodiscard]] bool oversize() const noexcept { return m_oversize; }
    /// The line last returned had no newline after it (the stream's last bytes).
    [[nodiscard]] bool unterminated() const noexcept { return m_unterminated; }
    /// Bytes consumed so far, line ends included.
    [[nodiscard]] std::size_t offset() const noexcept { return m_offset; }

  private:
    bool fill();

    std::istream& m_in;
    std::size_t m_max;
    std::string m_buf;
    std::size_t m_pos = 0;
    long m_line_no = 0;
    bool m_oversize = false;
    bool m_unterminated = false;
    bool m_eof = false;
    std::size_t m_offset = 0;
};

}  // namespace morgue::corpus
