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
#include <simdjson.h>

#include <array>
#include <cmath>
#include <optional>

namespace morgue::corpus {

namespace {

using Json = nlohmann::json;

/// The longest line simdjson parses; longer ones (rare: a news article is a few KB) go to nlohmann.
constexpr std::size_t kSimdCapacity = 1u << 20;

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

/// What a JSON value is, as the field rules below tell values apart. Integers are one kind, signed or
/// not, as nlohmann's is_number_integer() has them (see JsonNode::integer).
enum class JsonKind { null, boolean, integer, floating, string, array, object };

/// nlohmann's DOM as the field rules see it (whole JSON documents, and JSON lines simdjson refuses).
///
/// The field rules (lookup, as_text, find_field, text_field, list_field, article_from_value) are written
/// once, as templates over a node type with this interface; SimdNode is the other one:
///   - kind();
///   - string(), integer(), floating(): the value of a string, an integer or a float node;
///   - member(key): an object's member of that name; of a repeated name the LAST, as nlohmann keeps it;
///   - element(index): an array's element, if there are that many;
///   - for_each(f): f(node) on each element of an array, in order.
class JsonNode {
  public:
    explicit JsonNode(const Json& j) noexcept : j_(&j) {}

    [[nodiscard]] JsonKind kind() const noexcept {
        switch (j_->type()) {
            case Json::value_t::boolean: return JsonKind::boolean;
            case Json::value_t::number_integer:
            case Json::value_t::number_unsigned: return JsonKind::integer;
            case Json::value_t::number_float: return JsonKind::floating;
            case Json::value_t::string: return JsonKind::string;
            case Json::value_t::array: return JsonKind::array;
            case Json::value_t::object: return JsonKind::object;
            default: return JsonKind::null;
        }
    }
    [[nodiscard]] std::string_view string() const { return j_->get_ref<const std::string&>(); }
    /// An unsigned integer above INT64_MAX wraps to a negative one, as get<long long>() gives it.
    [[nodiscard]] long long integer() const { return j_->get<long long>(); }
    [[nodiscard]] double floating() const { return j_->get<double>(); }
    [[nodiscard]] std::optional<JsonNode> member(std::string_view key) const {
        const auto it = j_->find(key);  // a repeated key was overwritten while parsing: the last is kept
        if (it == j_->end()) return std::nullopt;
        return JsonNode(*it);
    }
    [[nodiscard]] std::optional<JsonNode> element(std::size_t index) const {
        if (index >= j_->size()) return std::nullopt;
        return JsonNode((*j_)[index]);
    }
    template <class F>
    void for_each(F&& f) const {
        for (const auto& e : *j_) f(JsonNode(e));
    }

  private:
    const Json* j_;
};

/// simdjson's DOM as the field rules see it (JSON lines): the same answers JsonNode gives for the
/// same text. A repeated key is kept twice by simdjson (at_key() finds the first), so member() walks
/// the whole object and takes the last; an integer simdjson cannot hold (beyond 64 bits) fails the
/// parse and the line goes to nlohmann, which reads it as a float.
class SimdNode {
  public:
    explicit SimdNode(simdjson::dom::element e) noexcept : e_(e) {}

    [[nodiscard]] JsonKind kind() const noexcept {
        switch (e_.type()) {
            case simdjson::dom::element_type::BOOL: return JsonKind::boolean;
            case simdjson::dom::element_type::INT64:
            case simdjson::dom::element_type::UINT64: return JsonKind::integer;
            case simdjson::dom::element_type::DOUBLE: return JsonKind::floating;
            case simdjson::dom::element_type::STRING: return JsonKind::string;
            case simdjson::dom::element_type::ARRAY: return JsonKind::array;
            case simdjson::dom::element_type::OBJECT: return JsonKind::object;
            default: return JsonKind::null;
        }
    }
    [[nodiscard]] std::string_view string() const noexcept { return get<std::string_view>(); }
    /// As JsonNode::integer: an unsigned integer above INT64_MAX wraps.
    [[nodiscard]] long long integer() const noexcept {
        if (e_.type() == simdjson::dom::element_type::UINT64) return static_cast<long long>(get<std::uint64_t>());
        return get<std::int64_t>();
    }
    [[nodiscard]] double floating() const noexcept { return get<double>(); }
    [[nodiscard]] std::optional<SimdNode> member(std::string_view key) const noexcept {
        std::optional<SimdNode> last;
        for (const simdjson::dom::key_value_pair field : get<simdjson::dom::object>())
            if (field.key == key) last = SimdNode(field.value);
        return last;
    }
    [[nodiscard]] std::optional<SimdNode> element(std::size_t index) const noexcept {
        simdjson::dom::element e;
        if (get<simdjson::dom::array>().at(index).get(e) != simdjson::SUCCESS) return std::nullopt;
        return SimdNode(e);
    }
    template <class F>
    void for_each(F&& f) const {
        for (const simdjson::dom::element e : get<simdjson::dom::array>()) f(SimdNode(e));
    }

