/** @file simhash.h
 *  @brief Near-duplicate fingerprints: a 64-bit simhash over word shingles, cut into bands.
 *
 *  Two texts that share most of their 3-word shingles get simhashes a few bits
 *  apart. Cut into 4 bands of 16 bits, any two fingerprints within Hamming
 *  distance 3 agree on at least one whole band, so the bands, stored as boolean
 *  terms (schema XSH<b>:<hhhh>), find the candidates with four term lookups.
 */
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace morgue::indexer {

struct Fingerprint {
    std::uint64_t simhash = 0;
    std::size_t shingles = 0;  ///< how many shingles it was made of
};

inline constexpr std::size_t kBands = 4;
/// Texts with fewer shingles get a hash of their words instead (identical only).
inline constexpr std::size_t kMinShingles = 3;
/// Below this many shingles only an identical fingerprint counts as a duplicate:
/// one changed word moves a short text's simhash too far to judge by distance.
inline constexpr std::size_t kShortShingles = 24;
inline constexpr int kMaxDistance = 3;

/// Fingerprint of a text (words: runs of letters/digits, ASCII lower-cased; any
/// byte >= 0x80 counts as a letter); nullopt when it has no words.
[[nodiscard]] std::optional<Fingerprint> fingerprint(std::string_view text);

[[nodiscard]] int hamming(std::uint64_t a, std::uint64_t b) noexcept;

/// Whether two fingerprints are near-duplicates by the rule above.
[[nodiscard]] bool near_duplicate(const Fingerprint& a, std::uint64_t b) noexcept;

/// The 16-bit value of band b (0 = low bits).
[[nodiscard]] inline std::uint16_t band(std::uint64_t simhash, std::size_t b) noexcept {
    return static_cast<std::uint16_t>(simhash >> (16 * b));
}
/// The band terms of a simhash, "XSH0:1a2b" .. "XSH3:...".
[[nodiscard]] std::array<std::string, kBands> band_terms(std::uint64_t simhash);

/// 16 lower-case hex digits, and back (nullopt if malformed).
[[nodiscard]] std::string simhash_hex(std::uint64_t v);
[[nodiscard]] std::optional<std::uint64_t> parse_simhash_hex(std::string_view s) noexcept;

}  // namespace morgue::indexer
