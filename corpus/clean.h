/** @file clean.h
 *  @brief Text cleaning every reader applies: encodings, entities, control characters, NFC, whitespace, captions.
 *
 *  Readers hand raw field bytes to these functions and store what comes out. The order is fixed:
 *  bytes -> UTF-8 (valid UTF-8 kept, other bytes read as Windows-1252, a superset of Latin-1 for
 *  printable text) -> markup tags dropped (HTML-ish inputs only) -> character entities decoded ->
 *  control characters dropped -> Unicode NFC (ICU) -> whitespace tidied.
 *
 *  A body is stored as paragraphs separated by one blank line ("\n\n"); a one-line field (title,
 *  source, author) has every run of whitespace collapsed to one space.
 */
#pragma once

#include "common/article.h"

#include <string>
#include <string_view>
#include <vector>

namespace morgue::corpus {

/// Valid UTF-8 sequences are kept; every other byte is read as Windows-1252 (Latin-1 where
/// Windows-1252 leaves a hole). With `latin1_only` every byte >= 0x80 is read that way
/// (for files that declare an 8-bit encoding).
[[nodiscard]] std::string to_utf8(std::string_view bytes, bool latin1_only = false);

/// Decodes named (`&quot;`, `&eacute;` ...) and numeric (`&#5;`, `&#x201C;`) character references.
/// Unknown names and malformed references are left as written; numeric 128..159 are read as
/// Windows-1252, as browsers do.
[[nodiscard]] std::string decode_entities(std::string_view text);

/// Removes markup tags (`<p>`, `</a>`, `<img src=...>`, comments); `<br>`, `</p>` and similar
/// block ends become line breaks. A `<` that does not start a tag is kept.
[[nodiscard]] std::string strip_tags(std::string_view text);

/// Drops C0/C1 control characters (keeping tab and newline), the BOM and other
/// invisible format characters; turns CR and CRLF into LF.
[[nodiscard]] std::string drop_controls(std::string_view utf8);

/// Unicode canonical composition (NFC). Input must be valid UTF-8.
[[nodiscard]] std::string nfc(std::string_view utf8);

struct CleanOptions {
    bool markup = false;       ///< the text may hold HTML tags: strip them
    bool entities = true;      ///< decode character references
    bool latin1_only = false;  ///< see to_utf8
};

/// Everything above, for a one-line field: whitespace (incl. no-break spaces) collapsed, trimmed.
[[nodiscard]] std::string clean_line(std::string_view raw, const CleanOptions& options = {});

/// Everything above, for a body: each non-blank line is a paragraph, spaces inside it collapsed;
/// paragraphs are joined with "\n\n".
[[nodiscard]] std::string clean_block(std::string_view raw, const CleanOptions& options = {});

/// Paragraphs of a cleaned body (split at "\n\n").
[[nodiscard]] std::vector<std::string> paragraphs(std::string_view body);
/// Inverse of paragraphs.
[[nodiscard]] std::string join_paragraphs(const std::vector<std::string>& paragraphs);

/// True for a paragraph that reads as a photo caption or credit: a short paragraph ending in a
/// parenthesised credit such as "(AP Photo/Name)", or written as "Photo: ...", "Credit: ...",
/// "... Photograph: Name", "... Getty Images".
[[nodiscard]] bool looks_like_caption(std::string_view paragraph);

/// Moves caption paragraphs of a.body into a.captions.
void split_captions(Article& a);

}  // namespace morgue::corpus
