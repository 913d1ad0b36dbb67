/** @file morgue_bench_main.cpp
 *  @brief morgue-bench: query latency over an archive (more modes arrive with the benchmarks issue).
 */
#include "common/error.h"
#include "searcher/archive_reader.h"
#include "searcher/search.h"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>

namespace po = boost::program_options;

namespace {

constexpr const char* k_usage =
    "Usage: morgue-bench query --archive DIR --queries FILE [--limit N] [--snippets] [--warmup N] [--json]\n"
    "\n"
    "Runs every query of FILE (one per line) against the archive, one thread, after\n"
    "N warm-up passes, and reports latency percentiles (p50, p90, p99, max, mean),\n"
    "queries per second and mean hits.\n"
    "\n"
    "Exit status: 0 ok, 1 failure, 2 usage error.\n";

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const double idx = p / 100.0 * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(idx);
    const std::size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (v[hi] - v[lo]) * (idx - static_cast<double>(lo));
}

int run(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        std::cout << k_usage;
        return args.empty() ? 2 : 0;
    }
    if (args[0] != "query") throw morgue::UsageError("unknown command '" + args[0] + "' (try --help)");
    args.erase(args.begin());
    po::options_description opts("query options");
    opts.add_options()
        ("help,h", "show this help")
        ("archive,a", po::value<std::string>()->required(), "archive directory or stub file")
        ("queries,q", po::value<std::string>()->required(), "query file, one query per line")
        ("limit,n", po::value<std::size_t>()->default_value(10), "results per query")
        ("snippets", "make snippets for the results shown")
        ("warmup", po::value<int>()->default_value(1), "warm-up passes before timing")
        ("json", "one JSON object on stdout");
    if (std::find(args.begin(), args.end(), "--help") != args.end()) {
        std::cout << k_usage << '\n' << opts;
        return 0;
    }
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(opts).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw morgue::UsageError(e.what());
    }
    const std::string qfile = vm["queries"].as<std::string>();
    std::ifstream in(qfile);
    if (!in) throw morgue::InputError(qfile, 0, "cannot open query file");
    std::vector<std::string> queries;
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && line.find_first_not_of(" \t\r") != std::string::npos) queries.push_back(line);
    if (queries.empty()) throw morgue::InputError(qfile, 0, "no queries in file");

    const Xapian::Database db = morgue::searcher::open_archive(vm["archive"].as<std::string>());
    morgue::searcher::SearchRequest req;
    req.limit = vm["limit"].as<std::size_t>();
    req.snippets = vm.count("snippets") > 0;
    for (int w = 0; w < vm["warmup"].as<int>(); ++w)
        for (const auto& q : queries) {
            req.query = q;
            try { (void)morgue::searcher::search(db, req); } catch (const morgue::QueryError&) {}
        }
    std::vector<double> ms;
    double hits = 0;
    std::size_t failed = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (const auto& q : queries) {
        req.query = q;
        const auto s = std::chrono::steady_clock::now();
        try {
            const auto r = morgue::searcher::search(db, req);
            hits += static_cast<double>(r.total);
        } catch (const morgue::QueryError&) {
            ++failed;
        }
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - s).count());
    }
    const double total_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double mean = 0;
    for (double x : ms) mean += x;
    mean /= static_cast<double>(ms.size());
    nlohmann::json j{{"queries", ms.size()}, {"failed", failed},
                     {"p50_ms", percentile(ms, 50)}, {"p90_ms", percentile(ms, 90)}, {"p99_ms", percentile(ms, 99)},
                     {"max_ms", *std::max_element(ms.begin(), ms.end())}, {"mean_ms", mean},
                     {"qps", static_cast<double>(ms.size()) / total_s},
                     {"mean_hits", hits / static_cast<double>(ms.size())}};
    if (vm.count("json")) {
        std::cout << j.dump() << '\n';
    } else {
        std::printf("%zu queries: p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  max %.3f ms  mean %.3f ms  %.0f q/s  mean hits %.1f\n",
                    ms.size(), j["p50_ms"].get<double>(), j["p90_ms"].get<double>(), j["p99_ms"].get<double>(),
                    j["max_ms"].get<double>(), mean, j["qps"].get<double>(), j["mean_hits"].get<double>());
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const morgue::Error& e) {
        std::cerr << "morgue-bench: " << e.what() << '\n';
        return e.exit_code();
    } catch (const Xapian::Error& e) {
        std::cerr << "morgue-bench: " << e.get_description() << '\n';
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "morgue-bench: " << e.what() << '\n';
        return 1;
    }
}
