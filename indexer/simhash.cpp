/** @file simhash.cpp
 *  @brief Word shingles, the simhash vote, bands.
 */
#include "indexer/simhash.h"

#include "common/schema.h"

#include <bit>
#include <vector>

namespace morgue::indexer {

namespace {

constexpr std::size_t k_shingle_words = 3;

/// A well-mixed 64-bit hash of a word (FNV-1a, then a finaliser).
std::uint64_t word_hash(std::string_view w) noexcept {
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : w) {
        h ^= c;
        h *= 1099511628211ULL;
    }
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

}  // namespace

std::optional<Fingerprint> fingerprint(std::string_view text) {
    std::vector<std::uint64_t> words;
    words.reserve(text.size() / 5);
    std::string word;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        const unsigned char c = i < text.size() ? static_cast<unsigned char>(text[i]) : ' ';
        if (word_byte(c)) {
            word.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
        } else if (!word.empty()) {
            words.push_back(word_hash(word));
            word.clear();
        }
    }
    if (words.empty()) return std::nullopt;
    if (words.size() < k_shingle_words + kMinShingles - 1) {
        // Too short to vote on shingles: a hash of the words themselves, so
        // that identical short bodies ("Blah blah blah.") still fold, exactly.
        Fingerprint fp;
        fp.shingles = words.size();
        for (std::uint64_t w : words) fp.simhash = mix(fp.simhash ^ w);
        return fp;
    }
    std::array<int, 64> votes{};
    const std::size_t n = words.size() - k_shingle_words + 1;
    for (std::size_t i = 0; i < n; ++i) {
        std::uint64_t h = 0;
        for (std::size_t k = 0; k < k_shingle_words; ++k) h = mix(h ^ (words[i + k] + k));
        for (int bit = 0; bit < 64; ++bit) votes[static_cast<std::size_t>(bit)] += ((h >> bit) & 1U) ? 1 : -1;
    }
    Fingerprint fp;
    fp.shingles = n;
    for (int bit = 0; bit < 64; ++bit)
        if (votes[static_cast<std::size_t>(bit)] > 0) fp.simhash |= (1ULL << bit);
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
