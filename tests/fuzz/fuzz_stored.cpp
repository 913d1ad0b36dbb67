/** @file fuzz_stored.cpp
 *  @brief libFuzzer target: a stored article's bytes as a corrupt archive could hold them.
 *
 *  Document data (format byte, word sketch, zstd frame) and the stored JSON inside it are read
 *  for every hit shown and every phrase candidate checked: bad bytes must end in morgue::Error,
 *  never a crash. The input is tried whole as document data, and as the JSON a frame decodes to.
 */
#include "common/article.h"
#include "common/error.h"
#include "common/free_text.h"
#include "common/stored_article.h"
#include "common/zstd_codec.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    try {
        (void)morgue::article_from_json(bytes);
    } catch (const morgue::Error&) {
    }
    static morgue::ZstdCodec codec;
    try {
        (void)morgue::decode_stored_article(bytes, codec);
    } catch (const morgue::Error&) {
    }
    try {
        (void)morgue::read_word_sketch(morgue::split_stored_article(bytes).sketch);
    } catch (const morgue::Error&) {
    }
    return 0;
}
