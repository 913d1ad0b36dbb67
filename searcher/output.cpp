/** @file output.cpp
 *  @brief Rendering results, facets and whole articles.
 */
#include "searcher/output.h"

#include "common/date.h"
#include "common/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

namespace morgue::searcher {

namespace {

constexpr std::array<EntityKind, 4> k_kinds{EntityKind::Person, EntityKind::Org, EntityKind::Place, EntityKind::Misc};

int salience(const ArticleEntity& e) { return std::max(1, e.mentions) + (e.in_title ? 5 : 0) + (e.in_lead ? 2 : 0); }

/// An article's entities of one kind, most central first.
std::vector<const ArticleEntity*> entities_of(const Article& a, EntityKind kind) {
    std::vector<const ArticleEntity*> out;
    for (const auto& e : a.entities)
        if (e.kind == kind && !e.name.empty()) out.push_back(&e);
    std::stable_sort(out.begin(), out.end(), [](const ArticleEntity* x, const ArticleEntity* y) {
        return salience(*x) != salience(*y) ? salience(*x) > salience(*y) : x->name < y->name;
    });
    return out;
}

nlohmann::json entity_names(const Article& a) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto kind : k_kinds) {
        nlohmann::json names = nlohmann::json::array();
        for (const auto* e : entities_of(a, kind)) names.push_back(e->name);
        j[std::string(entity_kind_name(kind))] = names;
    }
    return j;
}

nlohmann::json iso_or_null(const std::optional<UnixTime>& t) {
    return t ? nlohmann::json(format_iso8601(*t)) : nlohmann::json(nullptr);
}

nlohmann::json hit_json(const SearchHit& h) {
    const auto& a = h.article;
    return {{"rank", h.rank},     {"id", h.id},         {"score", h.score},       {"title", a.title},
            {"date", iso_or_null(a.date)}, {"source", a.source}, {"url", a.url}, {"snippet", h.snippet},
            {"similar", h.similar}, {"partial", h.partial}, {"entities", entity_names(a)}};
}

nlohmann::json facets_json(const Facets& f) {
    auto list = [](const std::vector<FacetCount>& v) {
        nlohmann::json j = nlohmann::json::array();
        for (const auto& c : v) j.push_back({{"name", c.name}, {"count", c.count}});
        return j;
    };
    nlohmann::json buckets = nlohmann::json::array();
    for (const auto& b : f.buckets) buckets.push_back({{"start", b.start}, {"count", b.count}, {"share", b.share}});
    return {{"person", list(f.person)},
            {"org", list(f.org)},
            {"place", list(f.place)},
            {"misc", list(f.misc)},
            {"source", list(f.source)},
            {"time", {{"unit", f.unit.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.unit)},
                      {"buckets", buckets},
                      {"undated", f.undated}}},
            {"sampled", f.sampled ? nlohmann::json(*f.sampled) : nlohmann::json(nullptr)},
            {"seconds", f.seconds}};
}

std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

std::string bar(double fraction, std::size_t width) {
    const auto n = static_cast<std::size_t>(std::lround(std::clamp(fraction, 0.0, 1.0) * static_cast<double>(width)));
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += "\xE2\x96\x88";  // full block
    if (n == 0 && fraction > 0) s = "\xE2\x96\x8F";           // a sliver for small non-zero counts
    return s;
}

std::string pad(const std::string& s, std::size_t width) {
    std::size_t chars = 0;
    for (const unsigned char c : s) chars += (c & 0xC0) != 0x80;
    return chars >= width ? s : s + std::string(width - chars, ' ');
}

std::string bucket_label(const std::string& start, const std::string& unit) {
    if (unit == "year") return start.substr(0, 4);
    if (unit == "month") return start.substr(0, 7);
    return start;
}

}  // namespace

