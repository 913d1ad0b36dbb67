/** @file jsonl_reader.cpp
 *  @brief JSON Lines reader: one record per line, bad lines rejected one by one.
 */
#include "corpus/jsonl_reader.h"

#include "common/error.h"
#include "common/text.h"
#include "corpus/clean.h"
#include "corpus/date_parse.h"
#include "corpus/input_stream.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cmath>

namespace morgue::corpus {

namespace {

using Json = nlohmann::json;

struct FieldNames {
    std::string_view field;
    std::array<std::string_view, 7> paths;
};

// Built-in names, in the order they are tried (see the table in jsonl_reader.h).
constexpr std::array<FieldNames, 11> k_fields{{
    {"id", {"id"}},
    {"url", {"url", "link"}},
    {"title", {"title", "headline"}},
    {"body", {"body", "maintext", "content", "text", "article_body"}},
    {"description", {"description"}},
    {"date", {"date", "date_publish", "publishedAt", "published", "published_at", "pubDate", "datePublished"}},
    {"source", {"source", "source_domain", "publisher", "site_name"}},
    {"authors", {"authors", "author", "byline"}},
    {"language", {"language", "lang"}},
    {"dateline", {"dateline"}},
    {"topics", {"topics", "tags"}},
}};

const Json* lookup(const Json& j, std::string_view path) {
    const Json* cur = &j;
    while (!path.empty()) {
        const auto dot = path.find('.');
        const std::string key(path.substr(0, dot));
        path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
        if (cur->is_object()) {
            const auto it = cur->find(key);
            if (it == cur->end()) return nullptr;
            cur = &*it;
        } else if (cur->is_array() && !key.empty() && key.find_first_not_of("0123456789") == std::string::npos &&
                   key.size() < 9) {
            const auto index = std::stoul(key);
            if (index >= cur->size()) return nullptr;
            cur = &(*cur)[index];
        } else {
            return nullptr;
        }
    }
    return cur->is_null() ? nullptr : cur;
}

/// A value as text: strings as they are, numbers in decimal, {"name": ...} objects by their name,
/// arrays of strings joined by `joiner`.
std::string as_text(const Json& v, std::string_view joiner) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return std::to_string(v.get<long long>());
    if (v.is_number_unsigned()) return std::to_string(v.get<unsigned long long>());
    if (v.is_number_float()) {
        const double d = v.get<double>();
        return std::isfinite(d) && std::fabs(d) < 1e15 ? std::to_string(static_cast<long long>(d)) : std::string{};
    }
    if (v.is_object()) {
        if (const auto it = v.find("name"); it != v.end() && it->is_string()) return it->get<std::string>();
        return {};
    }
    if (v.is_array()) {
        std::string out;
        for (const auto& e : v) {
            const std::string part = as_text(e, joiner);
            if (part.empty()) continue;
            if (!out.empty()) out += joiner;
            out += part;
        }
        return out;
    }
    return {};
}

const Json* find_field(const Json& j, std::string_view field, const std::vector<FieldMapping>& map) {
    for (const auto& m : map) {
        if (m.field != field) continue;
        if (const Json* v = lookup(j, m.path)) return v;
    }
    for (const auto& f : k_fields) {
        if (f.field != field) continue;
        for (const auto& path : f.paths) {
            if (path.empty()) break;
            if (const Json* v = lookup(j, path)) {
                if (v->is_string() && text::trim(v->get_ref<const std::string&>()).empty()) continue;
                return v;
            }
        }
    }
    return nullptr;
}

std::string text_field(const Json& j, std::string_view field, const std::vector<FieldMapping>& map,
                       std::string_view joiner = " ") {
    const Json* v = find_field(j, field, map);
    return v ? as_text(*v, joiner) : std::string{};
}

std::vector<std::string> list_field(const Json& j, std::string_view field, const std::vector<FieldMapping>& map) {
    std::vector<std::string> out;
    const Json* v = find_field(j, field, map);
    if (!v) return out;
    const CleanOptions markup{.markup = true};
    auto add = [&](const Json& e) {
        std::string s = clean_line(as_text(e, " "), markup);
        if (!s.empty()) out.push_back(std::move(s));
    };
    if (v->is_array()) {
        for (const auto& e : *v) add(e);
    } else {
        add(*v);
    }
    return out;
}

/// NewsAPI truncates `content` and says so: "... [+2345 chars]".
std::string drop_truncation_note(std::string body) {
    const auto open = body.rfind("[+");
    if (open == std::string::npos || body.size() - open > 20 || body.back() != ']') return body;
    if (body.find(" chars]", open) == std::string::npos) return body;
    body.erase(open);
    while (!body.empty() && (body.back() == ' ' || body.back() == '.')) body.pop_back();
    if (body.size() >= 3 && body.compare(body.size() - 3, 3, "\xE2\x80\xA6") == 0) body.erase(body.size() - 3);
    return body;
}

}  // namespace

bool is_mappable_field(std::string_view field) noexcept {
    for (const auto& f : k_fields)
        if (f.field == field) return true;
    return false;
}

std::string fallback_id(const Article& a) {
    if (!a.url.empty()) return canonical_url(a.url);
    return "sha:" + text::hex64(text::hash64(a.title + "\n" + a.body));
}

Article parse_json_article(std::string_view line, const std::string& name, long line_no) {
    return parse_json_article(line, name, line_no, {});
}

