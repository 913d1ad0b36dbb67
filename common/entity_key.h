/** @file entity_key.h
 *  @brief The canonical key of an entity name, shared by the indexer (NER, given metadata) and the searcher.
 *
 *  Two spellings of one name give one key: case and accents are folded, apostrophes and periods dropped
 *  ("Workers' Party" = "Workers Party", "U.S." = "US"), every other run of punctuation or spacing becomes
 *  one space ("Jean-Claude Juncker" = "jean claude juncker"), and the ends are trimmed.
 */
#pragma once

#include <string>
#include <string_view>

namespace morgue {

/// Canonical key of a UTF-8 entity name; empty if the name has no letters or digits.
[[nodiscard]] std::string entity_key(std::string_view name);

}  // namespace morgue