  private:
    /// The value as T, of the kind() the caller has checked.
    template <class T>
    [[nodiscard]] T get() const noexcept {
        T value{};
        if (e_.get<T>().get(value) != simdjson::SUCCESS) return T{};
        return value;
    }

    simdjson::dom::element e_;
};

/// The value at a dotted path ("source.name", "meta.0.headline": a number indexes an array), or
/// nothing when the path leads nowhere or to null.
template <class Node>
std::optional<Node> lookup(Node cur, std::string_view path) {
    while (!path.empty()) {
        const auto dot = path.find('.');
        const std::string_view key = path.substr(0, dot);
        path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
        std::optional<Node> next;
        if (cur.kind() == JsonKind::object) {
            next = cur.member(key);
        } else if (cur.kind() == JsonKind::array && !key.empty() &&
                   key.find_first_not_of("0123456789") == std::string_view::npos && key.size() < 9) {
            next = cur.element(std::stoul(std::string(key)));
        }
        if (!next) return std::nullopt;
        cur = *next;
    }
    if (cur.kind() == JsonKind::null) return std::nullopt;
    return cur;
}

/// A value as text: strings as they are, numbers in decimal, {"name": ...} objects by their name,
/// arrays of strings joined by `joiner`.
template <class Node>
std::string as_text(const Node& v, std::string_view joiner) {
    switch (v.kind()) {
        case JsonKind::string: return std::string(v.string());
        case JsonKind::integer: return std::to_string(v.integer());
        case JsonKind::floating: {
            const double d = v.floating();
            return std::isfinite(d) && std::fabs(d) < 1e15 ? std::to_string(static_cast<long long>(d))
                                                            : std::string{};
        }
        case JsonKind::object: {
            if (const auto name = v.member("name"); name && name->kind() == JsonKind::string)
                return std::string(name->string());
            return {};
        }
        case JsonKind::array: {
            std::string out;
            v.for_each([&](const Node& e) {
                const std::string part = as_text(e, joiner);
                if (part.empty()) return;
                if (!out.empty()) out += joiner;
                out += part;
            });
            return out;
        }
        default: return {};
    }
}

template <class Node>
std::optional<Node> find_field(const Node& j, std::string_view field, const std::vector<FieldMapping>& map) {
    for (const auto& m : map) {
        if (m.field != field) continue;
        if (auto v = lookup(j, m.path)) return v;
    }
    for (const auto& f : k_fields) {
        if (f.field != field) continue;
        for (const auto& path : f.paths) {
            if (path.empty()) break;
            if (auto v = lookup(j, path)) {
                if (v->kind() == JsonKind::string && text::trim(v->string()).empty()) continue;
                return v;
            }
        }
    }
    return std::nullopt;
}

template <class Node>
std::string text_field(const Node& j, std::string_view field, const std::vector<FieldMapping>& map,
                       std::string_view joiner = " ") {
    const auto v = find_field(j, field, map);
    return v ? as_text(*v, joiner) : std::string{};
}

template <class Node>
std::vector<std::string> list_field(const Node& j, std::string_view field, const std::vector<FieldMapping>& map) {
    std::vector<std::string> out;
    const auto v = find_field(j, field, map);
    if (!v) return out;
    const CleanOptions markup{.markup = true};
    auto add = [&](const Node& e) {
        std::string s = clean_line(as_text(e, " "), markup);
        if (!s.empty()) out.push_back(std::move(s));
    };
    if (v->kind() == JsonKind::array) {
        v->for_each(add);
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

template <class Node>
Article article_from_value(const Node& j, const std::string& name, long line_no, const std::vector<FieldMapping>& map) {
    if (j.kind() != JsonKind::object) throw InputError(name, line_no, "record is not a JSON object");
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
            sink.article(article_from_value(JsonNode(v), name, record, map));
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
    // simdjson's DOM, several times faster than nlohmann's (whose lexer and DOM building were 6% of
    // an `add`). Whatever simdjson refuses goes to nlohmann, which says whether it is JSON: integers
    // beyond 64 bits (nlohmann reads them as floats), nesting deeper than 1,024, a BOM before the
    // record, a NUL after it (where nlohmann stops reading), and lines over kSimdCapacity (a parser
    // keeps over ten times the longest line it has read). No line is known that simdjson accepts and
    // nlohmann refuses (control characters, lone surrogates, bad escapes and numbers: both refuse).
    thread_local simdjson::dom::parser parser(kSimdCapacity);
    thread_local std::string padded;  // simdjson reads up to SIMDJSON_PADDING bytes past the end
    padded.assign(utf8);
    padded.append(simdjson::SIMDJSON_PADDING, ' ');
    simdjson::dom::element root;
    if (parser.parse(padded.data(), utf8.size(), false).get(root) == simdjson::SUCCESS)
        return article_from_value(SimdNode(root), name, line_no, map);
    const Json j = Json::parse(utf8, nullptr, false);
    if (j.is_discarded()) throw InputError(name, line_no, "malformed JSON");
    return article_from_value(JsonNode(j), name, line_no, map);
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
