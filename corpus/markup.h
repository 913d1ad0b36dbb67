/** @file markup.h
 *  @brief Just enough SGML/XML scanning for the collection readers: elements by name, attributes.
 *
 *  Not a general XML parser: no DTDs, no namespaces, no CDATA. The collection formats we read
 *  (Reuters-21578 SGML, NewsML) are flat and regular, and a scanner that never throws and never
 *  reads past its input is easier to make robust (and to fuzz) than a full parser.
 */
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace morgue::corpus::markup {

/// One element found in a document.
struct Element {
    std::string_view open_tag;  ///< "<NAME attr=...>"
    std::string_view content;   ///< between the open and the close tag (empty for <NAME/>)
    std::size_t end = 0;        ///< offset just past the close tag
};

/// The first element `name` at or after `from` (exact, case-sensitive name match); nullopt if there is
/// none or it is not closed.
[[nodiscard]] std::optional<Element> find_element(std::string_view doc, std::string_view name, std::size_t from = 0);

/// Calls fn for every element `name` in doc, in order (not nested in each other).
void for_each_element(std::string_view doc, std::string_view name, const std::function<void(const Element&)>& fn);

/// The content of the first element `name`, or empty.
[[nodiscard]] std::string_view element_text(std::string_view doc, std::string_view name);

/// Value of attribute `name` in an open tag (quoted with ' or ", or bare); empty if absent.
[[nodiscard]] std::string attribute(std::string_view open_tag, std::string_view name);

/// Removes every tag (`<...>`) from text, keeping what lies between.
[[nodiscard]] std::string remove_tags(std::string_view text);

}  // namespace morgue::corpus::markup
