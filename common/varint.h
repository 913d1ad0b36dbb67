/** @file varint.h
 *  @brief Unsigned LEB128 lengths (7 bits a byte, low bits first), as the stored article data and
 *         its word sketch write them.
 */
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace morgue {

/// Appends v.
inline void put_varint(std::string& out, std::size_t v) {
    while (v >= 0x80) {
        out += static_cast<char>((v & 0x7f) | 0x80);
        v >>= 7;
    }
    out += static_cast<char>(v);
}

enum class VarintRead { Ok, Truncated, TooLong };

/// Reads one value at `at` (which moves past it) into `v`: at most 5 bytes (35 bits).
inline VarintRead get_varint(std::string_view s, std::size_t& at, std::size_t& v) {
    v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
        if (at >= s.size()) return VarintRead::Truncated;
        const auto b = static_cast<unsigned char>(s[at++]);
        v |= static_cast<std::size_t>(b & 0x7f) << shift;
        if ((b & 0x80) == 0) return VarintRead::Ok;
    }
    return VarintRead::TooLong;
}

}  // namespace morgue
