/** @file jsonl_reader.h
 *  @brief JSON Lines: one article per line.
 *
 *  Our own field names are `id`, `url`, `title`, `body`, `date` (ISO 8601),
 *  `source`, `authors` (array or string), `language`/`lang`.
 */
#pragma once

#include "corpus/reader.h"

#include <istream>
#include <string>
#include <string_view>

namespace morgue::corpus {

/// Longest line accepted as one record; longer lines are rejected, not read.
inline constexpr std::size_t kMaxRecordBytes = 32u << 20;

/// Reads JSON Lines from in; `name` is the file name used in rejects.
void read_jsonl(std::istream& in, const std::string& name, const Sink& sink);

/// Parses one JSON object into an Article. Throws InputError(name, line, reason).
[[nodiscard]] Article parse_json_article(std::string_view line, const std::string& name, long line_no);

/// The id an article gets when its record has none: canonical URL, else a content hash.
[[nodiscard]] std::string fallback_id(const Article& article);

}  // namespace morgue::corpus
