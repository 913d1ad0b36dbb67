/** @file text.h
 *  @brief Small text helpers shared by every module (UTF-8 aware where it matters).
 */
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace morgue::text {

/// Lower-cases UTF-8 text (full Unicode simple case mapping, via Xapian::Unicode).
[[nodiscard]] std::string to_lower(std::string_view s);
/// Trims and collapses every run of whitespace to one space.
[[nodiscard]] std::string collapse_spaces(std::string_view s);
[[nodiscard]] std::string_view trim(std::string_view s) noexcept;
/// True if s is well-formed UTF-8 (no overlongs, no surrogates).
[[nodiscard]] bool is_valid_utf8(std::string_view s) noexcept;
/// 64-bit FNV-1a: stable across runs and machines (stored in archives).
[[nodiscard]] std::uint64_t hash64(std::string_view s) noexcept;
/// 16 lower-case hex digits of v.
[[nodiscard]] std::string hex64(std::uint64_t v);
/// Standard base64 (RFC 4648, with padding): how raw bytes that are not UTF-8 are kept in JSON.
[[nodiscard]] std::string base64_encode(std::string_view bytes);
/// Length of the UTF-8 sequence starting with byte c (1 for invalid lead bytes).
[[nodiscard]] inline std::size_t utf8_len(unsigned char c) noexcept {
    if (c < 0x80) return 1;
    if ((c & 0xE0) == 0xC0) return 2;
    if ((c & 0xF0) == 0xE0) return 3;
    if ((c & 0xF8) == 0xF0) return 4;
    return 1;
}

}  // namespace morgue::text
