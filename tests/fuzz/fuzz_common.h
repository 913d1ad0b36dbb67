/** @file fuzz_common.h
 *  @brief Shared by the reader fuzzers: a sink that checks what every reader promises.
 */
#pragma once

#include "common/article.h"
#include "common/text.h"
#include "corpus/reader.h"

#include <cstdlib>

namespace morgue::fuzz {

/// Every article a reader delivers is valid UTF-8 (after finish_article) with an id; every reject
/// names its file. A broken promise aborts, which libFuzzer reports as a crash.
inline corpus::Sink checking_sink() {
    corpus::Sink sink;
    sink.article = [](Article&& a) {
        corpus::finish_article(a);
        if (a.id.empty()) std::abort();
        if (!text::is_valid_utf8(a.title) || !text::is_valid_utf8(a.body) || !text::is_valid_utf8(a.dateline))
            std::abort();
        for (const auto& c : a.captions)
            if (!text::is_valid_utf8(c)) std::abort();
        (void)article_from_json(article_to_json(a));
    };
    sink.reject = [](corpus::Reject&& r) {
        if (r.file.empty() || r.reason.empty()) std::abort();
    };
    return sink;
}

}  // namespace morgue::fuzz
