/** @file morgue_bench_main.cpp
 *  @brief morgue-bench: query latency, indexing throughput, and export of an archive's articles. Thin CLI.
 */
#include "common/cli_main.h"
#include "common/cli_subcommands.h"
#include "benchmarks/census.h"
#include "benchmarks/headroom.h"
#include "benchmarks/index_bench.h"
#include "benchmarks/plain_xapian.h"
#include "benchmarks/plot.h"
#include "benchmarks/query_bench.h"
#include "benchmarks/store_walk.h"
#include "common/error.h"

#include <boost/program_options.hpp>
#include <xapian.h>

#include <algorithm>
#include <fstream>
#include <iostream>

namespace po = boost::program_options;

namespace {

constexpr const char* k_usage =
    "Usage: morgue-bench COMMAND [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  query --archive DIR --queries FILE [--threads N] [--limit 10] [--snippets] [--facets]\n"
    "        [--no-entity-boost] [--warmup 1] [--passes 1] [--json] [--plot FILE.png]\n"
    "        Runs every query of FILE (one per line) after the warm-up passes, and reports latency\n"
    "        percentiles (p50, p90, p99, max, mean) overall and per query, queries per second and\n"
    "        mean hits. With --threads N each thread has its own archive handle and the queries are\n"
    "        shared out among them. --plot draws the latency distribution (needs gnuplot).\n"
    "  index --archive DIR [--indexer PATH] [--no-compact] [--json] [ADD OPTIONS] INPUT...\n"
    "        Runs `morgue-index add --archive DIR [ADD OPTIONS] INPUT...` as a child process into a\n"
    "        fresh archive and reports articles/s, MB/s of title+body text, CPU time, peak memory,\n"
    "        archive size and zstd store size against the raw text; then `morgue-index compact` and\n"
    "        the size after it, when that command exists.\n"
    "  plain-xapian --db DIR [--limit N] [--commit-every 10000] [--json] FILE.jsonl\n"
    "        The peer the benchmarks issue names: a plain Xapian writer (TermGenerator, English stems,\n"
    "        positions, one document at a time, a commit every 10,000) over the title and body of\n"
    "        FILE's first N articles, into a new database DIR; reports articles/s and CPU seconds.\n"
    "  export --archive DIR [--out FILE]\n"
    "        Writes every stored article as JSON Lines (the input form of morgue-index add), so a\n"
    "        peer engine can index exactly the text Morgue indexed.\n"
    "  headroom --archive DIR --queries FILE [--runs 15] [--json]\n"
    "        For each plain-word query, the ranked matches of its first two tiers (all the words; all\n"
    "        but one, when fewer than a page have them all) timed in Xapian and over the same posting\n"
    "        lists decoded beforehand into arrays in memory: what Xapian's posting format costs.\n"
    "\n"
    "Exit status: 0 ok, 1 failure, 2 usage error.\n";

using morgue::wants_help;

int cmd_query(const std::vector<std::string>& args) {
    po::options_description opts("query options");
    opts.add_options()
        ("help,h", "show this help")
        ("archive,a", po::value<std::string>()->required(), "archive directory or stub file")
        ("queries,q", po::value<std::string>()->required(), "query file, one query per line")
        ("threads,t", po::value<int>()->default_value(1), "search threads, each with its own archive handle")
        ("limit,n", po::value<std::size_t>()->default_value(10), "results per query")
        ("snippets", "make snippets for the results shown")
        ("facets", "compute facets (entities, sources, attention over time) for each query")
        ("no-entity-boost", "rank without the entity boost (morgue-search --no-entity-boost), to measure its cost")
        ("warmup", po::value<int>()->default_value(1), "untimed passes before timing")
        ("passes", po::value<int>()->default_value(1), "timed passes over the queries")
        ("pread", "read index blocks with a pread call each, as Xapian does, not from memory maps")
        ("xapian-match", "match every tier with Xapian, not over the archive's own posting lists (morgue.postings)")
        ("json", "one JSON object on stdout")
        ("plot", po::value<std::string>(), "draw the latency distribution into this PNG");
    if (wants_help(args)) {
        std::cout << k_usage << '\n' << opts;
        return 0;
    }
    const auto vm = morgue::parse_options(opts, args);
    morgue::bench::QueryBenchOptions o;
    o.archive = vm["archive"].as<std::string>();
    o.queries = morgue::bench::read_query_file(vm["queries"].as<std::string>());
    o.threads = vm["threads"].as<int>();
    o.limit = vm["limit"].as<std::size_t>();
    o.snippets = vm.count("snippets") > 0;
    o.facets = vm.count("facets") > 0;
    o.entity_boost = vm.count("no-entity-boost") == 0;
    o.warmup = vm["warmup"].as<int>();
    o.passes = vm["passes"].as<int>();
    o.mapped_reads = vm.count("pread") == 0;
    o.own_postings = vm.count("xapian-match") == 0;
    const auto report = morgue::bench::run_query_bench(o);
    if (vm.count("plot")) {
        const std::string title = vm["queries"].as<std::string>() + " on " + o.archive +
                                  (o.snippets ? ", with snippets" : "") + ", " + std::to_string(o.threads) +
                                  " thread(s)";
        morgue::bench::plot_latency(report.all_ms(), title, vm["plot"].as<std::string>());
    }
    std::cout << (vm.count("json") ? morgue::bench::query_report_json(report) + "\n"
                                   : morgue::bench::query_report_text(report));
    return 0;
}

int cmd_index(const std::vector<std::string>& args) {
    if (wants_help(args)) {
        std::cout << k_usage;
        return 0;
    }
    // Our own options are taken out; everything else goes to `morgue-index add` unchanged.
    morgue::bench::IndexBenchOptions o;
    o.indexer = morgue::bench::default_indexer();
    bool json = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&](const std::string& name) -> std::string {
            if (a.size() > name.size() && a.compare(0, name.size() + 1, name + "=") == 0) return a.substr(name.size() + 1);
            if (i + 1 >= args.size()) throw morgue::UsageError("index: " + name + " needs a value");
            return args[++i];
        };
        if (a == "--archive" || a.starts_with("--archive=")) o.archive = value("--archive");
        else if (a == "--indexer" || a.starts_with("--indexer=")) o.indexer = value("--indexer");
        else if (a == "--no-compact") o.compact = false;
        else if (a == "--json") json = true;
        else o.add_args.push_back(a);
    }
    const auto report = morgue::bench::run_index_bench(o);
    std::cout << (json ? morgue::bench::index_report_json(report) + "\n" : morgue::bench::index_report_text(report));
    return 0;
}

