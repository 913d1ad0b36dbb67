/** @file tokenizer.h
 *  @brief Splits raw article text into sentences and CoNLL-style tokens with byte offsets.
 *
 *  Tokens follow the CoNLL-2003 conventions the tagger was trained on: punctuation apart,
 *  "'s" and "n't" split off, abbreviations such as "U.S." and "Jan." kept whole, hyphenated
 *  words kept whole. Typographic quotes and dashes are mapped to their ASCII forms in
 *  Token::text; begin/end always point into the original bytes.
 */
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace morgue::ner {

struct Token {
    std::string text;       ///< normalised form (ASCII quotes and dashes)
    std::size_t begin = 0;  ///< byte offset of the first byte in the input
    std::size_t end = 0;    ///< byte offset one past the last byte in the input
};

struct Sentence {
    std::vector<Token> tokens;
    bool paragraph_start = false;  ///< first sentence after a blank line (or of the text)
};

/// Splits UTF-8 text into sentences. Never throws on malformed UTF-8 (bytes pass through).
[[nodiscard]] std::vector<Sentence> tokenize(std::string_view text);

}  // namespace morgue::ner
