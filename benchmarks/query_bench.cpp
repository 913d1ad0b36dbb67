/** @file query_bench.cpp
 *  @brief Runs the queries on N threads, each with its own archive handle; work is shared through an atomic counter.
 */
#include "benchmarks/query_bench.h"

#include "common/error.h"
#include "common/word_list.h"
#include "searcher/mapped_reads.h"
#include "searcher/search.h"
#include "searcher/shard_set.h"

#include <nlohmann/json.hpp>
#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <exception>
#include <fstream>
#include <mutex>
#include <optional>
#include <numeric>
#include <thread>

namespace morgue::bench {

namespace {

using Clock = std::chrono::steady_clock;

/// The phases in report order, with their JSON names.
constexpr std::pair<const char*, double searcher::SearchPhases::*> kPhases[] = {
    {"parse", &searcher::SearchPhases::parse},     {"match", &searcher::SearchPhases::match},
    {"check", &searcher::SearchPhases::check},     {"suggest", &searcher::SearchPhases::suggest}, {"count", &searcher::SearchPhases::count},
    {"fetch", &searcher::SearchPhases::fetch},     {"similar", &searcher::SearchPhases::similar},
    {"snippets", &searcher::SearchPhases::snippets}, {"facets", &searcher::SearchPhases::facets}};

void add_phases(searcher::SearchPhases& sum, const searcher::SearchPhases& one) {
    for (const auto& [name, member] : kPhases) sum.*member += one.*member;
}

/// `sum`'s phases divided by `searches`, as the JSON object "phase_mean_ms".
nlohmann::json phases_json(const searcher::SearchPhases& sum, double searches) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [name, member] : kPhases) out[name] = searches > 0 ? sum.*member / searches : 0.0;
    return out;
}

/// What one thread does: open its own handle, help with the warm-up, wait, help with the timed passes.
class Worker {
  public:
    Worker(const QueryBenchOptions& options, std::vector<QueryTiming>& timings) : m_options(options), m_timings(timings) {}

    /// Runs work item i (pass * queries + query); returns milliseconds, or a negative number for a rejected query.
    /// Timed items add their phases to the query's; `record` also keeps its hits.
    double run_item(std::size_t item, bool timed, bool record) {
        const std::size_t q = item % m_options.queries.size();
        m_request.query = m_options.queries[q];
        const auto start = Clock::now();
        try {
            m_request.words = m_words ? &*m_words : nullptr;
            m_request.shards = m_set->local_shards();
            if (m_options.own_postings) m_request.postings = m_set->postings();
            const auto results = searcher::search(m_db, m_request);
            const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
            if (record) m_timings[q].hits = results.total;
            if (timed) add_phases(m_timings[q].phases, results.phases);
            return ms;
        } catch (const QueryError& e) {
            if (record) m_timings[q].error = e.what();
            return -1;
        }
    }

    void open() {
        // Shard by shard, as morgue-search opens it (counts over several local shards run on each).
        m_set.emplace(m_options.archive);
        m_db = m_set->db();
        m_words = words::open_for(m_options.archive);
        m_request.limit = m_options.limit;
        m_request.snippets = m_options.snippets;
        m_request.facets = m_options.facets;
        m_request.entity_boost = m_options.entity_boost;
    }
    [[nodiscard]] bool own_postings() const { return m_options.own_postings && m_set && m_set->postings(); }

  private:
    const QueryBenchOptions& m_options;
    std::vector<QueryTiming>& m_timings;
    std::optional<searcher::ShardSet> m_set;
    Xapian::Database m_db;
    std::optional<Xapian::Database> m_words;  ///< the archive's word list ("did you mean")
    searcher::SearchRequest m_request;
};

}  // namespace

std::vector<double> QueryBenchReport::all_ms() const {
    std::vector<double> all;
    for (const auto& t : per_query) all.insert(all.end(), t.ms.begin(), t.ms.end());
    return all;
}

