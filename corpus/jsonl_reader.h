/** @file jsonl_reader.h
 *  @brief JSON Lines: one article per line, with the field names of common crawlers.
 *
 *  Each Article field is read from the first of these that the record has (a `--map` rule for
 *  the field is tried before them; dotted paths walk nested objects):
 *
 *  | field    | our own          | news-please       | NewsAPI-style        | also                               |
 *  |----------|------------------|-------------------|----------------------|------------------------------------|
 *  | id       | `id`             |                   |                      |                                    |
 *  | url      | `url`            | `url`             | `url`                | `link`                             |
 *  | title    | `title`          | `title`           | `title`              | `headline`                         |
 *  | body     | `body`           | `maintext`        | `content`            | `text`, `article_body`             |
 *  | (lead)   |                  | `description`     | `description`        | used as the body when there is none |
 *  | date     | `date`           | `date_publish`    | `publishedAt`        | `published`, `published_at`, `pubDate`, `datePublished` |
 *  | source   | `source`         | `source_domain`   | `source.name`        | `publisher`, `site_name`           |
 *  | authors  | `authors`        | `authors`         | `author`             | `byline`                           |
 *  | language | `language`/`lang`| `language`        |                      |                                    |
 *  | dateline | `dateline`       |                   |                      |                                    |
 *  | topics   | `topics`         |                   |                      | `tags`                             |
 *
 *  A file that is one JSON document rather than JSON Lines (it opens with `[`, or with `{` alone on its
 *  first line, as pretty-printers write) is read whole: its articles are the elements of the top-level
 *  array, or of the object's `articles` (a NewsAPI response), `items`, `results`, `data` or `documents`
 *  array, else the object itself; its rejects are numbered by record.
 *
 *  Text is cleaned (clean.h, with markup stripping: crawled text holds tag leftovers), NewsAPI's
 *  "… [+1234 chars]" truncation note is dropped, and dates are read by parse_date (a number is
 *  epoch seconds, or milliseconds).
 */
#pragma once

#include "corpus/reader.h"

#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace morgue::corpus {

/// Reads JSON Lines from in; `name` is the file name used in rejects.
void read_jsonl(std::istream& in, const std::string& name, const Sink& sink);
void read_jsonl(std::istream& in, const std::string& name, const Sink& sink, const std::vector<FieldMapping>& map);

/// Parses one JSON object into an Article. Throws InputError(name, line, reason).
[[nodiscard]] Article parse_json_article(std::string_view line, const std::string& name, long line_no);
[[nodiscard]] Article parse_json_article(std::string_view line, const std::string& name, long line_no,
                                         const std::vector<FieldMapping>& map);

/// The id an article gets when its record has none: canonical URL, else a content hash.
[[nodiscard]] std::string fallback_id(const Article& article);

/// The Article field names a FieldMapping may name.
[[nodiscard]] bool is_mappable_field(std::string_view field) noexcept;

}  // namespace morgue::corpus
