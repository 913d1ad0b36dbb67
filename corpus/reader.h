/** @file reader.h
 *  @brief Reading articles from files: format detection and dispatch to one reader per format.
 *
 *  A reader streams Articles to a callback and reports every record it cannot
 *  use as a Reject (file, line, reason, raw bytes) to another, then goes on:
 *  a bad record never ends a run, and never loses what came before or after it.
 */
#pragma once

#include "common/article.h"

#include <functional>
#include <istream>
#include <string>
#include <string_view>

namespace morgue::corpus {

enum class Format { Auto, Jsonl };

/// "auto", "jsonl"; throws UsageError for anything else.
[[nodiscard]] Format parse_format(std::string_view name);
[[nodiscard]] std::string_view format_name(Format format) noexcept;

/// A record that could not be read as an article.
struct Reject {
    std::string file;
    long line = 0;       ///< 1-based line (or record) number; 0 if not line-based
    std::string reason;  ///< one line, no file/line prefix
    std::string raw;     ///< the record's raw bytes, kept for the operator
};

/// Where readers deliver their output.
struct Sink {
    std::function<void(Article&&)> article;
    std::function<void(Reject&&)> reject;
    /// Optional: a file skipped as not holding articles (reason given).
    std::function<void(const std::string& file, const std::string& reason)> skipped;
};

/// Reads every article at path: a file, a directory (walked recursively), or
/// "-" for standard input. Throws InputError only for a path that cannot be
/// opened at all; everything inside goes to the sink.
void read_path(const std::string& path, Format format, const Sink& sink);

/// Guesses the format from the first bytes of a file's content.
[[nodiscard]] Format detect_format(std::string_view head) noexcept;

}  // namespace morgue::corpus