std::vector<std::string> read_query_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw InputError(path, 0, "cannot open query file");
    std::vector<std::string> queries;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") != std::string::npos) queries.push_back(line);
    }
    if (queries.empty()) throw InputError(path, 0, "no queries in file");
    return queries;
}

QueryBenchReport run_query_bench(const QueryBenchOptions& options) {
    if (options.queries.empty()) throw UsageError("no queries to run");
    if (options.threads < 1 || options.passes < 1 || options.warmup < 0)
        throw UsageError("--threads and --passes must be at least 1, --warmup at least 0");

    QueryBenchReport report;
    report.options = options;
    // Before any archive opens: the maps are made when Xapian opens its table files.
    std::optional<searcher::MappedReadsScope> maps;
    if (options.mapped_reads) maps.emplace();
    const searcher::MappedReadCounts counts0 = searcher::mapped_read_counts();
    const std::size_t nq = options.queries.size();
    report.per_query.resize(nq);
    for (std::size_t q = 0; q < nq; ++q) report.per_query[q].query = options.queries[q];

    const std::size_t warm_items = nq * static_cast<std::size_t>(options.warmup);
    const std::size_t timed_items = nq * static_cast<std::size_t>(options.passes);
    std::vector<double> item_ms(timed_items, -1);
    std::atomic<std::size_t> next_warm{0}, next_timed{0};
    Clock::time_point t0;
    std::barrier start_line(options.threads, [&t0]() noexcept { t0 = Clock::now(); });
    std::mutex error_mutex;
    std::exception_ptr first_error;

    auto body = [&](Worker& worker) {
        bool ok = true;
        try {
            worker.open();
            for (std::size_t i; (i = next_warm++) < warm_items;) (void)worker.run_item(i, false, false);
        } catch (...) {
            std::lock_guard lock(error_mutex);
            if (!first_error) first_error = std::current_exception();
            ok = false;
        }
        start_line.arrive_and_wait();
        if (!ok) return;
        try {
            // Each item writes its own slot; the last pass records the hits of its query.
            for (std::size_t i; (i = next_timed++) < timed_items;)
                item_ms[i] = worker.run_item(i, true, i / nq == static_cast<std::size_t>(options.passes - 1));
        } catch (...) {
            std::lock_guard lock(error_mutex);
            if (!first_error) first_error = std::current_exception();
        }
    };

    std::vector<std::unique_ptr<Worker>> workers;
    for (int t = 0; t < options.threads; ++t) workers.push_back(std::make_unique<Worker>(options, report.per_query));
    std::vector<std::thread> threads;
    for (int t = 1; t < options.threads; ++t) threads.emplace_back(body, std::ref(*workers[static_cast<std::size_t>(t)]));
    body(*workers[0]);
    for (auto& th : threads) th.join();
    const auto t1 = Clock::now();
    if (first_error) std::rethrow_exception(first_error);

    report.wall_seconds = std::chrono::duration<double>(t1 - t0).count();
    std::size_t timed = 0;
    for (std::size_t i = 0; i < timed_items; ++i) {
        if (item_ms[i] < 0) continue;
        report.per_query[i % nq].ms.push_back(item_ms[i]);
        ++timed;
    }
    double hits = 0;
    for (const auto& t : report.per_query) {
        if (!t.error.empty()) ++report.failed;
        else hits += static_cast<double>(t.hits);
    }
    report.overall = summarise(report.all_ms());
    report.qps = report.wall_seconds > 0 ? static_cast<double>(timed) / report.wall_seconds : 0;
    report.mean_hits = nq > report.failed ? hits / static_cast<double>(nq - report.failed) : 0;
    for (const auto& t : report.per_query) add_phases(report.phases, t.phases);
    if (timed > 0)
        for (const auto& [name, member] : kPhases) report.phases.*member /= static_cast<double>(timed);
    const searcher::MappedReadCounts counts1 = searcher::mapped_read_counts();
    report.own_postings = workers.front()->own_postings();
    report.mapped_files = counts1.files - counts0.files;
    report.reads_from_maps = counts1.mapped - counts0.mapped;
    report.pread_calls = counts1.passed - counts0.passed;
    return report;
}

