/** @file zstd_codec.h
 *  @brief zstd compression of stored articles, optionally with a trained dictionary.
 */
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace morgue {

/// Compresses and decompresses single zstd frames. One codec per thread: it
/// owns zstd contexts, which are not thread-safe.
class ZstdCodec {
  public:
    explicit ZstdCodec(int level = 3);
    ~ZstdCodec();
    ZstdCodec(const ZstdCodec&) = delete;
    ZstdCodec& operator=(const ZstdCodec&) = delete;

    /// Uses (a copy of) a trained dictionary for both directions; empty clears it.
    void set_dictionary(std::string_view dictionary);

    [[nodiscard]] std::string compress(std::string_view plain);
    /// Throws morgue::Error on a corrupt or truncated frame, or one that would
    /// decompress past max_size bytes.
    [[nodiscard]] std::string decompress(std::string_view frame, std::size_t max_size = 256u << 20);

    /// The dictionary id a frame was compressed with (0 = none).
    [[nodiscard]] static unsigned frame_dictionary_id(std::string_view frame) noexcept;
    /// The id of a trained dictionary (0 if it is not one).
    [[nodiscard]] static unsigned dictionary_id(std::string_view dictionary) noexcept;

    /// Trains a dictionary of at most capacity bytes on these samples (zstd's
    /// ZDICT trainer; deterministic for the same samples). Empty if zstd finds
    /// too little to learn from (few or tiny samples).
    [[nodiscard]] static std::string train_dictionary(const std::vector<std::string>& samples, std::size_t capacity);

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace morgue
