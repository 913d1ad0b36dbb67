/** @file tags.cpp
 *  @brief Names of entity types and parsing of CoNLL tags.
 */
#include "indexer/ner/tags.h"

namespace morgue::ner {

std::string_view conll_name(EntityType t) {
    switch (t) {
        case EntityType::Person: return "PER";
        case EntityType::Org: return "ORG";
        case EntityType::Place: return "LOC";
        case EntityType::Misc: return "MISC";
    }
    return "MISC";
}

std::string_view morgue_name(EntityType t) {
    switch (t) {
        case EntityType::Person: return "person";
        case EntityType::Org: return "org";
        case EntityType::Place: return "place";
        case EntityType::Misc: return "misc";
    }
    return "misc";
}

std::optional<EntityType> parse_conll_type(std::string_view s) {
    if (s == "PER") return EntityType::Person;
    if (s == "ORG") return EntityType::Org;
    if (s == "LOC") return EntityType::Place;
    if (s == "MISC") return EntityType::Misc;
    return std::nullopt;
}

std::optional<Tag> parse_tag(std::string_view s) {
    if (s == "O") return k_tag_outside;
    if (s.size() < 3 || s[1] != '-') return std::nullopt;
    const auto type = parse_conll_type(s.substr(2));
    if (!type) return std::nullopt;
    if (s[0] == 'B') return begin_tag(*type);
    if (s[0] == 'I') return inside_tag(*type);
    return std::nullopt;
}

}  // namespace morgue::ner
