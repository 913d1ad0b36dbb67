/** @file article.cpp
 *  @brief The stored JSON form of an Article (short keys: it is stored once per article).
 */
#include "common/article.h"

#include "common/error.h"

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include <algorithm>
#include <charconv>

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

/// A stored entity's flags (both writers; the reader decodes them): 1 in the title, 2 in the
/// lead, 4 from the collection's own metadata.
int entity_flags(const ArticleEntity& e) { return (e.in_title ? 1 : 0) | (e.in_lead ? 2 : 0) | (e.given ? 4 : 0); }

/// Whether the entity's key is stored as 0: it is its name in ASCII lower case.
bool key_is_lowered_name(const ArticleEntity& e) { return e.key == ascii_lower(e.name); }

}  // namespace

std::string article_to_json_reference(const Article& a) {
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
            const int flags = entity_flags(e);
            if (key_is_lowered_name(e))
                arr.push_back({std::string(entity_kind_name(e.kind)), e.name, 0, e.mentions, flags});
            else
                arr.push_back({std::string(entity_kind_name(e.kind)), e.name, e.key, e.mentions, flags});
        }
    }
    // Invalid UTF-8 must never make storage fail: readers clean text, this is the backstop.
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {

bool valid(std::string_view s) { return simdjson::validate_utf8(s.data(), s.size()); }
bool valid(const std::vector<std::string>& v) {
    return std::all_of(v.begin(), v.end(), [](const std::string& s) { return valid(s); });
}

/// `s` as a JSON string, as nlohmann's dump writes valid UTF-8 without ensure_ascii: `"` and `\`
/// escaped, \b \f \n \r \t by name, the other controls as \u00xx, everything else as it is.
void put_string(std::string& out, std::string_view s) {
    static constexpr char k_hex[] = "0123456789abcdef";
    out += '"';
    std::size_t from = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(s, from, i - from);
        from = i + 1;
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                out += "\\u00";
                out += k_hex[c >> 4];
                out += k_hex[c & 0xF];
        }
    }
    out.append(s, from, s.size() - from);
    out += '"';
}

void put_strings(std::string& out, const std::vector<std::string>& v) {
    out += '[';
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (i > 0) out += ',';
        put_string(out, v[i]);
    }
    out += ']';
}

void put_integer(std::string& out, std::int64_t v) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

}  // namespace

std::string article_to_json(const Article& a) {
    // Written directly, byte for byte what article_to_json_reference (nlohmann's DOM and dump)
    // writes: stored articles' content hashes are of this text. Building the DOM and dumping it
    // was 3% of indexing's CPU (twice an article). Invalid UTF-8 goes the reference way, which
    // replaces it.
    bool ok = valid(a.id) && valid(a.url) && valid(a.title) && valid(a.body) && valid(a.source) &&
              valid(a.authors) && valid(a.language) && valid(a.dateline) && valid(a.captions) && valid(a.topics);
    for (const auto& e : a.entities) ok = ok && valid(e.name) && valid(e.key);
    if (!ok) return article_to_json_reference(a);

    std::string out;
    out.reserve(a.title.size() + a.body.size() + a.url.size() + 64 + 48 * a.entities.size());
    // Keys in nlohmann's (std::map's) order: a b c d dl e id l s t tp u. Every key but the
    // first ("a" when there are authors, else "b") follows a comma.
    auto key = [&](const char* k) {
        if (out.size() > 1) out += ',';
        out += '"';
        out += k;
        out += "\":";
    };
    auto text = [&](const char* k, const std::string& v, bool always = false) {
        if (v.empty() && !always) return;
        key(k);
        put_string(out, v);
    };
    auto list = [&](const char* k, const std::vector<std::string>& v) {
        if (v.empty()) return;
        key(k);
        put_strings(out, v);
    };
    out += '{';
    list("a", a.authors);
    text("b", a.body, true);
    list("c", a.captions);
    if (a.date) {
        key("d");
        put_integer(out, *a.date);
    }
    text("dl", a.dateline);
    if (!a.entities.empty()) {
        key("e");
        out += '[';
        for (std::size_t i = 0; i < a.entities.size(); ++i) {
            const auto& e = a.entities[i];
            out += i > 0 ? ",[" : "[";
            put_string(out, entity_kind_name(e.kind));
            out += ',';
            put_string(out, e.name);
            out += ',';
            if (key_is_lowered_name(e)) out += '0';
            else put_string(out, e.key);
            out += ',';
            put_integer(out, e.mentions);
            out += ',';
            put_integer(out, entity_flags(e));
            out += ']';
        }
        out += ']';
    }
    text("id", a.id, true);
    text("l", a.language);
    text("s", a.source);
    text("t", a.title, true);
    list("tp", a.topics);
    text("u", a.url);
    out += '}';
    return out;
}

Article article_from_json(std::string_view text) {
    // simdjson's on-demand parser, not nlohmann's DOM: every hit shown and every phrase
    // candidate checked is read through here (1.3 KB of JSON on average at 1M articles:
    // 27-30 us a read with nlohmann, most of a hit's fetch).
    thread_local simdjson::ondemand::parser parser;
    const simdjson::padded_string padded(text);
    Article a;
    auto strings = [](simdjson::ondemand::value v) {
        std::vector<std::string> out;
        for (auto item : v.get_array()) out.emplace_back(std::string_view(item.get_string()));
        return out;
    };
    try {
        simdjson::ondemand::document doc = parser.iterate(padded);
        for (auto field : doc.get_object()) {
            const std::string_view key = field.unescaped_key();
            simdjson::ondemand::value v = field.value();
            if (key == "id") a.id = std::string_view(v.get_string());
            else if (key == "u") a.url = std::string_view(v.get_string());
            else if (key == "t") a.title = std::string_view(v.get_string());
            else if (key == "b") a.body = std::string_view(v.get_string());
            else if (key == "d") a.date = static_cast<UnixTime>(v.get_int64());
            else if (key == "s") a.source = std::string_view(v.get_string());
            else if (key == "a") a.authors = strings(v);
            else if (key == "l") a.language = std::string_view(v.get_string());
            else if (key == "dl") a.dateline = std::string_view(v.get_string());
            else if (key == "c") a.captions = strings(v);
            else if (key == "tp") a.topics = strings(v);
            else if (key == "e") {
                for (auto item : v.get_array()) {
                    // [kind, name, key (0: the name in lower case), mentions, flags]
                    ArticleEntity ent;
                    int part = 0;
                    for (auto x : item.get_array()) {
                        switch (part++) {
                            case 0:
                                ent.kind = entity_kind_from_name(std::string_view(x.get_string())).value_or(EntityKind::Misc);
                                break;
                            case 1: ent.name = std::string_view(x.get_string()); break;
                            case 2:
                                if (x.type() == simdjson::ondemand::json_type::number) ent.key = ascii_lower(ent.name);
                                else ent.key = std::string_view(x.get_string());
                                break;
                            case 3: ent.mentions = static_cast<int>(x.get_int64()); break;
                            case 4: {
                                const std::int64_t flags = x.get_int64();
                                ent.in_title = (flags & 1) != 0;
                                ent.in_lead = (flags & 2) != 0;
                                ent.given = (flags & 4) != 0;
                                break;
                            }
                            default: break;
                        }
                    }
                    if (part < 5) throw Error("stored article is malformed: an entity of " + std::to_string(part) + " parts");
                    a.entities.push_back(std::move(ent));
                }
            }
        }
    } catch (const simdjson::simdjson_error& e) {
        throw Error(std::string("stored article is not valid JSON: ") + e.what());
    }
    return a;
}

}  // namespace morgue
