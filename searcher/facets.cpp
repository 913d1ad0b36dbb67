/** @file facets.cpp
 *  @brief Match spies for sources and days, a term-list pass for entities, buckets for time.
 */
#include "searcher/facets.h"

#include "common/date.h"
#include "common/error.h"
#include "common/schema.h"
#include "searcher/archive_reader.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <unordered_map>

namespace morgue::searcher {

namespace {

std::int64_t day_number(const std::string& ymd) {
    return days_from_civil(std::stoi(ymd.substr(0, 4)), std::stoi(ymd.substr(4, 2)), std::stoi(ymd.substr(6, 2)));
}

std::string ymd_of(std::int64_t day) {
    const CivilDate d = civil_from_days(day);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d%02d%02d", d.year, d.month, d.day);
    return buf;
}

/// First day of the bucket holding day.
std::int64_t bucket_start(std::int64_t day, const std::string& unit) {
    if (unit == "day") return day;
    if (unit == "week") return day - ((day + 3) % 7 + 7) % 7;  // 1970-01-01 was a Thursday
    const CivilDate d = civil_from_days(day);
    if (unit == "month") return days_from_civil(d.year, d.month, 1);
    return days_from_civil(d.year, 1, 1);
}

std::int64_t next_bucket(std::int64_t start, const std::string& unit) {
    if (unit == "day") return start + 1;
    if (unit == "week") return start + 7;
    const CivilDate d = civil_from_days(start);
    if (unit == "month") return d.month == 12 ? days_from_civil(d.year + 1, 1, 1) : days_from_civil(d.year, d.month + 1, 1);
    return days_from_civil(d.year + 1, 1, 1);
}

/// Articles of the whole archive in a bucket, from the date terms the indexer writes.
std::uint64_t archive_count(const Xapian::Database& db, std::int64_t start, const std::string& unit) {
    const std::string ymd = ymd_of(start);
    std::string term;
    if (unit == "day") term = std::string(schema::kPrefixDay).append(ymd);
    if (unit == "month") term = std::string(schema::kPrefixMonth).append(ymd, 0, 6);
    if (unit == "year") term = std::string(schema::kPrefixYear).append(ymd, 0, 4);
    if (!term.empty()) return db.get_termfreq(term);
    std::uint64_t n = 0;
    for (int i = 0; i < 7; ++i) n += db.get_termfreq(std::string(schema::kPrefixDay).append(ymd_of(start + i)));
    return n;
}

std::vector<FacetCount> top_of(const std::unordered_map<std::string, std::uint64_t>& counts, std::size_t top) {
    std::vector<FacetCount> out;
    out.reserve(counts.size());
    for (const auto& [name, n] : counts) out.push_back({name, n});
    // Most first; equal counts by name, so the list is the same every run.
    std::sort(out.begin(), out.end(), [](const FacetCount& a, const FacetCount& b) {
        return a.count != b.count ? a.count > b.count : a.name < b.name;
    });
    if (out.size() > top) out.resize(top);
    return out;
}

}  // namespace

std::string time_unit_for_span(std::int64_t days) {
    if (days <= 62) return "day";
    if (days <= 62 * 7) return "week";
    if (days <= 62 * 31) return "month";
    return "year";
}

Facets compute_facets(const Xapian::Database& db, const Xapian::Query& query, const FacetOptions& options) {
    const auto t0 = std::chrono::steady_clock::now();
    Facets out;
    try {
        Xapian::Enquire enquire(db);
        enquire.set_query(query);
        // Facets are about the set, not the order: no scoring, document order.
        enquire.set_weighting_scheme(Xapian::BoolWeight());
        enquire.set_docid_order(Xapian::Enquire::ASCENDING);
        Xapian::ValueCountMatchSpy sources(schema::kSlotSource);
        Xapian::ValueCountMatchSpy days(schema::kSlotDate);
        enquire.add_matchspy(&sources);
        enquire.add_matchspy(&days);
        const Xapian::MSet mset =
            enquire.get_mset(0, static_cast<Xapian::doccount>(options.sample), db.get_doccount());
        const std::uint64_t total = mset.get_matches_lower_bound();
        if (total > mset.size()) out.sampled = mset.size();

        // Entities, from the entity terms of each article read.
        struct Kind {
            std::string prefix;
            std::unordered_map<std::string, std::uint64_t> counts;
            std::unordered_map<std::string, Xapian::docid> example;
        };
        std::array<Kind, 4> kinds{{{"XPERSON:", {}, {}}, {"XORG:", {}, {}}, {"XPLACE:", {}, {}}, {"XMISC:", {}, {}}}};
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            const Xapian::docid did = *it;
            auto t = db.termlist_begin(did);
            t.skip_to("XMISC:");
            for (; t != db.termlist_end(did); ++t) {
                const std::string term = *t;
                if (term >= "XPLACE;") break;
                for (auto& k : kinds) {
                    if (term.compare(0, k.prefix.size(), k.prefix) != 0) continue;
                    const std::string key = term.substr(k.prefix.size());
                    if (++k.counts[key] == 1) k.example[key] = did;
                }
            }
        }
        // Display names: the name one article gives the entity, else its key.
        DictionaryCache& dicts = thread_dictionaries();
        auto named = [&](Kind& k) {
            std::vector<FacetCount> list = top_of(k.counts, options.top);
            for (auto& f : list) {
                try {
                    const Article a = read_article(db, db.get_document(k.example[f.name]), dicts);
                    for (const auto& e : a.entities) {
                        if (schema::make_term(k.prefix, e.key) == k.prefix + f.name && !e.name.empty()) {
                            f.name = e.name;
                            break;
                        }
                    }
                } catch (const Error&) {
                    // An unreadable article keeps the key as the name.
                }
            }
            return list;
        };
        out.person = named(kinds[0]);
        out.org = named(kinds[1]);
        out.place = named(kinds[2]);
        out.misc = named(kinds[3]);

        std::unordered_map<std::string, std::uint64_t> source_counts;
        for (auto v = sources.values_begin(); v != sources.values_end(); ++v) source_counts[*v] = v.get_termfreq();
        out.source = top_of(source_counts, options.top);

        // Time: the day spy saw every match; undated ones have no value.
        std::map<std::int64_t, std::uint64_t> per_day;
        std::uint64_t dated = 0;
        for (auto v = days.values_begin(); v != days.values_end(); ++v) {
            const std::string ymd = *v;
            if (ymd.size() != 8) continue;
            per_day[day_number(ymd)] += v.get_termfreq();
            dated += v.get_termfreq();
        }
        out.undated = total >= dated ? total - dated : 0;
        if (!per_day.empty()) {
            const std::int64_t first = per_day.begin()->first, last = per_day.rbegin()->first;
            out.unit = time_unit_for_span(last - first + 1);
            auto day = per_day.begin();
            for (std::int64_t start = bucket_start(first, out.unit); start <= last; start = next_bucket(start, out.unit)) {
                const std::int64_t end = next_bucket(start, out.unit);
                TimeBucket b;
                const CivilDate d = civil_from_days(start);
                char buf[16];
                std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
                b.start = buf;
                for (; day != per_day.end() && day->first < end; ++day) b.count += day->second;
                const std::uint64_t all = archive_count(db, start, out.unit);
                b.share = all ? static_cast<double>(b.count) / static_cast<double>(all) : 0.0;
                out.buckets.push_back(std::move(b));
            }
        }
    } catch (const Xapian::Error& e) {
        throw ArchiveError(e.get_description());
    }
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return out;
}

}  // namespace morgue::searcher
