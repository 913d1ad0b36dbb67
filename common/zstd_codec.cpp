/** @file zstd_codec.cpp
 *  @brief ZstdCodec over libzstd's one-shot and streaming APIs.
 */
#include "common/zstd_codec.h"

#include "common/error.h"

#include <zdict.h>
#include <zstd.h>

namespace morgue {

struct ZstdCodec::Impl {
    int level;
    ZSTD_CCtx* cctx = ZSTD_createCCtx();
    ZSTD_DCtx* dctx = ZSTD_createDCtx();
    ZSTD_CDict* cdict = nullptr;  ///< built on first compress: readers never need it
    ZSTD_DDict* ddict = nullptr;
    std::string dictionary;       ///< kept until cdict is built

    explicit Impl(int lvl) : level(lvl) {
        if (cctx == nullptr || dctx == nullptr) throw Error("zstd: out of memory");
    }
    ~Impl() {
        clear_dict();
        ZSTD_freeCCtx(cctx);
        ZSTD_freeDCtx(dctx);
    }
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;
    void clear_dict() {
        ZSTD_freeCDict(cdict);
        ZSTD_freeDDict(ddict);
        cdict = nullptr;
        ddict = nullptr;
        dictionary.clear();
    }
};

ZstdCodec::ZstdCodec(int level) : m_impl(std::make_unique<Impl>(level)) {}
ZstdCodec::~ZstdCodec() = default;

void ZstdCodec::set_dictionary(std::string_view dictionary) {
    m_impl->clear_dict();
    if (dictionary.empty()) return;
    m_impl->ddict = ZSTD_createDDict(dictionary.data(), dictionary.size());
    if (m_impl->ddict == nullptr) throw Error("zstd: cannot load dictionary");
    m_impl->dictionary.assign(dictionary);
}

std::string ZstdCodec::compress(std::string_view plain) {
    if (m_impl->cdict == nullptr && !m_impl->dictionary.empty()) {
        m_impl->cdict = ZSTD_createCDict(m_impl->dictionary.data(), m_impl->dictionary.size(), m_impl->level);
        if (m_impl->cdict == nullptr) throw Error("zstd: cannot load dictionary");
    }
    std::string out(ZSTD_compressBound(plain.size()), '\0');
    const std::size_t n =
        m_impl->cdict != nullptr
            ? ZSTD_compress_usingCDict(m_impl->cctx, out.data(), out.size(), plain.data(), plain.size(), m_impl->cdict)
            : ZSTD_compressCCtx(m_impl->cctx, out.data(), out.size(), plain.data(), plain.size(), m_impl->level);
    if (ZSTD_isError(n)) throw Error(std::string("zstd: ") + ZSTD_getErrorName(n));
    out.resize(n);
    return out;
}

std::string ZstdCodec::decompress(std::string_view frame, std::size_t max_size) {
    const unsigned long long declared = ZSTD_getFrameContentSize(frame.data(), frame.size());
    if (declared == ZSTD_CONTENTSIZE_ERROR) throw Error("zstd: not a zstd frame");
    if (declared != ZSTD_CONTENTSIZE_UNKNOWN) {
        if (declared > max_size) throw Error("zstd: frame too large");
        std::string out(static_cast<std::size_t>(declared), '\0');
        const std::size_t n =
            m_impl->ddict != nullptr
                ? ZSTD_decompress_usingDDict(m_impl->dctx, out.data(), out.size(), frame.data(), frame.size(),
                                             m_impl->ddict)
                : ZSTD_decompressDCtx(m_impl->dctx, out.data(), out.size(), frame.data(), frame.size());
        if (ZSTD_isError(n)) throw Error(std::string("zstd: ") + ZSTD_getErrorName(n));
        out.resize(n);
        return out;
    }
    // Size not recorded in the frame: stream it out, bounded by max_size.
    ZSTD_DCtx_reset(m_impl->dctx, ZSTD_reset_session_only);
    if (m_impl->ddict != nullptr) ZSTD_DCtx_refDDict(m_impl->dctx, m_impl->ddict);
    std::string out;
    std::string buf(ZSTD_DStreamOutSize(), '\0');
    ZSTD_inBuffer in{frame.data(), frame.size(), 0};
    std::size_t ret = 1;
    while (in.pos < in.size) {
        ZSTD_outBuffer o{buf.data(), buf.size(), 0};
        ret = ZSTD_decompressStream(m_impl->dctx, &o, &in);
        if (ZSTD_isError(ret)) throw Error(std::string("zstd: ") + ZSTD_getErrorName(ret));
        out.append(buf.data(), o.pos);
        if (out.size() > max_size) throw Error("zstd: frame too large");
        if (ret == 0) break;
    }
    if (ret != 0) throw Error("zstd: truncated frame");
    return out;
}

unsigned ZstdCodec::frame_dictionary_id(std::string_view frame) noexcept {
    return ZSTD_getDictID_fromFrame(frame.data(), frame.size());
}

unsigned ZstdCodec::dictionary_id(std::string_view dictionary) noexcept {
    return ZDICT_getDictID(dictionary.data(), dictionary.size());
}

std::string ZstdCodec::train_dictionary(const std::vector<std::string>& samples, std::size_t capacity) {
    std::string joined;
    std::vector<std::size_t> sizes;
    sizes.reserve(samples.size());
    for (const auto& s : samples) {
        if (s.empty()) continue;
        joined += s;
        sizes.push_back(s.size());
    }
    if (sizes.size() < 8) return {};
    std::string dict(capacity, '\0');
    const std::size_t n = ZDICT_trainFromBuffer(dict.data(), dict.size(), joined.data(), sizes.data(),
                                                static_cast<unsigned>(sizes.size()));
    if (ZDICT_isError(n)) return {};
    dict.resize(n);
    return dict;
}

}  // namespace morgue
