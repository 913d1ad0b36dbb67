/** @file store_walk.h
 *  @brief Walking the stored articles of an archive: store and raw-text totals, and export back to JSON Lines.
 */
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

namespace morgue::bench {

struct StoreTotals {
    std::uint64_t articles = 0;
    std::uint64_t raw_text_bytes = 0;  ///< title + body, UTF-8, as stored
    std::uint64_t store_bytes = 0;     ///< the zstd store: format bytes and frames, summed, plus the dictionaries
    std::uint64_t sketch_bytes = 0;    ///< the word sketches in front of the frames (an index, not the store)
    std::uint64_t dictionary_bytes = 0; ///< the zstd dictionaries the archive carries (each once)
};

/// One document's data split for the size reports: the store's part (format byte and zstd frame)
/// and the word sketch's (its length and bytes). Throws morgue::Error on data that is no article.
struct StoredBytes {
    std::uint64_t frame = 0, sketch = 0;
};
[[nodiscard]] StoredBytes stored_bytes(std::string_view data);

/// Decodes every stored article of the archive and adds up its sizes.
[[nodiscard]] StoreTotals measure_store(const std::string& archive);

/// Writes every stored article of the archive as one JSON line (Morgue's own field
/// names, the input form `morgue-index add` reads), in document order; returns the totals.
StoreTotals export_jsonl(const std::string& archive, std::ostream& out);

}  // namespace morgue::bench
