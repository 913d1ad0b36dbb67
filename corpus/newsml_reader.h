/** @file newsml_reader.h
 *  @brief NewsML XML as RCV1 writes it: `<newsitem itemid=... date=...>` per story, usually one per file.
 *
 *  Title from `headline` (else `title` without its "COUNTRY: " prefix), `dateline`, `byline` as the
 *  author, `text` paragraphs (`<p>`), date from the item's `date` attribute (else
 *  `dc.date.published`, else the dateline). `bip:countries` (and any `regions`) codes become Place
 *  entities (given), `bip:topics` and `bip:industries` codes the topics. The id is `rcv1:ITEMID`, the
 *  source the `dc.source` value (else "Reuters"). The declared encoding is honoured for 8-bit sets.
 */
#pragma once

#include "corpus/reader.h"

#include <istream>
#include <string>
#include <string_view>

namespace morgue::corpus {

/// Reads every newsitem in in; `name` is used in rejects.
void read_newsml(std::istream& in, const std::string& name, const Sink& sink);

/// Parses one `<newsitem ...>...</newsitem>` element. Throws InputError(name, line, reason).
[[nodiscard]] Article parse_newsitem(std::string_view item, bool latin1, const std::string& name, long line);

/// True if head is XML holding a NewsML newsitem.
[[nodiscard]] bool looks_like_newsml(std::string_view head) noexcept;

}  // namespace morgue::corpus
