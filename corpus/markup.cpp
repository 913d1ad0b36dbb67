/** @file markup.cpp
 *  @brief Element and attribute scanning over string_views.
 */
#include "corpus/markup.h"

#include <cctype>

namespace morgue::corpus::markup {

namespace {

bool name_ends(std::string_view doc, std::size_t at) {
    if (at >= doc.size()) return true;
    const char c = doc[at];
    return c == '>' || c == '/' || std::isspace(static_cast<unsigned char>(c));
}

}  // namespace

std::optional<Element> find_element(std::string_view doc, std::string_view name, std::size_t from) {
    std::string open(1, '<');
    open.append(name);
    std::string close("</");
    close.append(name);
    std::size_t at = from;
    while ((at = doc.find(open, at)) != std::string_view::npos) {
        if (!name_ends(doc, at + open.size())) {
            at += open.size();
            continue;
        }
        const std::size_t tag_end = doc.find('>', at);
        if (tag_end == std::string_view::npos) return std::nullopt;
        Element e;
        e.open_tag = doc.substr(at, tag_end + 1 - at);
        if (tag_end > at && doc[tag_end - 1] == '/') {
            e.end = tag_end + 1;
            return e;
        }
        std::size_t c = tag_end + 1;
        while ((c = doc.find(close, c)) != std::string_view::npos && !name_ends(doc, c + close.size())) c += close.size();
        if (c == std::string_view::npos) return std::nullopt;
        const std::size_t close_end = doc.find('>', c);
        e.content = doc.substr(tag_end + 1, c - tag_end - 1);
        e.end = close_end == std::string_view::npos ? doc.size() : close_end + 1;
        return e;
    }
    return std::nullopt;
}

void for_each_element(std::string_view doc, std::string_view name, const std::function<void(const Element&)>& fn) {
    std::size_t from = 0;
    while (auto e = find_element(doc, name, from)) {
        fn(*e);
        if (e->end <= from) break;
        from = e->end;
    }
}

std::string_view element_text(std::string_view doc, std::string_view name) {
    const auto e = find_element(doc, name);
    return e ? e->content : std::string_view{};
}

std::string attribute(std::string_view tag, std::string_view name) {
    std::size_t at = 0;
    while ((at = tag.find(name, at)) != std::string_view::npos) {
        const bool starts = at > 0 && std::isspace(static_cast<unsigned char>(tag[at - 1]));
        std::size_t k = at + name.size();
        while (k < tag.size() && std::isspace(static_cast<unsigned char>(tag[k]))) ++k;
        if (!starts || k >= tag.size() || tag[k] != '=') {
            at += name.size();
            continue;
        }
        ++k;
        while (k < tag.size() && std::isspace(static_cast<unsigned char>(tag[k]))) ++k;
        if (k >= tag.size()) return {};
        if (tag[k] == '"' || tag[k] == '\'') {
            const std::size_t end = tag.find(tag[k], k + 1);
            if (end == std::string_view::npos) return {};
            return std::string(tag.substr(k + 1, end - k - 1));
        }
        std::size_t end = k;
        while (end < tag.size() && !std::isspace(static_cast<unsigned char>(tag[end])) && tag[end] != '>' &&
               tag[end] != '/')
            ++end;
        return std::string(tag.substr(k, end - k));
    }
    return {};
}

std::string remove_tags(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '<') {
            const std::size_t end = text.find('>', i);
            if (end == std::string_view::npos) break;
            i = end;
            continue;
        }
        out += text[i];
    }
    return out;
}

}  // namespace morgue::corpus::markup
