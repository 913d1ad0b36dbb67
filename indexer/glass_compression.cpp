/** @file glass_compression.cpp
 *  @brief zlib's deflate as libxapian sees it in Morgue's processes: see glass_compression.h.
 */
#include "indexer/glass_compression.h"

#include "common/schema.h"
#include "common/varint.h"

#include <dlfcn.h>
#include <zlib.h>

#include <atomic>
#include <string_view>

namespace morgue::indexer {

namespace {

std::atomic<GlassCompression> g_mode{GlassCompression::Xapian};
std::atomic<std::uint64_t> g_passed{0};
std::atomic<std::uint64_t> g_skipped{0};

/// Whether a whole tag is Morgue's stored article: the format byte, the sketch's length and
/// the sketch, then a zstd frame (or, format 1, the frame at once). A term list taken for one
/// by chance would only be stored uncompressed, which glass reads as well.
bool is_stored_article(std::string_view tag) {
    constexpr std::string_view k_zstd_magic("\x28\xb5\x2f\xfd", 4);
    if (tag.empty()) return false;
    if (tag[0] == '\x01') return tag.substr(1, 4) == k_zstd_magic;
    if (tag[0] != schema::kDataFormat) return false;
    std::size_t at = 1, n = 0;
    if (get_varint(tag, at, n) != VarintRead::Ok || n > tag.size() - at) return false;
    return tag.substr(at + n, 4) == k_zstd_magic;
}

using DeflateFn = int (*)(z_streamp, int);

DeflateFn zlib_deflate() {
    // The next definition after this executable's: zlib's own.
    static const auto fn = reinterpret_cast<DeflateFn>(dlsym(RTLD_NEXT, "deflate"));
    return fn;
}

}  // namespace

GlassCompressionScope::GlassCompressionScope(GlassCompression mode) : m_previous(g_mode.exchange(mode)) {}

GlassCompressionScope::~GlassCompressionScope() { g_mode.store(m_previous); }

DeflateCounts glass_deflate_counts() { return {g_passed.load(), g_skipped.load()}; }

}  // namespace morgue::indexer

/// zlib's deflate, for every caller in the process (libxapian's glass tables among them).
/// A skipped call leaves the stream untouched and reports no progress (Z_BUF_ERROR): glass
/// then stores the tag as it is.
extern "C" int deflate(z_streamp strm, int flush) {
    using morgue::indexer::GlassCompression;
    namespace i = morgue::indexer;
    const GlassCompression mode = i::g_mode.load(std::memory_order_relaxed);
    const bool skip =
        flush == Z_FINISH && strm != nullptr &&
        (mode == GlassCompression::None ||
         (mode == GlassCompression::NotStoredArticles && strm->next_in != nullptr &&
          i::is_stored_article(std::string_view(reinterpret_cast<const char*>(strm->next_in), strm->avail_in))));
    const i::DeflateFn real = i::zlib_deflate();
    if (skip || real == nullptr) {
        i::g_skipped.fetch_add(1, std::memory_order_relaxed);
        return Z_BUF_ERROR;
    }
    i::g_passed.fetch_add(1, std::memory_order_relaxed);
    return real(strm, flush);
}