std::string query_report_json(const QueryBenchReport& r) {
    nlohmann::json per = nlohmann::json::array();
    for (const auto& t : r.per_query) {
        const LatencySummary s = summarise(t.ms);
        nlohmann::json q{{"query", t.query}, {"runs", s.count}};
        if (!t.error.empty()) {
            q["error"] = t.error;
        } else {
            q.update({{"hits", t.hits}, {"p50_ms", s.p50_ms}, {"max_ms", s.max_ms}, {"mean_ms", s.mean_ms}});
            q["phase_mean_ms"] = phases_json(t.phases, static_cast<double>(s.count));
        }
        per.push_back(std::move(q));
    }
    const auto& o = r.options;
    nlohmann::json j{{"archive", o.archive},       {"queries", o.queries.size()}, {"failed", r.failed},
                     {"threads", o.threads},       {"passes", o.passes},          {"warmup", o.warmup},
                     {"limit", o.limit},           {"snippets", o.snippets},      {"facets", o.facets},
                     {"entity_boost", o.entity_boost},
                     {"searches", r.overall.count}, {"wall_seconds", r.wall_seconds},
                     {"p50_ms", r.overall.p50_ms}, {"p90_ms", r.overall.p90_ms}, {"p99_ms", r.overall.p99_ms},
                     {"max_ms", r.overall.max_ms}, {"mean_ms", r.overall.mean_ms}, {"qps", r.qps},
                     {"mean_hits", r.mean_hits},   {"per_query", std::move(per)},
                     {"mapped_reads", o.mapped_reads}, {"mapped_files", r.mapped_files},
                     {"own_postings", r.own_postings},
                     {"reads_from_maps", r.reads_from_maps}, {"pread_calls", r.pread_calls}};
    j["phase_mean_ms"] = phases_json(r.phases, 1.0);
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string query_report_text(const QueryBenchReport& r, std::size_t slowest) {
    const auto& s = r.overall;
    char line[512];
    std::snprintf(line, sizeof line,
                  "%zu queries x %d passes on %d thread%s: p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  max %.3f ms  "
                  "mean %.3f ms  %.0f q/s  mean hits %.1f%s\n",
                  r.per_query.size(), r.options.passes, r.options.threads, r.options.threads == 1 ? "" : "s",
                  s.p50_ms, s.p90_ms, s.p99_ms, s.max_ms, s.mean_ms, r.qps, r.mean_hits,
                  r.failed ? (", " + std::to_string(r.failed) + " rejected").c_str() : "");
    std::string out = line;
    out += "where the time goes (mean ms per search):";
    for (const auto& [name, member] : kPhases) {
        std::snprintf(line, sizeof line, " %s %.3f", name, r.phases.*member);
        out += line;
    }
    out += "\n";
    std::vector<std::pair<double, std::size_t>> worst;
    for (std::size_t q = 0; q < r.per_query.size(); ++q)
        if (!r.per_query[q].ms.empty())
            worst.emplace_back(*std::max_element(r.per_query[q].ms.begin(), r.per_query[q].ms.end()), q);
    std::sort(worst.rbegin(), worst.rend());
    if (worst.size() > slowest) worst.resize(slowest);
    if (!worst.empty()) out += "slowest:\n";
    for (const auto& [ms, q] : worst) {
        std::snprintf(line, sizeof line, "  %9.3f ms  %10llu hits  %s\n", ms,
                      static_cast<unsigned long long>(r.per_query[q].hits), r.per_query[q].query.c_str());
        out += line;
    }
    for (const auto& t : r.per_query)
        if (!t.error.empty()) out += "rejected: " + t.query + ": " + t.error + "\n";
    return out;
}

}  // namespace morgue::bench