namespace {

Article article_from_value(const Json& j, const std::string& name, long line_no, const std::vector<FieldMapping>& map) {
    if (!j.is_object()) throw InputError(name, line_no, "record is not a JSON object");
    const CleanOptions markup{.markup = true};
    Article a;
    a.id = std::string(text::trim(text_field(j, "id", map)));
    a.url = std::string(text::trim(text_field(j, "url", map)));
    a.title = clean_line(text_field(j, "title", map), markup);
    a.body = clean_block(drop_truncation_note(text_field(j, "body", map, "\n")), markup);
    if (a.body.empty()) a.body = clean_block(text_field(j, "description", map, "\n"), markup);
    a.source = clean_line(text_field(j, "source", map), markup);
    a.authors = list_field(j, "authors", map);
    a.language = text::to_lower(clean_line(text_field(j, "language", map)));
    a.dateline = clean_line(text_field(j, "dateline", map), markup);
    a.topics = list_field(j, "topics", map);
    if (a.title.empty() && a.body.empty()) throw InputError(name, line_no, "record has neither title nor text");
    const std::string date = text_field(j, "date", map);
    if (!text::trim(date).empty()) a.date = parse_date(date);  // unreadable: undated, never dropped
    if (a.id.empty()) a.id = fallback_id(a);
    a.origin = name + ":" + std::to_string(line_no);
    return a;
}

/// A whole JSON document (pretty-printed, or an array): its articles are the elements of the top-level
/// array, or of the object's first array member among `articles` (NewsAPI), `items`, `results`, `data`,
/// `documents`; else the object itself. Rejects are numbered by record (1-based), not by line.
void read_json_document(std::string text, const std::string& name, const Sink& sink,
                        const std::vector<FieldMapping>& map) {
    const std::string utf8 = to_utf8(text);
    const Json doc = Json::parse(utf8, nullptr, false);
    if (doc.is_discarded()) {
        sink.reject(Reject{name, 1, "malformed JSON document", text.substr(0, 1 << 16)});
        return;
    }
    const Json* list = doc.is_array() ? &doc : nullptr;
    if (!list && doc.is_object()) {
        for (const char* key : {"articles", "items", "results", "data", "documents"}) {
            if (const auto it = doc.find(key); it != doc.end() && it->is_array()) {
                list = &*it;
                break;
            }
        }
    }
    auto one = [&](const Json& v, long record) {
        try {
            sink.article(article_from_value(v, name, record, map));
        } catch (const InputError& e) {
            sink.reject(Reject{name, record, e.reason(), v.dump(-1, ' ', false, Json::error_handler_t::replace)});
        }
    };
    if (!list) {
        one(doc, 1);
        return;
    }
    long record = 0;
    for (const auto& v : *list) one(v, ++record);
}

/// A first line that starts an array of records: "[" alone, "[{...", or a whole one-line array of
/// objects; not "[1,2,3]", which is a bad JSON Lines record.
bool opens_array_of_records(std::string_view first) {
    const Json j = Json::parse(first, nullptr, false);
    if (j.is_discarded()) return true;  // incomplete on its own line: a document continues below
    return j.is_array() && !j.empty() && j.front().is_object();
}

}  // namespace

Article parse_json_article(std::string_view line, const std::string& name, long line_no,
                           const std::vector<FieldMapping>& map) {
    // Invalid UTF-8 inside strings is transcoded, not rejected: a crawler's Latin-1 is still text.
    const std::string utf8 = to_utf8(line);
    const Json j = Json::parse(utf8, nullptr, false);
    if (j.is_discarded()) throw InputError(name, line_no, "malformed JSON");
    return article_from_value(j, name, line_no, map);
}

void read_jsonl(std::istream& in, const std::string& name, const Sink& sink) { read_jsonl(in, name, sink, {}); }

void read_jsonl(std::istream& in, const std::string& name, const Sink& sink, const std::vector<FieldMapping>& map) {
    LineReader lines(in, kMaxRecordBytes);
    std::string line;
    bool document_checked = false;  // only the first record can open a JSON document
    while (lines.next(line)) {
        const long line_no = lines.line_no();
        if (lines.oversize()) {
            sink.reject(Reject{name, line_no, "record larger than " + std::to_string(kMaxRecordBytes >> 20) + " MB",
                               line});
            continue;
        }
        if (lines.unterminated() && !stream_error(in).empty()) {
            sink.reject(Reject{name, line_no, stream_error(in) + " (last record cut short)", line});
            return;
        }
        if (text::trim(line).empty()) continue;
        const std::string_view first = text::trim(line);
        if (!document_checked && (first == "{" || (first.front() == '[' && opens_array_of_records(first)))) {
            // Not JSON Lines but one JSON document ("{" alone on its line, or an array): read it whole.
            std::string doc(line);
            doc += '\n';
            while (lines.next(line)) {
                if (lines.oversize() || doc.size() + line.size() > kMaxRecordBytes) {
                    sink.reject(Reject{name, 1, "JSON document larger than " + std::to_string(kMaxRecordBytes >> 20) +
                                                    " MB", doc.substr(0, 4096)});
                    return;
                }
                doc += line;
                doc += '\n';
            }
            if (const std::string err = stream_error(in); !err.empty()) {
                sink.reject(Reject{name, 1, err + " (JSON document cut short)", doc.substr(0, 1 << 16)});
                return;
            }
            read_json_document(std::move(doc), name, sink, map);
            return;
        }
        document_checked = true;
        try {
            sink.article(parse_json_article(line, name, line_no, map));
        } catch (const InputError& e) {
            sink.reject(Reject{name, line_no, e.reason(), line});
        }
    }
    if (const std::string err = stream_error(in); !err.empty())
        sink.reject(Reject{name, lines.line_no() + 1, err, {}});
}

}  // namespace morgue::corpus
