/** @file morgue_gen_main.cpp
 *  @brief morgue-gen: writes generated corpora as JSON Lines (the bundled sample).
 */
#include "common/cli_main.h"
#include "common/article.h"
#include "common/error.h"
#include "corpus/sample_generator.h"
#include "corpus/scale_generator.h"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace po = boost::program_options;

namespace {

constexpr const char* k_usage =
    "Usage: morgue-gen sample --out FILE [--stories N] [--seed N]\n"
    "       morgue-gen scale --count N --out FILE [--seed N] [--shared DIR]\n"
    "\n"
    "Writes a generated corpus as JSON Lines (one article per line, Morgue's own\n"
    "field names: id, url, title, body, date, source, authors, language).\n"
    "\n"
    "Commands:\n"
    "  sample   the bundled sample: a few hundred short, fictional news stories over\n"
    "           2019-2024 from five sources, with recurring people, organisations and\n"
    "           places and a few near-identical wire copies. Deterministic.\n"
    "  scale    N articles for million-article runs, recombined from the real news\n"
    "           text in the shared corpora (Reuters-21578, RCV1): titles and leads of\n"
    "           real stories with paragraphs of others, figures redrawn, dates over\n"
    "           1996-2025 in crawl order with some late arrivals, 96 sources, 5% wire\n"
    "           copies. Needs DIR/corpus (--shared, else $MORGUE_SHARED, else\n"
    "           ../shared). Deterministic.\n"
    "\n"
    "Exit status: 0 ok, 1 failure, 2 usage error.\n";

int run(int argc, char** argv) {
    po::options_description opts("Options");
    opts.add_options()
        ("help,h", "show this help")
        ("command", po::value<std::string>(), "sample")
        ("out,o", po::value<std::string>(), "output file ('-' for stdout)")
        ("stories", po::value<std::size_t>()->default_value(240), "number of distinct stories")
        ("count,n", po::value<std::size_t>()->default_value(100000), "scale: number of articles")
        ("shared", po::value<std::string>(), "scale: the shared data folder")
        ("seed", po::value<std::uint64_t>()->default_value(19870226), "generator seed");
    po::positional_options_description pos;
    pos.add("command", 1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(opts).positional(pos).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw morgue::UsageError(e.what());
    }
    if (vm.count("help") || !vm.count("command")) {
        std::cout << k_usage << "\n" << opts;
        return vm.count("help") ? 0 : 2;
    }
    const std::string command = vm["command"].as<std::string>();
    if (command != "sample" && command != "scale") throw morgue::UsageError("unknown command '" + command + "'");
    if (!vm.count("out")) throw morgue::UsageError("--out is required");
    if (command == "scale") {
        morgue::corpus::ScaleOptions sc;
        sc.count = vm["count"].as<std::size_t>();
        sc.seed = vm["seed"].as<std::uint64_t>();
        const char* env = std::getenv("MORGUE_SHARED");
        sc.shared = vm.count("shared") ? vm["shared"].as<std::string>() : env != nullptr ? env : "../shared";
        const std::string path = vm["out"].as<std::string>();
        std::ofstream file;
        if (path != "-") {
            const auto parent = std::filesystem::path(path).parent_path();
            if (!parent.empty()) std::filesystem::create_directories(parent);
            file.open(path, std::ios::binary | std::ios::trunc);
            if (!file) throw morgue::Error(path + ": cannot write");
        }
        std::ostream& sink = path == "-" ? std::cout : file;
        const auto bytes = morgue::corpus::write_scale_corpus(sc, sink, &std::cerr);
        sink.flush();
        if (!sink) throw morgue::Error(path + ": write failed");
        std::cerr << "morgue-gen: wrote " << sc.count << " articles, " << bytes / 1000000 << " MB\n";
        return 0;
    }
    morgue::corpus::SampleOptions so;
    so.stories = vm["stories"].as<std::size_t>();
    so.seed = vm["seed"].as<std::uint64_t>();
    const auto articles = morgue::corpus::generate_sample(so);
    const std::string out_path = vm["out"].as<std::string>();
    std::ofstream file;
    if (out_path != "-") {
        const auto parent = std::filesystem::path(out_path).parent_path();
        if (!parent.empty()) std::filesystem::create_directories(parent);
        file.open(out_path, std::ios::binary | std::ios::trunc);
        if (!file) throw morgue::Error(out_path + ": cannot write");
    }
    std::ostream& out = out_path == "-" ? std::cout : file;
    for (const auto& a : articles) {
        nlohmann::json j{{"id", a.id}, {"url", a.url}, {"title", a.title}, {"body", a.body},
                         {"date", morgue::format_iso8601(*a.date)}, {"source", a.source},
                         {"authors", a.authors}, {"language", a.language}};
        out << j.dump() << '\n';
    }
    if (!out) throw morgue::Error(out_path + ": write failed");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    return morgue::run_cli("morgue-gen", [&] { return run(argc, argv); });
}
