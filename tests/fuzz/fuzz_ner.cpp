/** @file fuzz_ner.cpp
 *  @brief libFuzzer target: the NER tokeniser, entity keys and whole-article extraction with the shipped
 *         model (first line the title, the rest the body, as `morgue-ner tag` reads it).
 */
#include "common/entity_key.h"
#include "indexer/ner/entities.h"
#include "indexer/ner/tokenizer.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    // Token offsets stay inside the input, in order, and never overlap.
    std::size_t last_end = 0;
    for (const auto& sentence : morgue::ner::tokenize(text)) {
        if (sentence.tokens.empty()) std::abort();
        for (const auto& token : sentence.tokens) {
            if (token.begin < last_end || token.begin >= token.end || token.end > size || token.text.empty())
                std::abort();
            last_end = token.end;
        }
    }
    (void)morgue::entity_key(text);
    static const morgue::ner::Tagger tagger = morgue::ner::Tagger::load_default();
    const std::size_t nl = text.find('\n');
    const auto title = text.substr(0, nl);
    const auto body = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    for (const auto& e : morgue::ner::extract_entities(tagger, title, body))
        if (e.mentions < 1 || e.name.empty() || e.key.empty()) std::abort();
    return 0;
}