int cmd_export(const std::vector<std::string>& args) {
    po::options_description opts("export options");
    opts.add_options()
        ("help,h", "show this help")
        ("archive,a", po::value<std::string>()->required(), "archive directory or stub file")
        ("out,o", po::value<std::string>()->default_value("-"), "output file ('-' for standard output)");
    if (wants_help(args)) {
        std::cout << k_usage << '\n' << opts;
        return 0;
    }
    const auto vm = morgue::parse_options(opts, args);
    const std::string out_path = vm["out"].as<std::string>();
    const std::string archive = vm["archive"].as<std::string>();
    morgue::bench::StoreTotals totals;
    if (out_path == "-") {
        totals = morgue::bench::export_jsonl(archive, std::cout);
    } else {
        std::ofstream out(out_path, std::ios::binary);
        if (!out) throw morgue::InputError(out_path, 0, "cannot write");
        totals = morgue::bench::export_jsonl(archive, out);
    }
    std::cerr << "morgue-bench: exported " << totals.articles << " articles (" << totals.raw_text_bytes
              << " bytes of title+body)\n";
    return 0;
}

int cmd_plain_xapian(const std::vector<std::string>& args) {
    po::options_description opts("plain-xapian options");
    opts.add_options()
        ("help,h", "show this help")
        ("db", po::value<std::string>()->required(), "new database directory")
        ("limit", po::value<std::uint64_t>()->default_value(0), "index only the first N articles (0: all)")
        ("commit-every", po::value<std::uint64_t>()->default_value(10000), "documents between commits")
        ("json", "one JSON object on stdout")
        ("input", po::value<std::string>()->required(), "JSON Lines file");
    po::positional_options_description pos;
    pos.add("input", 1);
    if (wants_help(args)) {
        std::cout << k_usage << '\n' << opts;
        return 0;
    }
    const auto vm = morgue::parse_options(opts, args, pos);
    const auto r = morgue::bench::run_plain_xapian(vm["input"].as<std::string>(), vm["db"].as<std::string>(),
                                                   vm["limit"].as<std::uint64_t>(),
                                                   std::max<std::uint64_t>(1, vm["commit-every"].as<std::uint64_t>()));
    if (vm.count("json")) {
        std::cout << morgue::bench::plain_xapian_json(r) << '\n';
    } else {
        std::cout << "plain Xapian writer: " << r.articles << " articles in " << r.seconds << " s ("
                  << (r.seconds > 0 ? static_cast<double>(r.articles) / r.seconds : 0.0) << " articles/s), "
                  << r.cpu_seconds << " CPU s, " << static_cast<double>(r.database_bytes) / 1e6 << " MB\n";
    }
    return 0;
}

int cmd_census(const std::vector<std::string>& args) {
    po::options_description opts("census options");
    opts.add_options()
        ("help,h", "show this help")
        ("archive,a", po::value<std::string>()->required(), "archive directory")
        ("json", "one JSON object on stdout");
    if (wants_help(args)) {
        std::cout << k_usage << '\n' << opts;
        return 0;
    }
    const auto vm = morgue::parse_options(opts, args);
    const auto c = morgue::bench::take_census(vm["archive"].as<std::string>());
    std::cout << (vm.count("json") ? morgue::bench::census_json(c) + "\n" : morgue::bench::census_text(c));
    return 0;
}

int cmd_headroom(const std::vector<std::string>& args) {
    po::options_description opts("headroom options");
    opts.add_options()
        ("help,h", "show this help")
        ("archive,a", po::value<std::string>()->required(), "archive directory")
        ("queries,q", po::value<std::string>()->required(), "query file, one per line")
        ("runs", po::value<unsigned>()->default_value(15), "timed runs of each tier (median taken)")
        ("json", "one JSON object on stdout");
    if (wants_help(args)) {
        std::cout << k_usage << '\n' << opts;
        return 0;
    }
    const auto vm = morgue::parse_options(opts, args);
    morgue::bench::HeadroomOptions o;
    o.archive = vm["archive"].as<std::string>();
    o.queries = vm["queries"].as<std::string>();
    o.runs = vm["runs"].as<unsigned>();
    const auto r = morgue::bench::run_headroom(o);
    std::cout << (vm.count("json") ? morgue::bench::headroom_json(r) + "\n" : morgue::bench::headroom_text(r));
    return 0;
}

int run(int argc, char** argv) {
    return morgue::run_subcommand(argc, argv, k_usage,
                                  {{"query", cmd_query}, {"index", cmd_index}, {"export", cmd_export}, {"census", cmd_census},
                                   {"plain-xapian", cmd_plain_xapian}, {"headroom", cmd_headroom}});
}

}  // namespace

int main(int argc, char** argv) {
    return morgue::run_cli("morgue-bench", [&] { return run(argc, argv); });
}
