/** @file simhash.cpp
 *  @brief Word shingles, the simhash vote, bands.
 */
#include "indexer/simhash.h"

#include "common/schema.h"

#include <array>
#include <bit>
#include <vector>

namespace morgue::indexer {

namespace {

constexpr std::size_t k_shingle_words = 3;

constexpr std::uint64_t k_fnv_offset = 1469598103934665603ULL;
constexpr std::uint64_t k_fnv_prime = 1099511628211ULL;

/// The finaliser of a word's FNV-1a hash: a well-mixed 64-bit hash of the word.
std::uint64_t finish_word(std::uint64_t h) noexcept {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

std::uint64_t mix(std::uint64_t h) noexcept {
    h ^= h >> 31;
    h *= 0x9e3779b97f4a7c15ULL;
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 32;
    return h;
}

bool word_byte(unsigned char c) noexcept {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/// spread[b]: the 8 bits of b, one to a byte (bit k of b in byte k), so that one 64-bit
/// addition counts 8 bit positions of 255 hashes at most.
constexpr std::array<std::uint64_t, 256> make_spread() {
    std::array<std::uint64_t, 256> t{};
    for (std::size_t b = 0; b < 256; ++b)
        for (unsigned k = 0; k < 8; ++k) t[b] |= static_cast<std::uint64_t>((b >> k) & 1U) << (8 * k);
    return t;
}
constexpr std::array<std::uint64_t, 256> k_spread = make_spread();

}  // namespace

std::optional<Fingerprint> fingerprint(std::string_view text) {
    // Words lower-cased (ASCII) and hashed as they are read, without building them.
    std::vector<std::uint64_t> words;
    words.reserve(text.size() / 5);
    std::uint64_t h = k_fnv_offset;
    bool in_word = false;
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (word_byte(c)) {
            h ^= (c >= 'A' && c <= 'Z') ? c + 32U : c;
            h *= k_fnv_prime;
            in_word = true;
        } else if (in_word) {
            words.push_back(finish_word(h));
            h = k_fnv_offset;
            in_word = false;
        }
    }
    if (in_word) words.push_back(finish_word(h));
    if (words.empty()) return std::nullopt;
    if (words.size() < k_shingle_words + kMinShingles - 1) {
        // Too short to vote on shingles: a hash of the words themselves, so
        // that identical short bodies ("Blah blah blah.") still fold, exactly.
        Fingerprint fp;
        fp.shingles = words.size();
        for (std::uint64_t w : words) fp.simhash = mix(fp.simhash ^ w);
        return fp;
    }
    // Each shingle votes for the bits its hash has set and against the others: bit b is set
    // when more than half the shingles have it. The ones are counted 8 positions to a
    // 64-bit lane (a byte each), emptied before a byte can overflow.
    const std::size_t n = words.size() - k_shingle_words + 1;
    std::array<std::uint64_t, 64> ones{};
    std::array<std::uint64_t, 8> lanes{};
    auto empty_lanes = [&] {
        for (std::size_t j = 0; j < 8; ++j) {
            for (std::size_t k = 0; k < 8; ++k) ones[8 * j + k] += (lanes[j] >> (8 * k)) & 0xffU;
            lanes[j] = 0;
        }
    };
    std::size_t pending = 0;
    for (std::size_t i = 0; i < n; ++i) {
        std::uint64_t s = 0;
        for (std::size_t k = 0; k < k_shingle_words; ++k) s = mix(s ^ (words[i + k] + k));
        for (std::size_t j = 0; j < 8; ++j) lanes[j] += k_spread[(s >> (8 * j)) & 0xffU];
        if (++pending == 255) {
            empty_lanes();
            pending = 0;
        }
    }
    empty_lanes();
    Fingerprint fp;
    fp.shingles = n;
    for (std::size_t bit = 0; bit < 64; ++bit)
        if (2 * ones[bit] > n) fp.simhash |= (1ULL << bit);
    return fp;
}

int hamming(std::uint64_t a, std::uint64_t b) noexcept { return std::popcount(a ^ b); }

bool near_duplicate(const Fingerprint& a, std::uint64_t b) noexcept {
    const int d = hamming(a.simhash, b);
    return a.shingles < kShortShingles ? d == 0 : d <= kMaxDistance;
}

std::array<std::string, kBands> band_terms(std::uint64_t simhash) {
    std::array<std::string, kBands> out;
    for (std::size_t b = 0; b < kBands; ++b) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%zu:%04x", b, static_cast<unsigned>(band(simhash, b)));
        out[b] = std::string(schema::kPrefixBand) + buf;
    }
    return out;
}

std::string simhash_hex(std::uint64_t v) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}

std::optional<std::uint64_t> parse_simhash_hex(std::string_view s) noexcept {
    if (s.size() != 16) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : s) {
        int d = 0;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else return std::nullopt;
        v = (v << 4) | static_cast<unsigned>(d);
    }
    return v;
}

}  // namespace morgue::indexer
