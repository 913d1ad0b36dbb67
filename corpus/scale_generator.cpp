/** @file scale_generator.cpp
 *  @brief Paragraph pool from the shared corpora, then seeded recombination.
 */
#include "corpus/scale_generator.h"

#include "common/article.h"
#include "common/date.h"
#include "common/error.h"
#include "corpus/reader.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <deque>
#include <ostream>
#include <random>
#include <string>
#include <vector>

namespace morgue::corpus {

namespace {

struct Story {
    std::string title;
    std::vector<std::string> paragraphs;
};

std::vector<std::string> split_paragraphs(const std::string& body) {
    std::vector<std::string> out;
    std::string cur;
    auto flush = [&] {
        while (!cur.empty() && (cur.back() == ' ' || cur.back() == '\n')) cur.pop_back();
        if (cur.size() > 40) out.push_back(cur);
        cur.clear();
    };
    std::size_t i = 0;
    while (i < body.size()) {
        std::size_t nl = body.find('\n', i);
        if (nl == std::string::npos) nl = body.size();
        std::string line = body.substr(i, nl - i);
        i = nl + 1;
        const auto first = line.find_first_not_of(" \t");
        if (first == std::string::npos) {
            flush();
            continue;
        }
        if (first >= 2) flush();  // Reuters indents each paragraph
        if (!cur.empty()) cur += ' ';
        cur += line.substr(first);
    }
    flush();
    return out;
}

/// Figures redrawn, so that recombined paragraphs are not byte-identical.
std::string redraw_digits(const std::string& text, std::mt19937_64& rng) {
    std::string out = text;
    std::uniform_int_distribution<int> digit(0, 9);
    for (std::size_t k = 0; k < out.size(); ++k) {
        if (out[k] >= '0' && out[k] <= '9' && (k + 1 >= out.size() || rng() % 3 != 0)) out[k] = static_cast<char>('0' + digit(rng));
    }
    return out;
}

constexpr std::array<const char*, 24> k_cities = {
    "Harbor", "Capital", "Northern", "Valley", "Coastal", "Metro", "Prairie", "Lakeside",
    "Summit", "River", "Bay", "Highland", "Eastern", "Western", "Southern", "Island",
    "Delta", "Frontier", "Union", "Pacific", "Atlantic", "Central", "Granite", "Cedar"};
constexpr std::array<const char*, 8> k_nouns = {"Wire", "Ledger", "Dispatch", "Herald", "Times", "Post", "Courier", "Tribune"};
constexpr std::size_t k_sources = 96;

std::string source_name(std::size_t i) {
    return std::string(k_cities[i % k_cities.size()]) + " " + k_nouns[(i / k_cities.size()) % k_nouns.size()];
}

std::string host_of(const std::string& source) {
    std::string h;
    for (char c : source)
        if (c != ' ') h += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    return h + ".example";
}

std::string slug(const std::string& title) {
    std::string s;
    for (char c : title) {
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) s += c;
        else if (c >= 'A' && c <= 'Z') s += static_cast<char>(c + 32);
        else if (!s.empty() && s.back() != '-') s += '-';
        if (s.size() >= 60) break;
    }
    while (!s.empty() && s.back() == '-') s.pop_back();
    return s.empty() ? "story" : s;
}

}  // namespace

std::uint64_t write_scale_corpus(const ScaleOptions& options, std::ostream& out, std::ostream* log) {
    const auto reuters = options.shared / "corpus" / "reuters21578";
    const auto rcv1 = options.shared / "corpus" / "rcv1_ifn647" / "docs";
    if (!std::filesystem::exists(reuters) && !std::filesystem::exists(rcv1))
        throw InputError(options.shared.string(), 0,
                         "the shared corpora (corpus/reuters21578, corpus/rcv1_ifn647) are not there: the scale corpus "
                         "is recombined from them (set --shared or MORGUE_SHARED)");
    std::vector<Story> stories;
    Sink sink;
    sink.article = [&](Article&& a) {
        if (a.title.empty()) return;
        Story s{a.title, split_paragraphs(a.body)};
        if (!s.paragraphs.empty()) stories.push_back(std::move(s));
    };
    sink.reject = [](Reject&&) {};
    sink.skipped = [](const std::string&, const std::string&) {};
    for (const auto& dir : {reuters, rcv1})
        if (std::filesystem::exists(dir)) read_path(dir.string(), Format::Auto, sink);
    if (stories.size() < 100) throw InputError(options.shared.string(), 0, "too few stories in the shared corpora");
    std::vector<const std::string*> pool;
    for (const auto& s : stories)
        for (const auto& p : s.paragraphs) pool.push_back(&p);
    if (log) *log << "morgue-gen: " << stories.size() << " stories, " << pool.size() << " paragraphs to recombine\n";

    std::mt19937_64 rng(options.seed);
    const UnixTime start = days_from_civil(options.first_year, 1, 1) * 86400;
    const UnixTime end = days_from_civil(options.last_year, 12, 31) * 86400;
    const double step = static_cast<double>(end - start) / static_cast<double>(std::max<std::size_t>(1, options.count));
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::deque<Article> recent;  // for wire copies
    std::uint64_t bytes = 0;
    for (std::size_t i = 0; i < options.count; ++i) {
        Article a;
        const UnixTime crawl = start + static_cast<UnixTime>(step * static_cast<double>(i));
        if (!recent.empty() && unit(rng) < options.copy_rate) {
            // A wire copy: same story, another outlet, lightly edited.
            a = recent[rng() % recent.size()];
            if (a.body.size() > 400 && unit(rng) < 0.5) a.body = a.body.substr(0, a.body.rfind("\n\n"));
            if (unit(rng) < 0.5) a.title = "UPDATE 1-" + a.title;
            a.date = *a.date + static_cast<UnixTime>(rng() % 7200);
        } else {
            const Story& s = stories[rng() % stories.size()];
            a.title = redraw_digits(s.title, rng);
            std::string body = redraw_digits(s.paragraphs.front(), rng);
            const std::size_t more = 1 + rng() % 6;
            for (std::size_t k = 0; k < more; ++k) body += "\n\n" + redraw_digits(*pool[rng() % pool.size()], rng);
            a.body = std::move(body);
            UnixTime when = crawl + static_cast<UnixTime>(rng() % 86400);
            if (unit(rng) < options.late_rate) when = start + static_cast<UnixTime>(unit(rng) * static_cast<double>(crawl - start));
            a.date = when;
            recent.push_back(a);
            if (recent.size() > 500) recent.pop_front();
        }
        a.source = source_name(rng() % k_sources);
        a.id = "gen-" + std::to_string(options.seed % 100000) + "-" + std::to_string(i);
        a.url = "https://" + host_of(a.source) + "/" + format_yyyymmdd(*a.date) + "/" + slug(a.title) + "-" + std::to_string(i);
        nlohmann::json j{{"id", a.id}, {"url", a.url}, {"title", a.title}, {"body", a.body},
                         {"date", format_iso8601(*a.date)}, {"source", a.source}, {"language", "en"}};
        const std::string line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        out << line << '\n';
        bytes += line.size() + 1;
        if (log && (i + 1) % 100000 == 0) *log << "morgue-gen: " << (i + 1) << " articles\n";
    }
    return bytes;
}

}  // namespace morgue::corpus
