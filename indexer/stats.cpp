/** @file stats.cpp
 *  @brief Shard counts, sizes and date ranges from Xapian's own statistics.
 */
#include "indexer/stats.h"

#include "common/archive_layout.h"
#include "common/error.h"
#include "common/schema.h"
#include "indexer/compact.h"

#include <nlohmann/json.hpp>
#include <xapian.h>

#include <algorithm>
#include <sstream>

namespace morgue::indexer {

namespace {

std::string dashed(const std::string& ymd) {
    if (ymd.size() != 8) return {};
    return ymd.substr(0, 4) + "-" + ymd.substr(4, 2) + "-" + ymd.substr(6, 2);
}

}  // namespace

ArchiveStats archive_stats(const std::filesystem::path& dir) {
    ArchiveLayout layout(dir);
    if (!std::filesystem::exists(layout.stub())) throw ArchiveError(dir.string() + ": not a Morgue archive (no XAPIANDB stub)");
    ArchiveStats out;
    for (const auto& name : layout.read_stub()) {
        ShardStats s;
        s.name = name;
        try {
            Xapian::Database db(layout.shard_path(name).string());
            s.articles = db.get_doccount();
            s.duplicates = db.get_termfreq(std::string(schema::kTermDuplicate));
            s.first_date = dashed(db.get_value_lower_bound(schema::kSlotDate));
            s.last_date = dashed(db.get_value_upper_bound(schema::kSlotDate));
        } catch (const Xapian::Error& e) {
            throw ArchiveError(layout.shard_path(name).string() + ": " + e.get_description());
        }
        s.bytes = directory_bytes(layout.shard_path(name));
        out.articles += s.articles;
        out.duplicates += s.duplicates;
        out.bytes += s.bytes;
        if (!s.first_date.empty() && (out.first_date.empty() || s.first_date < out.first_date)) out.first_date = s.first_date;
        if (s.last_date > out.last_date) out.last_date = s.last_date;
        out.shards.push_back(std::move(s));
    }
    return out;
}

std::vector<std::string> list_articles(const std::filesystem::path& dir) {
    ArchiveLayout layout(dir);
    if (!std::filesystem::exists(layout.stub())) throw ArchiveError(dir.string() + ": not a Morgue archive (no XAPIANDB stub)");
    std::vector<std::string> out;
    for (const auto& name : layout.read_stub()) {
        try {
            Xapian::Database db(layout.shard_path(name).string());
            const std::string q(schema::kPrefixId);
            for (auto t = db.allterms_begin(q); t != db.allterms_end(q); ++t) {
                for (auto pl = db.postlist_begin(*t); pl != db.postlist_end(*t); ++pl) {
                    const Xapian::Document doc = db.get_document(*pl);
                    out.push_back(name + '\t' + (*t).substr(q.size()) + '\t' + doc.get_value(schema::kSlotHash) + '\t' +
                                  doc.get_value(schema::kSlotCluster));
                }
            }
        } catch (const Xapian::Error& e) {
            throw ArchiveError(layout.shard_path(name).string() + ": " + e.get_description());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string stats_text(const ArchiveStats& s) {
    std::ostringstream out;
    char line[160];
    std::snprintf(line, sizeof line, "%-10s %10s %10s %12s  %s\n", "shard", "articles", "duplicates", "size", "dates");
    out << line;
    for (const auto& sh : s.shards) {
        std::snprintf(line, sizeof line, "%-10s %10llu %10llu %10.1f MB  %s%s%s\n", sh.name.c_str(),
                      static_cast<unsigned long long>(sh.articles), static_cast<unsigned long long>(sh.duplicates),
                      static_cast<double>(sh.bytes) / 1e6,
                      sh.first_date.c_str(), sh.first_date.empty() ? "" : " .. ", sh.last_date.c_str());
        out << line;
    }
    std::snprintf(line, sizeof line, "%-10s %10llu %10llu %10.1f MB  %s%s%s\n", "total",
                  static_cast<unsigned long long>(s.articles), static_cast<unsigned long long>(s.duplicates),
                  static_cast<double>(s.bytes) / 1e6,
                  s.first_date.c_str(), s.first_date.empty() ? "" : " .. ", s.last_date.c_str());
    out << line;
    std::snprintf(line, sizeof line, "duplicate rate %.2f%% (%llu of %llu articles folded under an earlier copy)\n",
                  s.articles > 0 ? 100.0 * static_cast<double>(s.duplicates) / static_cast<double>(s.articles) : 0.0,
                  static_cast<unsigned long long>(s.duplicates), static_cast<unsigned long long>(s.articles));
    out << line;
    return out.str();
}

std::string stats_json(const ArchiveStats& s) {
    nlohmann::json shards = nlohmann::json::array();
    for (const auto& sh : s.shards) {
        shards.push_back({{"name", sh.name}, {"articles", sh.articles}, {"duplicates", sh.duplicates}, {"bytes", sh.bytes},
                          {"first_date", sh.first_date.empty() ? nlohmann::json(nullptr) : nlohmann::json(sh.first_date)},
                          {"last_date", sh.last_date.empty() ? nlohmann::json(nullptr) : nlohmann::json(sh.last_date)}});
    }
    nlohmann::json j{{"articles", s.articles}, {"duplicates", s.duplicates},
                     {"duplicate_rate", s.articles > 0 ? static_cast<double>(s.duplicates) / static_cast<double>(s.articles) : 0.0},
                     {"bytes", s.bytes},
                     {"first_date", s.first_date.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.first_date)},
                     {"last_date", s.last_date.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.last_date)},
                     {"shards", shards}};
    return j.dump();
}

}  // namespace morgue::indexer
