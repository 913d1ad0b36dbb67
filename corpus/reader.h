/** @file reader.h
 *  @brief Reading articles from files: format detection and dispatch to one reader per format.
 *
 *  A reader streams Articles to a callback and reports every record it cannot
 *  use as a Reject (file, line, reason, raw bytes) to another, then goes on:
 *  a bad record never ends a run, and never loses what came before or after it.
 */
#pragma once

#include "common/article.h"

#include <atomic>
#include <cstddef>
#include <functional>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace morgue::corpus {

/// Input formats. Compression (zstd, gzip) is orthogonal: detected under any of them.
enum class Format { Auto, Jsonl, Text, ReutersSgml, NewsML };

/// "auto", "jsonl", "text", "reuters-sgml" (or "sgml"), "newsml"; throws UsageError for anything else.
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

/// One `--map field=path` rule: an Article field read from a dotted JSON path.
struct FieldMapping {
    std::string field;  ///< id, url, title, body, description, date, source, authors, language, dateline, topics
    std::string path;   ///< e.g. "source.name", "meta.0.headline"
};

/// Parses "field=path"; throws UsageError naming the bad rule.
[[nodiscard]] FieldMapping parse_field_mapping(std::string_view rule);

/// How inputs are read.
struct ReadOptions {
    Format format = Format::Auto;
    std::vector<FieldMapping> field_map;  ///< JSON: tried before the built-in field names
    bool remove_debris = true;            ///< read_inputs: learn and remove crawl debris (see debris.h)
    const std::atomic<bool>* stop = nullptr;  ///< streamed stdin ends when this becomes true (a signal)
};

/// Longest record (JSON line, text file, SGML story, XML file) accepted; longer ones are rejected.
inline constexpr std::size_t kMaxRecordBytes = 32u << 20;

/// Reads every article at path: a file, a directory (walked recursively), or
/// "-" for standard input. Throws InputError only for a path that cannot be
/// opened at all; everything inside goes to the sink.
void read_path(const std::string& path, Format format, const Sink& sink);
void read_path(const std::string& path, const ReadOptions& options, const Sink& sink);

/// Reads all inputs the way `morgue-index add` does: with remove_debris, a first pass learns each
/// source's repeated lines (debris.h) and the second delivers the articles without them. Standard
/// input ("-") is then spooled to a temporary file so that it can be read twice; without
/// remove_debris it streams: each article is delivered as its record arrives (format detection,
/// unless the format is given, first waits for 64 KB or the end of input).
void read_inputs(const std::vector<std::string>& inputs, const ReadOptions& options, const Sink& sink);

/// Guesses the format from the first bytes of a file's (decompressed) content; Auto if none fits.
/// `name` (the file name, may be empty) only vetoes plain text for names that say code or data
/// (`.md`, `.dtd`, `.csv`, `README` ...); every format is recognised by content.
[[nodiscard]] Format detect_format(std::string_view head, std::string_view name = {}) noexcept;

/// Steps every reader's articles go through: captions split off the body, a missing date taken
/// from the URL or the dateline, a missing id from the canonical URL or a content hash.
void finish_article(Article& article);

/// An entity from a collection's own metadata (given = true), keyed like the searcher looks it up.
[[nodiscard]] ArticleEntity given_entity(EntityKind kind, std::string_view name);

/// URL with lower-case scheme and host, no fragment, no tracking parameters (utm_*, fbclid ...).
[[nodiscard]] std::string canonical_url(std::string_view url);

}  // namespace morgue::corpus
