/** @file tags.h
 *  @brief Entity types and the BIO tag set shared by the tagger, trainer and scorer.
 */
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace morgue::ner {

/// The four CoNLL-2003 entity classes.
enum class EntityType : std::uint8_t { Person = 0, Org = 1, Place = 2, Misc = 3 };

inline constexpr int k_num_types = 4;
/// O, then B-/I- for each type in EntityType order.
inline constexpr int k_num_tags = 1 + 2 * k_num_types;

using Tag = std::uint8_t;
inline constexpr Tag k_tag_outside = 0;

[[nodiscard]] constexpr Tag begin_tag(EntityType t) { return static_cast<Tag>(1 + 2 * static_cast<int>(t)); }
[[nodiscard]] constexpr Tag inside_tag(EntityType t) { return static_cast<Tag>(2 + 2 * static_cast<int>(t)); }
[[nodiscard]] constexpr bool is_begin(Tag t) { return t != k_tag_outside && (t % 2) == 1; }
[[nodiscard]] constexpr bool is_inside(Tag t) { return t != k_tag_outside && (t % 2) == 0; }
[[nodiscard]] constexpr EntityType tag_type(Tag t) { return static_cast<EntityType>((t - 1) / 2); }

/// "PER", "ORG", "LOC", "MISC": the CoNLL names.
[[nodiscard]] std::string_view conll_name(EntityType t);
/// "person", "org", "place", "misc": the names used in Morgue's query syntax and JSON.
[[nodiscard]] std::string_view morgue_name(EntityType t);
[[nodiscard]] std::optional<EntityType> parse_conll_type(std::string_view s);
/// Parses "O", "B-PER", "I-LOC", ...; nullopt when malformed.
[[nodiscard]] std::optional<Tag> parse_tag(std::string_view s);

}  // namespace morgue::ner