std::string results_text(const SearchResults& r) {
    std::ostringstream out;
    out << r.total << (r.total_exact ? "" : " (about)") << " matching articles";
    if (!r.like_id.empty()) out << " like " << r.like_id;
    if (!r.query.empty()) out << " for '" << r.query << "'";
    if (r.total_folded != r.total)
        out << ", " << (r.total_folded_exact ? "" : "about ") << r.total_folded << " once near-duplicate copies are folded";
    if (r.partial) out << " - no article has all the words; showing the best partial matches";
    out << "\n";
    if (!r.did_you_mean.empty()) out << "Did you mean: " << r.did_you_mean << "\n";
    out << "\n";
    bool all_words = !r.partial;
    for (const auto& h : r.hits) {
        const auto& a = h.article;
        if (all_words && h.partial) {
            out << "-- articles with only some of the words --\n\n";
            all_words = false;
        }
        out << h.rank << ". " << (a.date ? format_iso8601(*a.date).substr(0, 10) : std::string("undated"));
        if (!a.source.empty()) out << "  " << a.source;
        if (h.similar > 0) out << "  (and " << h.similar << " similar)";
        out << "\n   " << (h.title_highlighted.empty() ? a.title : h.title_highlighted) << '\n';
        if (!a.url.empty()) out << "   " << a.url << '\n';
        if (!h.snippet.empty()) out << "   " << h.snippet << '\n';
        std::string ents;
        for (const auto kind : k_kinds) {
            const auto list = entities_of(a, kind);
            if (list.empty()) continue;
            ents += ents.empty() ? "" : "; ";
            ents += std::string(entity_kind_name(kind)) + ": ";
            for (std::size_t i = 0; i < list.size() && i < 3; ++i) ents += (i ? ", " : "") + list[i]->name;
        }
        if (!ents.empty()) out << "   [" << ents << "]\n";
        out << '\n';
    }
    if (r.facets) out << facets_text(*r.facets);
    return out.str();
}

std::string facets_text(const Facets& f) {
    std::ostringstream out;
    out << "Facets";
    if (f.sampled) out << " (people, organisations, places: from a sample of " << *f.sampled << " matches)";
    out << "\n";
    auto list = [&](const char* title, const std::vector<FacetCount>& v) {
        if (v.empty()) return;
        out << "\n" << title << "\n";
        const double top = static_cast<double>(v.front().count);
        for (const auto& c : v)
            out << "  " << pad(c.name, 24) << " " << pad(bar(static_cast<double>(c.count) / top, 20), 20) << " "
                << c.count << "\n";
    };
    list("People", f.person);
    list("Organisations", f.org);
    list("Places", f.place);
    list("Other names", f.misc);
    list("Sources", f.source);
    if (!f.buckets.empty()) {
        out << "\nOver time (per " << f.unit << "; share of all the archive's articles of that " << f.unit << ")\n";
        std::uint64_t top = 1;
        for (const auto& b : f.buckets) top = std::max(top, b.count);
        for (const auto& b : f.buckets) {
            char share[32];
            std::snprintf(share, sizeof share, "%5.1f%%", b.share * 100.0);
            out << "  " << pad(bucket_label(b.start, f.unit), 10) << " "
                << pad(bar(static_cast<double>(b.count) / static_cast<double>(top), 30), 30) << " " << b.count << "  "
                << share << "\n";
        }
    }
    if (f.undated) out << "  undated: " << f.undated << "\n";
    return out.str();
}

std::string results_json(const SearchResults& r) {
    nlohmann::json results = nlohmann::json::array();
    for (const auto& h : r.hits) results.push_back(hit_json(h));
    nlohmann::json j{{"query", r.query},
                     {"total", r.total},
                     {"total_exact", r.total_exact},
                     {"total_folded_exact", r.total_folded_exact},
                     {"total_folded", r.total_folded},
                     {"partial", r.partial},
                     {"did_you_mean", r.did_you_mean.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.did_you_mean)},
                     {"sort", std::string(sort_order_name(r.sort))},
                     {"like", r.like_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.like_id)},
                     {"results", results}};
    if (r.facets) j["facets"] = facets_json(*r.facets);
    if (!r.missing_shards.empty()) j["missing_shards"] = r.missing_shards;
    return dump(j);
}

std::string results_jsonl(const SearchResults& r) {
    std::string out;
    for (const auto& h : r.hits) out += dump(hit_json(h)) + "\n";
    return out;
}

