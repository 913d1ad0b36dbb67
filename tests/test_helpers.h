/** @file test_helpers.h
 *  @brief Paths and scratch directories for tests.
 */
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

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

}  // namespace morgue::test
