/** @file free_text.cpp
 *  @brief The free-text fields of an article, in the schema's order, with gaps between them; the
 *         word sketch of stored articles.
 */
#include "common/free_text.h"

#include "common/error.h"
#include "common/text.h"
#include "common/varint.h"

#include <algorithm>
#include <utility>

namespace morgue {

std::vector<FieldSpan> index_free_text(const Article& a, Xapian::TermGenerator& tg, bool positions,
                                       const FieldHook& hook) {
    std::vector<FieldSpan> spans;
    tg.set_termpos(0);
    for (const auto& field : schema::fields()) {
        if (field.kind != schema::FieldKind::FreeText) continue;
        const std::string prefix(field.prefix);
        auto index = [&](const std::string& text) {
            if (positions) tg.index_text(text, field.wdf_inc, prefix);
            else tg.index_text_without_positions(text, field.wdf_inc, prefix);
        };
        if (hook) hook(field, true);
        FieldSpan span{field.source, prefix, tg.get_termpos() + 1, 0};
        switch (field.source) {
            case schema::Source::Title: index(a.title); break;
            case schema::Source::Body: index(a.body); break;
            case schema::Source::Authors:
                for (const auto& author : a.authors) {
                    index(author);
                    tg.increase_termpos(kFieldGap);
                }
                break;
            default: break;
        }
        span.last = tg.get_termpos();
        spans.push_back(span);
        if (hook) hook(field, false);
        tg.increase_termpos(kFieldGap);
    }
    return spans;
}

unsigned char sketch_byte(std::string_view stem) noexcept {
    const std::uint64_t h = text::hash64(stem);
    return static_cast<unsigned char>(h ^ (h >> 8) ^ (h >> 16) ^ (h >> 24) ^ (h >> 32) ^ (h >> 40) ^ (h >> 48) ^ (h >> 56));
}

namespace {

/// A length of the sketch's header.
std::size_t sketch_length(std::string_view s, std::size_t& at) {
    std::size_t v = 0;
    switch (get_varint(s, at, v)) {
        case VarintRead::Ok: return v;
        case VarintRead::Truncated: throw Error("word sketch is truncated");
        case VarintRead::TooLong: break;
    }
    throw Error("word sketch has a bad length");
}

}  // namespace

std::string word_sketch(const Xapian::Document& words, const std::vector<FieldSpan>& spans) {
    // The title (its own field, the S prefix), the authors and the body: the plain copy of the
    // title that follows the body holds the same words again.
    const FieldSpan* fields[3] = {nullptr, nullptr, nullptr};
    for (const auto& sp : spans) {
        if (sp.source == schema::Source::Title && !sp.prefix.empty() && !fields[0]) fields[0] = &sp;
        if (sp.source == schema::Source::Authors && !fields[1]) fields[1] = &sp;
        if (sp.source == schema::Source::Body && !fields[2]) fields[2] = &sp;
    }
    // Each field's words by position; the gaps between authors close up (a sketch may only ever
    // say "maybe" too often, never "no" wrongly).
    std::vector<std::pair<Xapian::termpos, unsigned char>> at[3];
    for (auto t = words.termlist_begin(); t != words.termlist_end(); ++t) {
        const std::string term = *t;
        if (term.empty() || term[0] != 'Z') continue;
        for (int f = 0; f < 3; ++f) {
            const FieldSpan* sp = fields[f];
            if (!sp || term.compare(1, sp->prefix.size(), sp->prefix) != 0) continue;
            // Prefixes are capitals, stems lower case: "ZSfoo" is no plain stem.
            const std::string stem = term.substr(1 + sp->prefix.size());
            if (stem.empty() || (stem[0] >= 'A' && stem[0] <= 'Z')) continue;
            const unsigned char b = sketch_byte(stem);
            for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p)
                if (*p >= sp->first && *p <= sp->last) at[f].emplace_back(*p, b);
        }
    }
    std::string out;
    for (auto& field : at) {
        std::sort(field.begin(), field.end());
        put_varint(out, field.size());
    }
    for (const auto& field : at)
        for (const auto& [pos, b] : field) out += static_cast<char>(b);
    return out;
}

WordSketch read_word_sketch(std::string_view sketch) {
    WordSketch w;
    if (sketch.empty()) return w;
    std::size_t at = 0;
    const std::size_t n_title = sketch_length(sketch, at), n_authors = sketch_length(sketch, at),
                      n_body = sketch_length(sketch, at);
    if (n_title > sketch.size() || n_authors > sketch.size() || n_body > sketch.size() ||
        at + n_title + n_authors + n_body != sketch.size())
        throw Error("word sketch has lengths that do not add up");
    w.title = sketch.substr(at, n_title);
    w.authors = sketch.substr(at + n_title, n_authors);
    w.body = sketch.substr(at + n_title + n_authors, n_body);
    w.present = true;
    return w;
}

}  // namespace morgue
