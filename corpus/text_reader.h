/** @file text_reader.h
 *  @brief Plain-text articles: one article per file.
 *
 *  ```
 *  Date: 2021-01-08            <- optional header block: Date, URL, Source, Author(s), Title,
 *  URL: https://example.com/a     Language, Id lines, then a blank line; it may also follow
 *  Source: Example Wire           the headline
 *                              
 *  Headline on the first line
 *
 *  Body paragraphs, separated by blank lines or one per line.
 *  ```
 *  The id is the `Id:` header, else the `URL:` header's canonical URL, else the file's path
 *  relative to the argument it was found under (the file name for a file given directly).
 */
#pragma once

#include "corpus/reader.h"

#include <istream>
#include <string>
#include <string_view>

namespace morgue::corpus {

/// Reads one text article from in; `name` is used in rejects, `relative_id` is the path-based id.
void read_text(std::istream& in, const std::string& name, const std::string& relative_id, const Sink& sink);

/// Parses a whole text file's bytes. Throws InputError(name, line, reason).
[[nodiscard]] Article parse_text_article(std::string_view bytes, const std::string& name,
                                         const std::string& relative_id);

/// True if head (a file's first bytes) reads as a text article: text, not markup or data, a
/// headline-sized first line and some prose after it.
[[nodiscard]] bool looks_like_text_article(std::string_view head) noexcept;

}  // namespace morgue::corpus
