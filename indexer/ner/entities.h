/** @file entities.h
 *  @brief Entities of one article: tagging title and body, then in-document resolution.
 *
 *  Resolution, in order:
 *   1. one type per name: every mention with the same key takes the type most of them got;
 *   2. acronyms: "International Atomic Energy Agency (IAEA)" defines IAEA; an all-capitals mention whose
 *      letters are the initials of a longer name in the article joins it too, and so do untagged
 *      occurrences of a defined acronym;
 *   3. short mentions: a name whose words open or close a longer name of the article resolves to it
 *      ("Kohl" -> "Helmut Kohl"); for people the most mentioned candidate wins, for other types only one
 *      mentioned at least twice as often as any other candidate.
 */
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "indexer/ner/tagger.h"
#include "indexer/ner/tags.h"

namespace morgue::ner {

struct Entity {
    EntityType type = EntityType::Misc;
    std::string name;      ///< display form: the fullest mention, typographic quotes made ASCII
    std::string key;       ///< morgue::entity_key(name)
    int mentions = 0;      ///< mentions after resolution, title included
    bool in_title = false;
    bool in_lead = false;  ///< in the first k_lead_sentences sentences of the body
    double salience = 0;   ///< mentions + 3 if in the title + 2 if in the lead, over all mentions of the article
};

inline constexpr std::size_t k_lead_sentences = 3;

/// Entities of an article, most salient first. Thread-safe for a shared const Tagger.
[[nodiscard]] std::vector<Entity> extract_entities(const Tagger& tagger, std::string_view title, std::string_view body);

}  // namespace morgue::ner
