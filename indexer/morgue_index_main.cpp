/** @file morgue_index_main.cpp
 *  @brief morgue-index: builds and maintains an archive. Thin: options in, library call, exit code out.
 */
#include "common/cli_main.h"
#include "common/cli_subcommands.h"
#include "common/error.h"
#include "indexer/add_command.h"
#include "indexer/ner_enricher.h"
#include "indexer/compact.h"
#include "indexer/stats.h"
#include "indexer/stub_command.h"

#include <boost/program_options.hpp>
#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <iostream>
#include <thread>
#include <sys/resource.h>
#include <unistd.h>

namespace po = boost::program_options;

namespace {

constexpr const char* k_usage =
    "Usage: morgue-index COMMAND [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  add --archive DIR [--format auto|jsonl|text|reuters-sgml|newsml] [--map FIELD=PATH]...\n"
    "      [--keep-debris] [--strict] [--json] [--threads N] [--wait] [--progress MODE] PATH...\n"
    "        Index articles from files, directories (walked recursively) or '-' (stdin).\n"
    "        Debris learning reads the crawl twice, so stdin is spooled to a temporary file;\n"
    "        with --keep-debris it streams (a crawler's pipe is indexed as it arrives).\n"
    "        Each file's format is detected by content (--format auto); zstd and gzip are\n"
    "        decompressed on the fly. Files no reader recognises are skipped with a note.\n"
    "        Re-adding an article (same id) replaces it, or leaves it alone if unchanged.\n"
    "        Bad records are reported as FILE:LINE: reason, kept in DIR/.morgue/rejects.jsonl,\n"
    "        and the run goes on (--strict stops at the first). Near-duplicates fold under the\n"
    "        first copy indexed. Safe to kill: the same command again finishes the job; SIGINT or\n"
    "        SIGTERM commit what was read and stop (exit 130). One writer at a time (--wait).\n"
    "        --months 1987-01..1987-03,undated writes only those shards (the rest is skipped and counted),\n"
    "        so that each indexing machine owns its months.\n"
    "  stats --archive DIR [--json]\n"
    "        Articles, duplicates, size on disk and date range, per shard and in total.\n"
    "  postings --archive DIR [--all] [--min-postings N]\n"
    "        Write Morgue's own posting lists (morgue.postings) for each shard that has none for\n"
    "        its current revision: plain-word queries then match over them (compact writes them\n"
    "        for every shard it merges).\n"
    "  compact --archive DIR [--before YYYY-MM] [--span-mb N] [--store-level N] [--threads N]\n"
    "          [--dry-run] [--json] [--wait]\n"
    "        Merge closed months (before last month, or --before) into one shard per year,\n"
    "        then neighbouring closed years into spans (1996..2003) of up to --span-mb MB\n"
    "        (default 4096; 0 keeps year shards): fewer shards, faster queries. Each merge\n"
    "        is swapped in atomically: running searches keep working. Each merged shard's\n"
    "        articles are compressed again with a dictionary trained on them, at zstd\n"
    "        --store-level (default 12; 0 keeps them as the nightly run stored them).\n"
    "  verify --archive DIR [--json]\n"
    "        Check every shard (Xapian's checker, schema version, counts, dictionaries).\n"
    "  list --archive DIR\n"
    "        One line per article: shard, id, content hash, cluster key (sorted; to compare archives).\n"
    "  stub --out FILE [--local DIR]... [--remote HOST:PORT]...\n"
    "        Write a Xapian stub file joining local shards (a shard, an archive, or a folder of\n"
    "        shards such as a replica) and remote ones served by xapian-tcpsrv; morgue-search\n"
    "        --archive FILE then searches them all (see docs/DISTRIBUTED.md).\n"
    "\n"
    "Exit status: 0 ok; 1 failure (verify: problems found); 2 usage error; 3 finished, but some\n"
    "records were rejected; 130 add interrupted by a signal (what was read is committed).\n";

std::atomic<bool> g_stop{false};
extern "C" void on_stop_signal(int) { g_stop = true; }

using morgue::parse_options;
using morgue::wants_help;

int cmd_add(const std::vector<std::string>& args) {
    po::options_description opts("add options");
    opts.add_options()
        ("help,h", "show this help")
        ("archive,a", po::value<std::string>()->required(), "archive directory (created if missing)")
        ("format,f", po::value<std::string>()->default_value("auto"),
         "input format: auto, jsonl, text, reuters-sgml, newsml")
        ("map", po::value<std::vector<std::string>>()->composing(),
         "JSON: read Article FIELD from dotted PATH, e.g. --map body=article.text (repeatable)")
        ("keep-debris", "do not learn and remove lines repeated across a source's articles")
        ("strict", "stop at the first rejected record")
        ("json", "print the summary as one JSON object on stdout")
        ("quiet,q", "no summary line (nor progress) on stderr")
        ("threads,j", po::value<unsigned>()->default_value(0), "worker threads (0: one per core)")
        ("wait", "wait for another writer of the archive to finish instead of failing")
        ("progress", po::value<std::string>()->default_value("auto"),
         "auto (live line on a terminal, else a log line every few seconds), live, log, none")
        ("commit-every", po::value<std::size_t>()->default_value(2000), "documents between commits")
        ("zstd-level", po::value<int>()->default_value(morgue::indexer::kNightlyZstdLevel),
         "zstd level of stored articles (compact compresses closed shards again at --store-level)")
        ("stem-all", "no effect: every word is indexed once, as its stem, since schema 2 (kept for old scripts)")
        ("xapian-positions", "benchmarks only: also write Xapian's position table (since schema 3 phrases and "
                             "NEAR are checked against the stored text, so searches never read it)")
        ("no-positions", "no effect: Xapian's position table is not written since schema 3 (kept for old scripts)")
        ("no-spelling", "benchmarks only: no spelling table (the searcher's \"did you mean\" needs it)")
        ("no-ner", "do not tag people, organisations and places (given metadata is still indexed)")
        ("ner-model", po::value<std::string>(), "NER model file (default: $MORGUE_NER_MODEL, then the installed model)")
        ("months", po::value<std::string>(), "write only these months' shards, e.g. 1987-01..1987-03,undated "
                                              "(others are skipped and counted)")
        ("input", po::value<std::vector<std::string>>()->composing(), "input paths");
    po::positional_options_description pos;
    pos.add("input", -1);
    if (std::find(args.begin(), args.end(), "--help") != args.end() ||
        std::find(args.begin(), args.end(), "-h") != args.end()) {
        std::cout << k_usage << '\n' << opts;
        return 0;
    }
    const auto vm = parse_options(opts, args, pos);
    morgue::indexer::AddOptions o;
    o.archive = vm["archive"].as<std::string>();
    o.format = morgue::corpus::parse_format(vm["format"].as<std::string>());
    if (vm.count("map"))
        for (const auto& rule : vm["map"].as<std::vector<std::string>>())
            o.field_map.push_back(morgue::corpus::parse_field_mapping(rule));
    o.remove_debris = vm.count("keep-debris") == 0;
    o.strict = vm.count("strict") > 0;
    o.quiet = vm.count("quiet") > 0;
    if (vm.count("months")) o.months = morgue::indexer::MonthFilter::parse(vm["months"].as<std::string>());
    o.wait = vm.count("wait") > 0;
    o.threads = vm["threads"].as<unsigned>();
    o.commit_every = std::max<std::size_t>(1, vm["commit-every"].as<std::size_t>());
    o.build.zstd_level = vm["zstd-level"].as<int>();
    o.build.stem_all = true;  // --stem-all: the only form since schema 2
    o.build.positions = vm.count("xapian-positions") > 0;
    o.spelling = vm.count("no-spelling") == 0;
    const std::string progress = vm["progress"].as<std::string>();
    if (progress == "auto") o.progress = ::isatty(2) ? morgue::indexer::Progress::Live : morgue::indexer::Progress::Log;
    else if (progress == "live") o.progress = morgue::indexer::Progress::Live;
    else if (progress == "log") o.progress = morgue::indexer::Progress::Log;
    else if (progress == "none") o.progress = morgue::indexer::Progress::None;
    else throw morgue::UsageError("--progress: expected auto, live, log or none, not '" + progress + "'");
    if (o.quiet) o.progress = morgue::indexer::Progress::None;
    if (!vm.count("input")) throw morgue::UsageError("add: no input paths given");
    o.inputs = vm["input"].as<std::vector<std::string>>();
    if (vm.count("no-ner") == 0) {
        const std::string model = vm.count("ner-model") ? vm["ner-model"].as<std::string>() : std::string();
        o.enricher = morgue::indexer::make_ner_enricher(
            std::make_shared<const morgue::ner::Tagger>(morgue::ner::Tagger::load_default(model)));
    }
    o.stop = &g_stop;
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    const auto summary = morgue::indexer::run_add(o, std::cerr);
    if (vm.count("json")) std::cout << morgue::indexer::summary_json(summary) << '\n';
    if (!o.quiet || summary.interrupted) std::cerr << "morgue-index: " << morgue::indexer::summary_text(summary) << '\n';
    if (summary.interrupted) return 130;
    return summary.rejected > 0 ? 3 : 0;
}

int cmd_stats(const std::vector<std::string>& args) {
    po::options_description opts("stats options");
    opts.add_options()
        ("help,h", "show this help")
        ("archive,a", po::value<std::string>()->required(), "archive directory")
        ("json", "one JSON object on stdout");
    if (std::find(args.begin(), args.end(), "--help") != args.end() ||
        std::find(args.begin(), args.end(), "-h") != args.end()) {
        std::cout << k_usage << '\n' << opts;
        return 0;
    }
    const auto vm = parse_options(opts, args);
    const auto stats = morgue::indexer::archive_stats(vm["archive"].as<std::string>());
    std::cout << (vm.count("json") ? morgue::indexer::stats_json(stats) + "\n" : morgue::indexer::stats_text(stats));
    return 0;
}

int cmd_stub(const std::vector<std::string>& args) {
    po::options_description opts("stub options");
    opts.add_options()
        ("help,h", "show this help")
        ("out,o", po::value<std::string>()->required(), "stub file to write (replaced atomically)")
        ("local,l", po::value<std::vector<std::string>>()->composing(), "shard, archive or folder of shards")
        ("remote,r", po::value<std::vector<std::string>>()->composing(), "HOST:PORT of a xapian-tcpsrv");
    if (std::find(args.begin(), args.end(), "--help") != args.end() ||
        std::find(args.begin(), args.end(), "-h") != args.end()) {
        std::cout << k_usage << '\n' << opts;
        return 0;
    }
    const auto vm = parse_options(opts, args);
    morgue::indexer::StubOptions o;
    o.out = vm["out"].as<std::string>();
    if (vm.count("local")) o.local = vm["local"].as<std::vector<std::string>>();
    if (vm.count("remote")) o.remote = vm["remote"].as<std::vector<std::string>>();
    const auto entries = morgue::indexer::run_stub(o);
    std::cerr << "morgue-index: wrote " << o.out.string() << ": " << entries.size() << " shard(s)\n";
    return 0;
}

int cmd_compact(const std::vector<std::string>& args) {
    po::options_description opts("compact options");
    opts.add_options()
        ("help,h", "show this help")
        ("archive,a", po::value<std::string>()->required(), "archive directory")
        ("before", po::value<std::string>()->default_value(""), "months before YYYY-MM are closed (default: before last month)")
        ("span-mb", po::value<std::uint64_t>()->default_value(4096), "merge closed years into spans up to this size (0: years only)")
        ("store-level", po::value<int>()->default_value(12), "zstd level for each merged shard's store, with a dictionary trained on its articles (0: keep as stored; 1-22)")
        ("threads", po::value<unsigned>()->default_value(std::max(1u, std::thread::hardware_concurrency())), "compression threads")
        ("dry-run", "only say what would be merged")
        ("wait", "wait for another writer of the archive to finish instead of failing")
        ("json", "one JSON object on stdout");
    if (wants_help(args)) {
        std::cout << k_usage << '\n' << opts;
        return 0;
    }
    const auto vm = parse_options(opts, args);
    morgue::indexer::CompactOptions o;
    o.span_bytes = vm["span-mb"].as<std::uint64_t>() << 20;
    o.store_level = vm["store-level"].as<int>();
    if (o.store_level < 0 || o.store_level > 22) throw morgue::UsageError("--store-level must be 0 (keep) or 1-22");
    o.threads = std::max(1u, vm["threads"].as<unsigned>());
    o.archive = vm["archive"].as<std::string>();
    o.before = vm["before"].as<std::string>();
    o.dry_run = vm.count("dry-run") > 0;
    o.wait = vm.count("wait") > 0;
    const auto report = morgue::indexer::run_compact(o, std::cerr);
    if (vm.count("json")) {
        std::cout << morgue::indexer::compact_json(report) << '\n';
    } else {
        for (const auto& m : report.merges) {
            std::cout << (o.dry_run ? "would merge" : "merged");
            for (const auto& p : m.parts) std::cout << ' ' << p;
            std::cout << " -> " << m.shard << '\n';
        }
        if (report.merges.empty()) std::cout << "nothing to compact\n";
    }
    return 0;
}

int cmd_list(const std::vector<std::string>& args) {
    po::options_description opts("list options");
    opts.add_options()
        ("help,h", "show this help")
        ("archive,a", po::value<std::string>()->required(), "archive directory");
    if (wants_help(args)) {
        std::cout << k_usage << '\n' << opts;
        return 0;
    }
    const auto vm = parse_options(opts, args);
    for (const auto& line : morgue::indexer::list_articles(vm["archive"].as<std::string>())) std::cout << line << '\n';
    return 0;
}

int cmd_postings(const std::vector<std::string>& args) {
    po::options_description opts("postings options");
    opts.add_options()
        ("help,h", "show this help")
        ("archive,a", po::value<std::string>()->required(), "archive directory")
        ("all", "write every shard's afresh, not only those missing or out of date")
        ("min-postings", po::value<Xapian::doccount>()->default_value(morgue::kMinPostings),
         "keep the lists of terms in at least this many articles (shorter ones are read from Xapian)");
    if (wants_help(args)) {
        std::cout << k_usage << '\n' << opts;
        return 0;
    }
    const auto vm = parse_options(opts, args);
    const std::size_t n = morgue::indexer::run_write_postings(vm["archive"].as<std::string>(), vm.count("all") > 0, std::cerr,
                                                              vm["min-postings"].as<Xapian::doccount>());
    std::cerr << "morgue-index: wrote the postings of " << n << " shard(s)\n";
    return 0;
}

int cmd_verify(const std::vector<std::string>& args) {
    po::options_description opts("verify options");
    opts.add_options()
        ("help,h", "show this help")
        ("archive,a", po::value<std::string>()->required(), "archive directory")
        ("json", "one JSON object on stdout");
    if (wants_help(args)) {
        std::cout << k_usage << '\n' << opts;
        return 0;
    }
    const auto vm = parse_options(opts, args);
    const auto report = morgue::indexer::run_verify(vm["archive"].as<std::string>());
    std::cout << (vm.count("json") ? morgue::indexer::verify_json(report) + "\n" : morgue::indexer::verify_text(report));
    return report.ok() ? 0 : 1;
}

int run(int argc, char** argv) {
    // Every shard of a big archive opens several files: allow what the system allows.
    rlimit rl{};
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    const std::string version = std::string("morgue-index 0.1.0 (Xapian ") + Xapian::version_string() + ")";
    return morgue::run_subcommand(argc, argv, k_usage,
                                  {{"add", cmd_add},
                                   {"stats", cmd_stats},
                                   {"stub", cmd_stub},
                                   {"compact", cmd_compact},
                                   {"verify", cmd_verify},
                                   {"postings", cmd_postings},
                                   {"list", cmd_list}},
                                  version);
}

}  // namespace

int main(int argc, char** argv) {
    return morgue::run_cli("morgue-index", [&] { return run(argc, argv); });
}
