/** @file test_helpers.h
 *  @brief Paths and scratch directories for tests.
 */
#pragma once

#include <cstdlib>
#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

namespace morgue::test {

/// The shared data folder (../shared), overridable with MORGUE_SHARED.
inline std::filesystem::path shared_dir() {
    if (const char* env = std::getenv("MORGUE_SHARED")) return env;
    return MORGUE_SHARED_DIR;
}

inline bool have_shared() { return std::filesystem::exists(shared_dir() / "corpus"); }

/// A fresh, empty scratch directory for one test.
inline std::filesystem::path scratch(const std::string& name) {
    const std::filesystem::path dir = std::filesystem::path(MORGUE_TEST_TMP) / name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

/// Lower-case words split at anything but ASCII letters and digits: the tests'
/// own independent tokenisation, to count what the index should find.
inline std::vector<std::string> ascii_words(const std::string& text) {
    std::vector<std::string> out;
    std::string w;
    for (const char c : text) {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        } else if (!w.empty()) {
            out.push_back(w);
            w.clear();
        }
    }
    if (!w.empty()) out.push_back(w);
    return out;
}

}  // namespace morgue::test
