/** @file census.cpp
 *  @brief Table sizes from each shard's glass files; term kinds from the combined term dictionary.
 */
#include "benchmarks/census.h"

#include "benchmarks/store_walk.h"
#include "common/archive_layout.h"
#include "common/error.h"
#include "common/schema.h"
#include "searcher/archive_reader.h"

#include <nlohmann/json.hpp>
#include <xapian.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <unordered_map>

namespace morgue::bench {

namespace {

/// The kind of a term: Omega-style capital prefix ("X..." up to its colon), with a "Z" stem mark kept.
std::string term_kind(const std::string& term) {
    std::size_t i = 0;
    if (i < term.size() && term[i] == 'Z') ++i;
    if (i < term.size() && term[i] == 'X') {
        const auto colon = term.find(':', i);
        return colon == std::string::npos ? term : term.substr(0, colon + 1);
    }
    while (i < term.size() && term[i] >= 'A' && term[i] <= 'Z') ++i;
    return term.substr(0, i);
}

}  // namespace

Census take_census(const std::string& archive) {
    Census c;
    const ArchiveLayout layout(archive);
    for (const auto& name : layout.read_stub()) {
        ++c.shards;
        std::error_code ec;
        for (const auto& f : std::filesystem::directory_iterator(layout.shard_path(name), ec)) {
            const std::string file = f.path().filename().string();
            const auto dot = file.find(".glass");
            if (dot == std::string::npos) continue;
            c.table_bytes[file.substr(0, dot)] += f.file_size(ec);
        }
    }
    try {
        const Xapian::Database db = searcher::open_archive(archive);
        c.documents = db.get_doccount();
        std::unordered_map<std::string, TermKindCount> kinds;
        for (auto t = db.allterms_begin(); t != db.allterms_end(); ++t) {
            const std::string term = *t;
            TermKindCount& k = kinds[term_kind(term)];
            ++k.distinct;
            k.postings += t.get_termfreq();
            k.occurrences += db.get_collection_freq(term);
            k.term_bytes += term.size();
        }
        for (auto& [kind, k] : kinds) {
            k.kind = kind;
            c.terms.push_back(k);
        }
        std::sort(c.terms.begin(), c.terms.end(), [](const auto& a, const auto& b) { return a.postings > b.postings; });
        for (auto d = db.postlist_begin(""); d != db.postlist_end(""); ++d) {
            const std::string data = db.get_document(*d).get_data();
            try {
                const StoredBytes bytes = stored_bytes(data);
                c.frame_bytes += bytes.frame;
                c.sketch_bytes += bytes.sketch;
            } catch (const Error& e) {
                throw ArchiveError(archive + ": document " + std::to_string(*d) + ": " + e.what());
            }
        }
        for (Xapian::valueno slot = 0; slot <= schema::kSlotDictionary; ++slot) {
            std::uint64_t bytes = 0;
            for (auto v = db.valuestream_begin(slot); v != db.valuestream_end(slot); ++v) bytes += (*v).size();
            if (bytes > 0) c.value_bytes[slot] = bytes;
        }
    } catch (const Xapian::Error& e) {
        throw ArchiveError(archive + ": " + e.get_description());
    }
    return c;
}

std::string census_text(const Census& c) {
    std::string out;
    char buf[256];
    std::uint64_t total = 0;
    for (const auto& [t, b] : c.table_bytes) total += b;
    std::snprintf(buf, sizeof buf, "%llu documents in %llu shards, %.1f MB of tables\n",
                  static_cast<unsigned long long>(c.documents), static_cast<unsigned long long>(c.shards),
                  static_cast<double>(total) / 1e6);
    out += buf;
    out += "table        MB      share\n";
    for (const auto& [t, b] : c.table_bytes) {
        std::snprintf(buf, sizeof buf, "%-10s %8.2f %7.1f%%\n", t.c_str(), static_cast<double>(b) / 1e6,
                      total > 0 ? 100.0 * static_cast<double>(b) / static_cast<double>(total) : 0.0);
        out += buf;
    }
    const double docs = c.documents > 0 ? static_cast<double>(c.documents) : 1.0;
    out += "term kind       distinct    postings   per doc  occurrences  per doc\n";
    for (const auto& k : c.terms) {
        std::snprintf(buf, sizeof buf, "%-12s %11llu %11llu %9.1f %12llu %8.1f\n",
                      k.kind.empty() ? "(words)" : k.kind.c_str(), static_cast<unsigned long long>(k.distinct),
                      static_cast<unsigned long long>(k.postings), static_cast<double>(k.postings) / docs,
                      static_cast<unsigned long long>(k.occurrences), static_cast<double>(k.occurrences) / docs);
        out += buf;
    }
    std::snprintf(buf, sizeof buf, "document data: %.1f MB of zstd frames, %.1f MB of word sketches (%.1f bytes per doc)\n",
                  static_cast<double>(c.frame_bytes) / 1e6, static_cast<double>(c.sketch_bytes) / 1e6,
                  static_cast<double>(c.sketch_bytes) / docs);
    out += buf;
    out += "value slot   bytes per doc\n";
    for (const auto& [slot, b] : c.value_bytes) {
        std::snprintf(buf, sizeof buf, "%-10u %8.1f\n", slot, static_cast<double>(b) / docs);
        out += buf;
    }
    return out;
}

std::string census_json(const Census& c) {
    nlohmann::json j{{"documents", c.documents}, {"shards", c.shards}};
    j["tables"] = nlohmann::json::object();
    for (const auto& [t, b] : c.table_bytes) j["tables"][t] = b;
    j["terms"] = nlohmann::json::array();
    for (const auto& k : c.terms)
        j["terms"].push_back({{"kind", k.kind}, {"distinct", k.distinct}, {"postings", k.postings},
                              {"occurrences", k.occurrences}, {"term_bytes", k.term_bytes}});
    j["frame_bytes"] = c.frame_bytes;
    j["sketch_bytes"] = c.sketch_bytes;
    j["value_bytes"] = nlohmann::json::object();
    for (const auto& [slot, b] : c.value_bytes) j["value_bytes"][std::to_string(slot)] = b;
    return j.dump();
}

}  // namespace morgue::bench