std::string article_text(const Article& a) {
    std::ostringstream out;
    out << a.title << "\n\n";
    out << "id:       " << a.id << "\n";
    out << "date:     " << (a.date ? format_iso8601(*a.date) : std::string("undated")) << "\n";
    if (!a.source.empty()) out << "source:   " << a.source << "\n";
    if (!a.url.empty()) out << "url:      " << a.url << "\n";
    if (!a.authors.empty()) {
        out << "authors: ";
        for (const auto& au : a.authors) out << " " << au;
        out << "\n";
    }
    if (!a.language.empty()) out << "language: " << a.language << "\n";
    if (!a.dateline.empty()) out << "dateline: " << a.dateline << "\n";
    if (!a.topics.empty()) {
        out << "topics:  ";
        for (const auto& t : a.topics) out << " " << t;
        out << "\n";
    }
    for (const auto kind : k_kinds) {
        const auto list = entities_of(a, kind);
        if (list.empty()) continue;
        out << pad(std::string(entity_kind_name(kind)) + ":", 10);
        for (std::size_t i = 0; i < list.size(); ++i)
            out << (i ? ", " : "") << list[i]->name << " (" << list[i]->mentions << ")";
        out << "\n";
    }
    out << "\n" << a.body << "\n";
    for (const auto& c : a.captions) out << "\n[" << c << "]\n";
    return out.str();
}

std::string article_json(const Article& a) {
    nlohmann::json ents = nlohmann::json::object();
    for (const auto kind : k_kinds) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto* e : entities_of(a, kind))
            list.push_back({{"name", e->name}, {"key", e->key}, {"mentions", e->mentions}, {"in_title", e->in_title},
                            {"in_lead", e->in_lead}, {"given", e->given}});
        ents[std::string(entity_kind_name(kind))] = list;
    }
    const nlohmann::json j{{"id", a.id},           {"url", a.url},           {"title", a.title},
                           {"date", iso_or_null(a.date)}, {"source", a.source}, {"authors", a.authors},
                           {"language", a.language}, {"dateline", a.dateline}, {"topics", a.topics},
                           {"captions", a.captions}, {"entities", ents},      {"body", a.body}};
    return dump(j);
}

void plot_histogram(const Facets& f, const std::string& query, const std::string& png_path) {
    if (f.buckets.empty()) throw Error("--plot: nothing dated matched, no histogram to draw");
    if (png_path.find_first_of("\"\\\n`$") != std::string::npos)
        throw UsageError("--plot: '" + png_path + "': quotes, backslashes and $ are not allowed in the file name");
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("morgue-plot-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path data = dir / "buckets.tsv", script = dir / "plot.gp";
    {
        std::ofstream d(data);
        for (const auto& b : f.buckets) d << b.start << '\t' << b.count << '\t' << b.share * 100.0 << '\n';
    }
    std::string title = query;
    for (char& c : title)
        if (c == '"' || c == '\\' || c == '\n') c = ' ';
    {
        std::ofstream g(script);
        g << "set terminal png size 1000,500\n"
          << "set output \"" << png_path << "\"\n"
          << "set datafile separator \"\\t\"\n"
          << "set xdata time\nset timefmt \"%Y-%m-%d\"\n"
          << "set format x \"" << (f.unit == "year" ? "%Y" : f.unit == "month" ? "%Y-%m" : "%Y-%m-%d") << "\"\n"
          << "set xtics rotate by -45\nset ylabel \"matching articles per " << f.unit << "\"\n"
          << "set y2label \"share of the archive (%)\"\nset y2tics\nset ytics nomirror\n"
          << "set style fill solid 0.6\nset boxwidth 0.8 relative\n"
          << "set title \"" << title << "\"\n"
          << "plot \"" << data.string() << "\" using 1:2 with boxes title \"matches\", \"" << data.string()
          << "\" using 1:3 axes x1y2 with linespoints title \"share (%)\"\n";
    }
    const std::string cmd = "gnuplot \"" + script.string() + "\" 2>\"" + (dir / "err").string() + "\"";
    const int rc = std::system(cmd.c_str());
    std::string err;
    if (rc != 0) {
        std::ifstream e(dir / "err");
        std::getline(e, err);
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
    if (rc != 0) throw Error("--plot: gnuplot failed (is gnuplot installed?): " + err);
}

}  // namespace morgue::searcher
