/** @file morgue_ner_main.cpp
 *  @brief The morgue-ner command: train, evaluate and run the named-entity tagger.
 *
 *  Exit codes: 0 success, 1 failure (bad input, missing file), 2 usage error.
 */
#include <boost/program_options.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "common/cli_subcommands.h"
#include "common/error.h"
#include "indexer/ner/conll.h"
#include "indexer/ner/entities.h"
#include "indexer/ner/model.h"
#include "indexer/ner/tagger.h"
#include "indexer/ner/trainer.h"

#ifndef MORGUE_SHARED_DIR
#define MORGUE_SHARED_DIR ""
#endif

namespace po = boost::program_options;
namespace fs = std::filesystem;
using namespace morgue::ner;
using morgue::UsageError;

namespace {

constexpr int k_exit_ok = 0;
constexpr int k_exit_failure = 1;
constexpr int k_exit_usage = 2;

const char* k_overview =
    "Usage: morgue-ner COMMAND [OPTIONS]\n"
    "\n"
    "Named-entity tagger for English news (PER, ORG, LOC, MISC).\n"
    "\n"
    "Commands:\n"
    "  train   train a model from CoNLL-2003 data and write it (deterministic)\n"
    "  eval    tag a CoNLL file and score it like conlleval (exact span and type)\n"
    "  tag     read an article on stdin (first line the headline, the rest the body)\n"
    "          and print TYPE<TAB>name<TAB>mentions per entity after in-document resolution\n"
    "\n"
    "Run 'morgue-ner COMMAND --help' for the options of a command.\n"
    "The model is found by --model, then $MORGUE_NER_MODEL, then <exe dir>/../share/morgue/"
    "morgue-ner-en.bin, then the source tree.\n"
    "Exit status: 0 success, 1 failure, 2 usage error.\n";

fs::path shared_dir(const po::variables_map& vm) {
    if (vm.count("shared")) return vm["shared"].as<std::string>();
    if (const char* env = std::getenv("MORGUE_SHARED"); env && *env) return env;
    if (*MORGUE_SHARED_DIR) return MORGUE_SHARED_DIR;
    return "../shared";
}

int cmd_train(const std::vector<std::string>& args) {
    po::options_description desc(
        "Usage: morgue-ner train [OPTIONS]\n\n"
        "Trains the tagger (averaged structured perceptron) and writes the model.\n"
        "Resources are read at training time and baked into the model: the unlabelled corpus\n"
        "(casing statistics, Reuters category lists) and iso-codes (country and subdivision names).\n\nOptions");
    desc.add_options()("help,h", "show this help")                                                   //
        ("train", po::value<std::string>(), "CoNLL training file (default SHARED/ner/conll2003/train.txt)")  //
        ("dev", po::value<std::string>(), "CoNLL file scored after each epoch (optional)")             //
        ("out", po::value<std::string>()->default_value("morgue-ner-en.bin"), "where to write the model")  //
        ("shared", po::value<std::string>(), "shared data folder (default $MORGUE_SHARED, else the one set at build time)")  //
        ("corpus", po::value<std::vector<std::string>>(),
         "unlabelled corpus folder, repeatable (default SHARED/corpus/rcv1_ifn647/docs and SHARED/corpus/reuters21578)")  //
        ("iso-codes", po::value<std::string>()->default_value("/usr/share/iso-codes/json"),
         "iso-codes JSON folder (empty string: no iso-codes gazetteer)")           //
        ("epochs", po::value<int>()->default_value(TrainOptions{}.epochs), "training epochs of stage one")  //
        ("stack-epochs", po::value<int>()->default_value(TrainOptions{}.stack_epochs), "training epochs of stage two")  //
        ("bucket-bits", po::value<unsigned>()->default_value(TrainOptions{}.bucket_bits),
         "log2 of the number of hashed feature rows")  //
        ("stages", po::value<int>()->default_value(2), "1: one pass; 2: add the stacked document-level stage")  //
        ("clusters", po::value<int>()->default_value(TrainOptions{}.cluster_count), "word clusters (0: none)")  //
        ("seed", po::value<std::uint64_t>()->default_value(TrainOptions{}.seed), "shuffling seed");
    const auto vm = morgue::parse_options(desc, args);
    if (vm.count("help")) { std::cout << desc << "\n"; return k_exit_ok; }
    const fs::path shared = shared_dir(vm);
    TrainOptions opt;
    opt.train_file = vm.count("train") ? fs::path(vm["train"].as<std::string>()) : shared / "ner/conll2003/train.txt";
    if (vm.count("dev")) opt.dev_file = vm["dev"].as<std::string>();
    if (vm.count("corpus")) {
        for (const auto& c : vm["corpus"].as<std::vector<std::string>>()) opt.corpus_dirs.emplace_back(c);
    } else {
        opt.corpus_dirs = {shared / "corpus/rcv1_ifn647/docs", shared / "corpus/reuters21578"};
    }
    opt.iso_codes_dir = vm["iso-codes"].as<std::string>();
    opt.epochs = vm["epochs"].as<int>();
    opt.stack_epochs = vm["stack-epochs"].as<int>();
    opt.bucket_bits = vm["bucket-bits"].as<unsigned>();
    opt.cluster_count = vm["clusters"].as<int>();
    if (vm["stages"].as<int>() != 1 && vm["stages"].as<int>() != 2) throw UsageError("--stages must be 1 or 2");
    opt.stacked = vm["stages"].as<int>() == 2;
    opt.seed = vm["seed"].as<std::uint64_t>();
    if (opt.epochs < 1 || opt.stack_epochs < 1 || opt.bucket_bits < 12 || opt.bucket_bits > 24)
        throw UsageError("--epochs and --stack-epochs must be >= 1 and --bucket-bits in 12..24");
    const ModelData model = train_model(opt, &std::cerr);
    const fs::path out = vm["out"].as<std::string>();
    save_model(model, out);
    std::cerr << "wrote " << out.string() << " (" << fs::file_size(out) << " bytes)\n";
    return k_exit_ok;
}

void print_counts_json(std::ostream& os, const ChunkCounts& c) {
    os << "{\"precision\": " << c.precision() << ", \"recall\": " << c.recall() << ", \"f1\": " << c.f1() << "}";
}

int cmd_eval(const std::vector<std::string>& args) {
    po::options_description desc(
        "Usage: morgue-ner eval --conll FILE [--json] [--model MODEL]\n\n"
        "Tags FILE (CoNLL format: word first, gold IOB tag last) and prints precision, recall and F1\n"
        "of exact-span, exact-type chunks, per type and overall, in percent, and the tagging speed.\n\nOptions");
    desc.add_options()("help,h", "show this help")                             //
        ("conll", po::value<std::string>(), "CoNLL file to score (required)")  //
        ("json", "print exactly one JSON object on stdout")                    //
        ("model", po::value<std::string>(), "model file");
    const auto vm = morgue::parse_options(desc, args);
    if (vm.count("help")) { std::cout << desc << "\n"; return k_exit_ok; }
    if (!vm.count("conll")) throw UsageError("eval needs --conll FILE");
    const fs::path model_path = find_model(vm.count("model") ? vm["model"].as<std::string>() : std::string());
    const Tagger tagger = Tagger::load(model_path);
    const auto docs = read_conll(vm["conll"].as<std::string>());
    const EvalResult r = evaluate(tagger, docs);
    const double tps = r.seconds > 0 ? r.scorer.tokens() / r.seconds : 0.0;
    std::ostringstream os;
    os << std::fixed << std::setprecision(2);
    if (vm.count("json")) {
        os << "{\"overall\": ";
        print_counts_json(os, r.scorer.overall());
        os << ", \"per_type\": {";
        for (int t = 0; t < k_num_types; ++t) {
            const auto type = static_cast<EntityType>(t);
            os << (t ? ", " : "") << "\"" << conll_name(type) << "\": ";
            print_counts_json(os, r.scorer.per_type(type));
        }
        os << "}, \"tokens\": " << r.scorer.tokens() << ", \"tokens_per_second\": " << std::setprecision(0) << tps
           << "}\n";
    } else {
        os << "tokens: " << r.scorer.tokens() << ", phrases: " << r.scorer.overall().gold << " gold, "
           << r.scorer.overall().predicted << " found, " << r.scorer.overall().correct << " correct\n";
        auto row = [&](std::string_view name, const ChunkCounts& c) {
            os << std::left << std::setw(8) << name << std::right << " precision " << std::setw(6) << c.precision()
               << "  recall " << std::setw(6) << c.recall() << "  F1 " << std::setw(6) << c.f1() << "  (" << c.gold
               << " gold)\n";
        };
        row("overall", r.scorer.overall());
        for (int t = 0; t < k_num_types; ++t) row(conll_name(static_cast<EntityType>(t)), r.scorer.per_type(static_cast<EntityType>(t)));
        os << std::setprecision(0) << "tokens/s: " << tps << " (one thread, tagging only)\n";
        os << "model: " << model_path.string() << "\n";
    }
    std::cout << os.str();
    return k_exit_ok;
}

int cmd_tag(const std::vector<std::string>& args) {
    po::options_description desc(
        "Usage: morgue-ner tag [--model MODEL] < article.txt\n\n"
        "Reads one article on stdin, its first line the headline and the rest the body, and prints\n"
        "one line per entity after in-document resolution: TYPE<TAB>name<TAB>mentions, TYPE one of\n"
        "PER, ORG, LOC, MISC, most salient first.\n\nOptions");
    desc.add_options()("help,h", "show this help")("model", po::value<std::string>(), "model file");
    const auto vm = morgue::parse_options(desc, args);
    if (vm.count("help")) { std::cout << desc << "\n"; return k_exit_ok; }
    const Tagger tagger = Tagger::load_default(vm.count("model") ? vm["model"].as<std::string>() : std::string());
    const std::string input((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    const std::size_t nl = input.find('\n');
    const std::string_view title = std::string_view(input).substr(0, nl);
    const std::string_view body = nl == std::string::npos ? std::string_view() : std::string_view(input).substr(nl + 1);
    for (const Entity& e : extract_entities(tagger, title, body))
        std::cout << conll_name(e.type) << '\t' << e.name << '\t' << e.mentions << '\n';
    return k_exit_ok;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) { std::cerr << k_overview; return k_exit_usage; }
    const std::string cmd = args.front();
    args.erase(args.begin());
    try {
        if (cmd == "-h" || cmd == "--help" || cmd == "help") { std::cout << k_overview; return k_exit_ok; }
        if (cmd == "train") return cmd_train(args);
        if (cmd == "eval") return cmd_eval(args);
        if (cmd == "tag") return cmd_tag(args);
        std::cerr << "morgue-ner: unknown command '" << cmd << "' (try morgue-ner --help)\n";
        return k_exit_usage;
    } catch (const UsageError& e) {
        std::cerr << "morgue-ner " << cmd << ": " << e.what() << " (try morgue-ner " << cmd << " --help)\n";
        return k_exit_usage;
    } catch (const morgue::Error& e) {
        std::cerr << "morgue-ner " << cmd << ": " << e.what() << "\n";
        return e.exit_code();
    } catch (const std::exception& e) {
        std::cerr << "morgue-ner " << cmd << ": " << e.what() << "\n";
        return k_exit_failure;
    }
}
