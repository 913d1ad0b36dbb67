/** @file entity_key.cpp
 *  @brief Entity key normalisation with ICU (NFKD, mark removal, full case folding).
 */
#include "common/entity_key.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>

#include "common/error.h"

namespace morgue {
namespace {

bool is_dropped(UChar32 c) {
    // Apostrophes and periods vanish rather than split a word: "O'Brien", "U.S.".
    return c == '\'' || c == '.' || c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x0060 || c == 0x00B4 ||
           c == 0x2032;
}

/// Case folding, NFKD, marks removed, punctuation and spacing normalised (one round).
std::string fold_unicode(std::string_view name) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfkd = icu::Normalizer2::getNFKDInstance(status);
    if (U_FAILURE(status)) throw Error(std::string("ICU NFKD normaliser unavailable: ") + u_errorName(status));
    icu::UnicodeString text = icu::UnicodeString::fromUTF8(icu::StringPiece(name.data(), static_cast<int32_t>(name.size())));
    text.foldCase();
    icu::UnicodeString decomposed = nfkd->normalize(text, status);
    if (U_FAILURE(status)) throw Error(std::string("ICU normalisation failed: ") + u_errorName(status));

    icu::UnicodeString out;
    bool pending_space = false;
    for (int32_t i = 0; i < decomposed.length();) {
        const UChar32 c = decomposed.char32At(i);
        i += U16_LENGTH(c);
        const int8_t type = u_charType(c);
        if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK || type == U_COMBINING_SPACING_MARK) continue;
        if (is_dropped(c)) continue;
        if (u_isalnum(c)) {
            if (pending_space && !out.isEmpty()) out.append(static_cast<UChar>(' '));
            pending_space = false;
            out.append(c);
        } else {
            pending_space = true;
        }
    }
    out.foldCase();  // a second fold catches what decomposition exposed
    std::string key;
    out.toUTF8String(key);
    return key;
}

}  // namespace

std::string entity_key(std::string_view name) {
    const bool ascii = std::all_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (ascii) {
        // The same rules as below, without ICU: most names in English news are ASCII.
        std::string key;
        bool pending_space = false;
        for (char c : name) {
            if (c == '\'' || c == '.' || c == '`') continue;
            const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alnum) {
                pending_space = true;
                continue;
            }
            if (pending_space && !key.empty()) key += ' ';
            pending_space = false;
            key += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
        }
        return key;
    }
    // Twice: case folding can bring back a combining mark ("İ" folds to "i" + U+0307) or a compound form.
    return fold_unicode(fold_unicode(name));
}

}  // namespace morgue
