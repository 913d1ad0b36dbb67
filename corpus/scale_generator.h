/** @file scale_generator.h
 *  @brief A deterministic scale corpus for million-article runs, recombined from real news text.
 *
 *  Reads the shared corpora (Reuters-21578 SGML, RCV1 NewsML) once, cuts their
 *  bodies into paragraphs, and writes N articles as JSON Lines in Morgue's input
 *  form: each takes the title and lead of one real story and further paragraphs
 *  of others, with its figures redrawn; dates run through the years in order
 *  (a nightly crawl), a few articles arrive late (old dates); many sources and
 *  hosts; and a share are wire copies of a recent article under another source,
 *  URL and id, lightly edited. Same options, same bytes.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iosfwd>

namespace morgue::corpus {

struct ScaleOptions {
    std::size_t count = 100000;
    std::uint64_t seed = 19870226;
    std::filesystem::path shared;  ///< the shared data folder (holds corpus/reuters21578, corpus/rcv1_ifn647)
    int first_year = 1996;
    int last_year = 2025;
    double copy_rate = 0.05;  ///< share of articles that are wire copies of a recent one
    double late_rate = 0.03;  ///< share of articles dated well before the crawl they arrive in
};

/// Writes the corpus to out; progress to log (may be null). Throws InputError
/// if the shared corpora are missing. Returns the number of bytes written.
std::uint64_t write_scale_corpus(const ScaleOptions& options, std::ostream& out, std::ostream* log);

}  // namespace morgue::corpus
