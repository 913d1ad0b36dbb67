/** @file morgue_search_main.cpp
 *  @brief morgue-search: ranked, snippeted search over an archive.
 */
#include "common/cli_main.h"
#include "common/error.h"
#include "common/schema.h"
#include "searcher/archive_reader.h"
#include "searcher/output.h"
#include "searcher/search.h"
#include "searcher/shard_set.h"

#include <boost/program_options.hpp>
#include <xapian.h>

#include <iostream>
#include <unistd.h>

namespace po = boost::program_options;

namespace {

/// --facet-sample's default over remote shards (20000 locally).
constexpr std::size_t kRemoteFacetSample = 1000;

std::string usage() {
    std::string s =
        "Usage: morgue-search --archive DIR [OPTIONS] QUERY...\n"
        "       morgue-search --archive DIR --show ID\n"
        "       morgue-search --archive DIR --like ID [QUERY...]\n"
        "\n"
        "Searches a Morgue archive and prints ranked results with snippets; near-duplicate\n"
        "copies fold into one result (\"and N similar\").\n"
        "\n"
        "Query language:\n"
        "  words             articles with all the words rank first (English stemming), then (3-8\n"
        "                    words) those with all but one, then the best of those with only some\n"
        "                    (marked partial); if no article has them all, the output says so\n"
        "  \"a phrase\"        the words in this order\n"
        "  AND OR NOT        boolean operators (upper case); +word must, -word must not\n"
        "  a NEAR b          within 10 words of each other\n"
        "  sanction*         trailing wildcard\n"
        "  ( )               grouping\n"
        "  Capitalised words are stemmed like any other; misspelled words get a \"did you mean\".\n"
        "Dates (UTC, both ends inclusive, at day, month or year precision):\n"
        "  date:2021-01-08  date:2021-01  date:2021  date:2021-01-01..2021-03-31\n"
        "  date:2021-01..2021-03  date:2020..2021  date:2021..  (open end)\n"
        "  after:2021-01-01 (that day on)  before:2021-03 (to the end of March)\n"
        "  date:none        undated articles\n"
        "  A query may be only dates: it matches every article in the range.\n"
        "Fields:\n";
    for (const auto& f : morgue::schema::fields()) {
        if (f.name.empty()) continue;
        s += "  " + std::string(f.name) + ":" + std::string(10 - std::min<std::size_t>(9, f.name.size()), ' ') +
             std::string(f.help) + "\n";
    }
    s += "  entity:    a person, organisation, place or other name, e.g. entity:reuters\n"
         "  Entity fields rank: articles where the name is central (headline, lead, often\n"
         "  mentioned) come first.\n";
    s += "\nRemote shards: an archive stub may list `remote HOST:PORT` lines (xapian-tcpsrv);\n"
         "a shard that does not answer is an error naming it, unless --allow-partial, which\n"
         "answers from the others and names the missing ones on stderr (JSON: missing_shards).\n"
         "Over remote shards there are no spelling suggestions (Xapian does not carry them), and\n"
         "entity facets read at most 1000 matches unless --facet-sample says otherwise.\n";
    s += "\nExit status: 0 ok (also when nothing matched, and a partial answer); 1 failure (archive\n"
         "missing or corrupt, shard not answering); 2 usage or query error.\n";
    return s;
}

int run(int argc, char** argv) {
    po::options_description opts("Options");
    opts.add_options()
        ("help,h", "show this help")
        ("archive,a", po::value<std::string>(), "archive directory or stub file (local and remote shards)")
        ("allow-partial", "if remote shards do not answer, answer from those that do (and say which did not)")
        ("timeout", po::value<unsigned>()->default_value(10000), "remote shards: milliseconds allowed for any one exchange")
        ("limit,n", po::value<std::size_t>()->default_value(10), "results to show")
        ("offset", po::value<std::size_t>()->default_value(0), "results to skip (for paging)")
        ("json", "one JSON object on stdout")
        ("jsonl", "one JSON object per result per line (for pipes)")
        ("count", "print only the exact number of matching articles (copies included)")
        ("sort", po::value<std::string>()->default_value("relevance"), "relevance, newest or oldest")
        ("recency", po::value<std::string>(), "blend relevance with freshness, e.g. 30d (half-life: h, d, w, y)")
        ("title-weight", po::value<double>()->default_value(0.0),
         "extra weight of query words found in headlines (0: none)")
        ("no-entity-boost", "do not rank up articles where entities the words name are central")
        ("xapian-match", "match every tier with Xapian, not over the archive's own posting lists (morgue.postings; same results)")
        ("no-collapse", "show every near-duplicate copy instead of folding them")
        ("from", po::value<std::string>(), "only articles from this date on (YYYY, YYYY-MM or YYYY-MM-DD)")
        ("to", po::value<std::string>(), "only articles up to this date (inclusive)")
        ("facets", "top people, organisations, places, sources and a histogram over time")
        ("facet-sample", po::value<std::size_t>()->default_value(20000),
         "count entities over at most this many matches (the output says when it sampled); "
         "1000 by default over remote shards")
        ("plot", po::value<std::string>(), "draw the histogram over time into FILE.png (gnuplot; implies --facets)")
        ("show", po::value<std::string>(), "print the whole article with this id, with metadata and entities")
        ("like", po::value<std::string>(), "articles like the one with this id")
        ("hi-start", po::value<std::string>(), "highlight start marker (JSON default <b>; terminal: bold)")
        ("hi-end", po::value<std::string>(), "highlight end marker (JSON default </b>)")
        ("color", po::value<std::string>()->default_value("auto"), "highlight on the terminal: auto, always, never")
        ("query", po::value<std::vector<std::string>>(), "query words");
    po::positional_options_description pos;
    pos.add("query", -1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(opts).positional(pos).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw morgue::UsageError(e.what());
    }
    if (vm.count("help")) {
        std::cout << usage() << '\n' << opts;
        return 0;
    }
    if (!vm.count("archive")) throw morgue::UsageError("--archive is required (try --help)");
    const bool json = vm.count("json") > 0;
    const bool jsonl = vm.count("jsonl") > 0;
    if (json && jsonl) throw morgue::UsageError("--json and --jsonl: choose one");
    morgue::searcher::OpenOptions open_options;
    open_options.allow_partial = vm.count("allow-partial") > 0;
    open_options.timeout_ms = vm["timeout"].as<unsigned>();
    open_options.connect_timeout_ms = std::min(open_options.timeout_ms, open_options.connect_timeout_ms);
    if (vm.count("show")) {
        morgue::searcher::ShardSet archive(vm["archive"].as<std::string>(), open_options);
        morgue::Article article;
        archive.run([&](const Xapian::Database& db) { article = morgue::searcher::find_article(db, vm["show"].as<std::string>()); });
        std::cout << (json || jsonl ? morgue::searcher::article_json(article) + "\n"
                                    : morgue::searcher::article_text(article));
        return 0;
    }
    std::string query;
    if (vm.count("query"))
        for (const auto& w : vm["query"].as<std::vector<std::string>>()) query += (query.empty() ? "" : " ") + w;
    morgue::searcher::SearchRequest req;
    req.query = query;
    if (vm.count("from")) req.from = vm["from"].as<std::string>();
    if (vm.count("to")) req.to = vm["to"].as<std::string>();
    if (vm.count("like")) req.like_id = vm["like"].as<std::string>();
    if (query.empty() && req.from.empty() && req.to.empty() && req.like_id.empty())
        throw morgue::UsageError("no query given (try --help)");
    const auto sort = morgue::searcher::sort_order_from_name(vm["sort"].as<std::string>());
    if (!sort) throw morgue::UsageError("--sort must be relevance, newest or oldest");
    req.sort = *sort;
    if (vm.count("recency")) req.recency_half_life_days = morgue::searcher::parse_half_life(vm["recency"].as<std::string>());
    req.collapse = vm.count("no-collapse") == 0;
    req.title_weight = vm["title-weight"].as<double>();
    if (!(req.title_weight >= 0) || req.title_weight > 100) throw morgue::UsageError("--title-weight must be 0..100");
    req.entity_boost = vm.count("no-entity-boost") == 0;
    req.facets = vm.count("facets") > 0 || vm.count("plot") > 0;
    req.facet_options.sample = vm["facet-sample"].as<std::size_t>();
    if (req.facet_options.sample == 0) throw morgue::UsageError("--facet-sample must be at least 1");

    // A date-restricted query sorted by date, or only counted, opens only the shards that may
    // hold those days. Ranked by relevance it opens them all: BM25 weighs words by the whole
    // archive's statistics, so that results are the same however the shards are grouped
    // (here, or over remote servers that serve several shards each).
    if (req.sort != morgue::searcher::SortOrder::Relevance || vm.count("count"))
        open_options.days = morgue::searcher::request_day_range(req);
    morgue::searcher::ShardSet archive(vm["archive"].as<std::string>(), open_options);
    const auto warn_missing = [&archive] {
        for (const auto& m : archive.missing()) std::cerr << "morgue-search: partial answer: shard " << m << '\n';
    };
    // Over remote shards every article read for entity facets is a round trip.
    if (archive.is_remote() && vm["facet-sample"].defaulted()) req.facet_options.sample = kRemoteFacetSample;
    if (vm.count("count")) {
        std::uint64_t n = 0;
        req.shards = archive.local_shards();
        archive.run([&](const Xapian::Database& db) { n = morgue::searcher::count_matches(db, req); });
        warn_missing();
        std::cout << n << '\n';
        return 0;
    }
    req.limit = vm["limit"].as<std::size_t>();
    req.offset = vm["offset"].as<std::size_t>();
    const std::string color = vm["color"].as<std::string>();
    if (color != "auto" && color != "always" && color != "never")
        throw morgue::UsageError("--color must be auto, always or never");
    if (!json && !jsonl) {
        const bool bold = color == "always" || (color == "auto" && isatty(STDOUT_FILENO));
        req.snippet_options.hi_start = bold ? "\x1b[1m" : "";
        req.snippet_options.hi_end = bold ? "\x1b[0m" : "";
    }
    if (vm.count("hi-start")) req.snippet_options.hi_start = vm["hi-start"].as<std::string>();
    if (vm.count("hi-end")) req.snippet_options.hi_end = vm["hi-end"].as<std::string>();
    req.words = archive.words();
    req.shards = archive.local_shards();
    if (vm.count("xapian-match") == 0) req.postings = archive.postings();
    morgue::searcher::SearchResults results;
    archive.run([&](const Xapian::Database& db) { results = morgue::searcher::search(db, req); });
    results.missing_shards = archive.missing();
    warn_missing();
    if (archive.is_remote() && results.did_you_mean.empty() && (results.hits.empty() || results.partial))
        std::cerr << "morgue-search: note: spelling suggestions are not available over remote shards "
                     "(Xapian's remote backend does not carry spelling data)\n";
    if (vm.count("plot") && results.facets)
        morgue::searcher::plot_histogram(*results.facets, query, vm["plot"].as<std::string>());
    if (json) std::cout << morgue::searcher::results_json(results) << '\n';
    else if (jsonl) std::cout << morgue::searcher::results_jsonl(results);
    else std::cout << morgue::searcher::results_text(results);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    // (No MappedReadsScope: one search per process reads fewer blocks than mapping costs in
    // page faults; searcher/mapped_reads.h.)
    return morgue::run_cli("morgue-search", [&] { return run(argc, argv); });
}
