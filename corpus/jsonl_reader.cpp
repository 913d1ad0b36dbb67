/** @file jsonl_reader.cpp
 *  @brief JSON Lines reader: one record per line, bad lines rejected one by one.
 */
#include "corpus/jsonl_reader.h"

#include "common/error.h"
#include "common/schema.h"
#include "common/text.h"

#include <nlohmann/json.hpp>

namespace morgue::corpus {

namespace {

std::string string_field(const nlohmann::json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) return {};
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_integer()) return std::to_string(it->get<long long>());
    return {};
}

std::string canonical_url(std::string_view url) {
    url = text::trim(url);
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return std::string(url);
    std::string out = text::to_lower(url.substr(0, scheme_end + 3));
    std::string_view rest = url.substr(scheme_end + 3);
    if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
    const auto host_end = rest.find_first_of("/?");
    out += text::to_lower(rest.substr(0, host_end));
    if (host_end == std::string_view::npos) return out;
    rest.remove_prefix(host_end);
    const auto q = rest.find('?');
    out += rest.substr(0, q);
    if (q == std::string_view::npos) return out;
    std::string_view query = rest.substr(q + 1);
    std::string kept;
    while (!query.empty()) {
        const auto amp = query.find('&');
        std::string_view param = query.substr(0, amp);
        const bool tracking = param.rfind("utm_", 0) == 0 || param.rfind("fbclid", 0) == 0 ||
                              param.rfind("gclid", 0) == 0 || param.rfind("mc_cid", 0) == 0 ||
                              param.rfind("mc_eid", 0) == 0;
        if (!param.empty() && !tracking) {
            kept += kept.empty() ? "?" : "&";
            kept += param;
        }
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return out + kept;
}

}  // namespace

std::string fallback_id(const Article& a) {
    if (!a.url.empty()) return canonical_url(a.url);
    return "sha:" + text::hex64(text::hash64(a.title + "\n" + a.body));
}

Article parse_json_article(std::string_view line, const std::string& name, long line_no) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded()) throw InputError(name, line_no, "malformed JSON");
    if (!j.is_object()) throw InputError(name, line_no, "record is not a JSON object");
    Article a;
    a.id = string_field(j, "id");
    a.url = string_field(j, "url");
    a.title = text::collapse_spaces(string_field(j, "title"));
    a.body = std::string(text::trim(string_field(j, "body")));
    a.source = text::collapse_spaces(string_field(j, "source"));
    a.language = string_field(j, "language");
    if (a.language.empty()) a.language = string_field(j, "lang");
    if (const auto it = j.find("authors"); it != j.end()) {
        if (it->is_array()) {
            for (const auto& v : *it)
                if (v.is_string() && !text::trim(v.get<std::string>()).empty())
                    a.authors.push_back(text::collapse_spaces(v.get<std::string>()));
        } else if (it->is_string() && !text::trim(it->get<std::string>()).empty()) {
            a.authors.push_back(text::collapse_spaces(it->get<std::string>()));
        }
    }
    if (a.title.empty() && a.body.empty()) throw InputError(name, line_no, "record has neither title nor body");
    const std::string date = string_field(j, "date");
    if (!text::trim(date).empty()) {
        a.date = parse_iso8601(date);  // an unreadable date leaves the article undated, never dropped
    }
    if (!text::is_valid_utf8(a.title) || !text::is_valid_utf8(a.body))
        throw InputError(name, line_no, "text is not valid UTF-8");
    if (a.id.empty()) a.id = fallback_id(a);
    a.origin = name + ":" + std::to_string(line_no);
    return a;
}

void read_jsonl(std::istream& in, const std::string& name, const Sink& sink) {
    std::string line;
    long line_no = 0;
    while (std::getline(in, line)) {
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (text::trim(line).empty()) continue;
        if (line.size() > kMaxRecordBytes) {
            sink.reject(Reject{name, line_no, "record larger than " + std::to_string(kMaxRecordBytes >> 20) + " MB",
                               line.substr(0, 4096)});
            continue;
        }
        try {
            sink.article(parse_json_article(line, name, line_no));
        } catch (const InputError& e) {
            sink.reject(Reject{name, line_no, e.reason(), line});
        }
    }
}

}  // namespace morgue::corpus
