/** @file sgml_reader.h
 *  @brief Reuters-21578 SGML: one `<REUTERS ...>` element per story, 1,000 per file.
 *
 *  Every story is delivered, whatever it lacks: `TITLE`, `DATELINE` and `BODY` when present;
 *  otherwise (TYPE="UNPROC", "BRIEF") the text it has, its first line as the title when short;
 *  and a story with no text at all still carries its date and metadata. The id is
 *  `reuters21578:NEWID`, the source "Reuters", the language "en". `PLACES` become Place entities,
 *  `PEOPLE` Person, `ORGS` and `EXCHANGES` Org (all `given`; hyphens in the values become spaces, so
 *  "el-salvador" is the place "el salvador"), `TOPICS` the topics. The files are
 *  not UTF-8 (one Latin-1 byte) and write control characters as `&#5;`-style references; dates
 *  (`26-FEB-1987 15:01:01.79`, space-padded, some with junk after) are read as UTC.
 */
#pragma once

#include "corpus/reader.h"

#include <istream>
#include <string>
#include <string_view>

namespace morgue::corpus {

/// Reads every REUTERS element in in; `name` is used in rejects (line = the element's first line).
void read_reuters_sgml(std::istream& in, const std::string& name, const Sink& sink);

/// Parses one `<REUTERS ...>...</REUTERS>` element. Throws InputError(name, line, reason).
[[nodiscard]] Article parse_reuters_story(std::string_view element, const std::string& name, long line);

/// True if head starts like a Reuters-21578 file.
[[nodiscard]] bool looks_like_reuters_sgml(std::string_view head) noexcept;

}  // namespace morgue::corpus
