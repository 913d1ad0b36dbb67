/** @file cli_subcommands.h
 *  @brief What the executables with subcommands (morgue-index, morgue-bench) share: dispatch, --help, option parsing.
 */
#pragma once

#include "common/error.h"

#include <boost/program_options.hpp>

#include <algorithm>
#include <iostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace morgue {

/// A subcommand's body: the arguments after its name; returns the exit status.
using Subcommand = int (*)(const std::vector<std::string>& args);

/// --help or -h anywhere among a subcommand's arguments.
inline bool wants_help(const std::vector<std::string>& args) {
    return std::find(args.begin(), args.end(), "--help") != args.end() ||
           std::find(args.begin(), args.end(), "-h") != args.end();
}

/// Parses a subcommand's arguments; a bad option is a UsageError (exit status 2).
inline boost::program_options::variables_map parse_options(
    const boost::program_options::options_description& opts, const std::vector<std::string>& args,
    const boost::program_options::positional_options_description& positional = {}) {
    namespace po = boost::program_options;
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(opts).positional(positional).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw UsageError(e.what());
    }
    return vm;
}

/// `NAME COMMAND [ARGS]`: no arguments prints the usage (exit 2), --help/-h/help prints it (exit 0),
/// --version prints `version` when there is one, and an unknown command is a UsageError.
inline int run_subcommand(int argc, char** argv, std::string_view usage,
                          const std::vector<std::pair<std::string_view, Subcommand>>& commands,
                          std::string_view version = {}) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::cout << usage;
        return args.empty() ? 2 : 0;
    }
    if (!version.empty() && args[0] == "--version") {
        std::cout << version << '\n';
        return 0;
    }
    const std::string command = args[0];
    args.erase(args.begin());
    for (const auto& [name, body] : commands)
        if (name == command) return body(args);
    throw UsageError("unknown command '" + command + "' (try --help)");
}

}  // namespace morgue
