/** @file article.cpp
 *  @brief The stored JSON form of an Article (short keys: it is stored once per article).
 */
#include "common/article.h"

#include "common/error.h"

#include <nlohmann/json.hpp>

namespace morgue {

std::string_view entity_kind_name(EntityKind kind) noexcept {
    switch (kind) {
        case EntityKind::Person: return "person";
        case EntityKind::Org: return "org";
        case EntityKind::Place: return "place";
        case EntityKind::Misc: return "misc";
    }
    return "misc";
}

std::optional<EntityKind> entity_kind_from_name(std::string_view name) noexcept {
    if (name == "person") return EntityKind::Person;
    if (name == "org") return EntityKind::Org;
    if (name == "place") return EntityKind::Place;
    if (name == "misc") return EntityKind::Misc;
    return std::nullopt;
}

namespace {

/// Most entity keys are the name in lower case: those are stored as 0 (a quarter
/// of the stored entity bytes) and rebuilt on reading, without the Unicode folding
/// of entity_key, which is not needed for them.
std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

}  // namespace

std::string article_to_json(const Article& a) {
    nlohmann::json j;
    j["id"] = a.id;
    if (!a.url.empty()) j["u"] = a.url;
    j["t"] = a.title;
    j["b"] = a.body;
    if (a.date) j["d"] = *a.date;
    if (!a.source.empty()) j["s"] = a.source;
    if (!a.authors.empty()) j["a"] = a.authors;
    if (!a.language.empty()) j["l"] = a.language;
    if (!a.dateline.empty()) j["dl"] = a.dateline;
    if (!a.captions.empty()) j["c"] = a.captions;
    if (!a.topics.empty()) j["tp"] = a.topics;
    if (!a.entities.empty()) {
        auto& arr = j["e"] = nlohmann::json::array();
        for (const auto& e : a.entities) {
            int flags = (e.in_title ? 1 : 0) | (e.in_lead ? 2 : 0) | (e.given ? 4 : 0);
            if (e.key == ascii_lower(e.name))
                arr.push_back({std::string(entity_kind_name(e.kind)), e.name, 0, e.mentions, flags});
            else
                arr.push_back({std::string(entity_kind_name(e.kind)), e.name, e.key, e.mentions, flags});
        }
    }
    // Invalid UTF-8 must never make storage fail: readers clean text, this is the backstop.
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Article article_from_json(std::string_view text) {
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw Error("stored article is not valid JSON");
    Article a;
    try {
        a.id = j.value("id", "");
        a.url = j.value("u", "");
        a.title = j.value("t", "");
        a.body = j.value("b", "");
        if (j.contains("d")) a.date = j["d"].get<UnixTime>();
        a.source = j.value("s", "");
        if (j.contains("a")) a.authors = j["a"].get<std::vector<std::string>>();
        a.language = j.value("l", "");
        a.dateline = j.value("dl", "");
        if (j.contains("c")) a.captions = j["c"].get<std::vector<std::string>>();
        if (j.contains("tp")) a.topics = j["tp"].get<std::vector<std::string>>();
        if (j.contains("e")) {
            for (const auto& e : j["e"]) {
                ArticleEntity ent;
                ent.kind = entity_kind_from_name(e.at(0).get<std::string>()).value_or(EntityKind::Misc);
                ent.name = e.at(1).get<std::string>();
                ent.key = e.at(2).is_number() ? ascii_lower(ent.name) : e.at(2).get<std::string>();
                ent.mentions = e.at(3).get<int>();
                const int flags = e.at(4).get<int>();
                ent.in_title = (flags & 1) != 0;
                ent.in_lead = (flags & 2) != 0;
                ent.given = (flags & 4) != 0;
                a.entities.push_back(std::move(ent));
            }
        }
    } catch (const nlohmann::json::exception& e) {
        throw Error(std::string("stored article is malformed: ") + e.what());
    }
    return a;
}

}  // namespace morgue
