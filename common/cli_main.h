/** @file cli_main.h
 *  @brief The one place every Morgue executable maps errors to its documented exit codes.
 */
#pragma once

#include "common/error.h"

#include <xapian.h>

#include <exception>
#include <iostream>

namespace morgue {

/// Runs a CLI's body: a morgue::Error exits with its own code (1 failure, 2 usage
/// or query), anything else with 1; each as one line `NAME: message` on stderr.
template <typename Body>
int run_cli(const char* name, Body&& body) {
    try {
        return body();
    } catch (const Error& e) {
        std::cerr << name << ": " << e.what() << '\n';
        return e.exit_code();
    } catch (const Xapian::Error& e) {
        std::cerr << name << ": " << e.get_description() << '\n';
        return 1;
    } catch (const std::exception& e) {
        std::cerr << name << ": " << e.what() << '\n';
        return 1;
    }
}

}  // namespace morgue
