/** @file glass_compression.h
 *  @brief Which of Xapian's glass tags zlib compresses while this process writes.
 *
 *  Xapian 1.4's glass backend deflates every document-data and term-list tag it
 *  writes (zlib, default level) and keeps the result when it is smaller; it has no
 *  switch for it. For Morgue both are poor work in the nightly writer:
 *  - document data is a zstd frame behind a word sketch: zlib never shrank one
 *    (0 of 5,000 generated articles), yet deflating them was about 4% of all
 *    indexing CPU;
 *  - term lists shrink by a quarter, but only the compacted archive is kept for
 *    years, and Xapian's compactor deflates every term list it copies that is
 *    not compressed yet: compressing them once, at `compact`, is enough.
 *  Deflate was a quarter of the writer thread's time (a tenth of all CPU).
 *
 *  This file defines `deflate` itself, so that the dynamic linker binds
 *  libxapian's calls to it; it hands what it keeps to zlib's own deflate. Not
 *  compressing is always a valid answer to glass (its code stores the tag as it
 *  is when deflate does not finish), so the archive stays a plain glass database
 *  that every Xapian tool reads. Where the interposition does not take (a zlib
 *  linked statically into Xapian), everything is compressed as before:
 *  glass_deflate_counts() shows which (tests/test_glass_compression.cpp).
 */
#pragma once

#include <cstdint>

namespace morgue::indexer {

enum class GlassCompression {
    Xapian,             ///< every tag as Xapian decides (the default)
    NotStoredArticles,  ///< everything but Morgue's stored articles (format 2 data), whose zstd frame zlib cannot shrink
    None,               ///< nothing: the nightly writer (compaction compresses the term lists later)
};

/// Sets the mode for the whole process until the guard goes; the previous mode comes back then.
class GlassCompressionScope {
  public:
    explicit GlassCompressionScope(GlassCompression mode);
    ~GlassCompressionScope();
    GlassCompressionScope(const GlassCompressionScope&) = delete;
    GlassCompressionScope& operator=(const GlassCompressionScope&) = delete;

  private:
    GlassCompression m_previous;
};

struct DeflateCounts {
    std::uint64_t passed = 0;   ///< calls handed to zlib
    std::uint64_t skipped = 0;  ///< calls answered "not compressible" here
};
/// What this process's deflate calls did so far.
[[nodiscard]] DeflateCounts glass_deflate_counts();

}  // namespace morgue::indexer
