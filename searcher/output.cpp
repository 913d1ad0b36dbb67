/** @file output.cpp
 *  @brief Rendering results.
 */
#include "searcher/output.h"

#include "common/date.h"

#include <nlohmann/json.hpp>

#include <sstream>

namespace morgue::searcher {

std::string results_text(const SearchResults& r) {
    std::ostringstream out;
    out << r.total << (r.total_exact ? "" : " (about)") << " matching articles for '" << r.query << "'";
    if (r.partial) out << " - no article has all the words; showing the best partial matches";
    out << "\n\n";
    for (const auto& h : r.hits) {
        const auto& a = h.article;
        out << h.rank << ". " << (a.date ? format_iso8601(*a.date).substr(0, 10) : std::string("undated"));
        if (!a.source.empty()) out << "  " << a.source;
        out << "\n   " << (h.title_highlighted.empty() ? a.title : h.title_highlighted) << '\n';
        if (!a.url.empty()) out << "   " << a.url << '\n';
        if (!h.snippet.empty()) out << "   " << h.snippet << '\n';
        out << '\n';
    }
    return out.str();
}

std::string results_json(const SearchResults& r) {
    nlohmann::json results = nlohmann::json::array();
    for (const auto& h : r.hits) {
        const auto& a = h.article;
        results.push_back({{"rank", h.rank},
                           {"id", h.id},
                           {"score", h.score},
                           {"title", a.title},
                           {"date", a.date ? nlohmann::json(format_iso8601(*a.date)) : nlohmann::json(nullptr)},
                           {"source", a.source},
                           {"url", a.url},
                           {"snippet", h.snippet}});
    }
    nlohmann::json j{{"query", r.query}, {"total", r.total}, {"total_exact", r.total_exact},
                     {"partial", r.partial}, {"results", results}};
    if (!r.missing_shards.empty()) j["missing_shards"] = r.missing_shards;
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace morgue::searcher
