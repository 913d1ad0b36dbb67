/** @file features.h
 *  @brief Hashed feature extraction, truecasing, document history and Viterbi decoding.
 *
 *  Every feature is a 64-bit hash of (template id, values), folded into one of 2^bucket_bits rows of
 *  k_num_tags weights. No feature dictionary is kept, so the model stays small and lookups are one
 *  multiply-shift away. The same code serves training (float weights) and tagging (int16 weights).
 */
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "indexer/ner/model.h"
#include "indexer/ner/tags.h"

namespace morgue::ner {

[[nodiscard]] std::uint64_t hash_bytes(std::string_view s);
[[nodiscard]] std::string ascii_lower(std::string_view s);

/// How a sentence is cased, which decides whether it is truecased before feature extraction.
enum class SentenceKind : std::uint8_t { Body = 0, Headline = 1 };

/// Tags given so far in a document to each (lower-cased) capitalised word: the "non-local" evidence.
class DocHistory {
public:
    void record(std::span<const std::uint64_t> keys, std::span<const std::uint8_t> capitalised,
                std::span<const Tag> tags);
    [[nodiscard]] const std::array<std::uint16_t, k_num_types>* find(std::uint64_t key) const;
    void clear() { m_counts.clear(); }

private:
    std::unordered_map<std::uint64_t, std::array<std::uint16_t, k_num_types>> m_counts;
};

/// What a second-stage model sees of the first stage: its tags for this sentence, and the types it gave
/// each capitalised word anywhere in the document (Ratinov and Roth's prediction aggregation).
struct StackContext {
    const std::vector<Tag>* sentence_tags = nullptr;
    const DocHistory* document = nullptr;
};

/// Features of one sentence: for token i, row offsets (bucket * k_num_tags) in [offsets[i], offsets[i+1]).
/// (When tagging through a StageShare, rows hold only the context rows: the form-only rows are summed in
/// form_sums, and each stage keeps its history rows apart.)
struct SentenceFeatures {
    std::vector<std::uint32_t> rows;
    std::vector<std::uint32_t> offsets;
    std::vector<std::uint64_t> keys;         ///< lower-cased word hash per token (history key)
    std::vector<std::uint8_t> capitalised;   ///< token starts with a capital after truecasing
    // scratch, reused between sentences
    std::vector<std::string> forms;
    std::vector<std::string> lowers;
    struct Info {
        std::uint64_t word, lower, shape, short_shape;
        std::array<std::uint64_t, 4> prefix, suffix;
        std::uint32_t cluster;
        std::uint16_t gaz;
        std::uint8_t lex, len;
    };
    std::vector<Info> infos;
    std::uint64_t kind_code = 0;  ///< sentence kind and whether it was truecased
    /// With a FormMemo: per stage and token, the sum of the weight rows of the form-only features,
    /// which are then left out of rows.
    std::array<std::vector<std::array<std::int32_t, k_num_tags>>, 2> form_sums;
    std::vector<std::uint64_t> hist, doc, hashes;  // per-token history codes, stack codes, form hashes
};

/// Tagging only: what a word form alone gives the tagger, remembered across sentences and documents
/// (one memo per thread and model). For each form (keyed by its 64-bit hash): what its neighbours'
/// features read of it, and per stage the sum of the weight rows of its form-only features (bias,
/// word, shapes, affixes, lexicon, cluster: 15-19 of a token's 40-50 features, each a cache miss in an
/// 18 MB table). The sums are of integers, so the tags are those computed without the memo (unless two
/// forms share a 64-bit hash; the feature rows themselves share 20-bit buckets). Direct-mapped: a form
/// landing on a taken slot replaces it, so the memo's size is fixed (8 MB).
class FormMemo {
public:
    static constexpr std::size_t k_slots = std::size_t{1} << 16;
    struct alignas(128) Entry {
        std::uint64_t word = 0;  ///< the form's hash: the key
        std::uint64_t lower = 0, short_shape = 0;
        std::uint32_t cluster = 0;
        std::uint8_t lex = 0;
        bool used = false;
        std::array<std::array<std::int32_t, k_num_tags>, 2> sums{};  ///< per stage
    };
    FormMemo() : m_slots(k_slots) {}
    [[nodiscard]] Entry& slot(std::uint64_t form_hash) { return m_slots[form_hash & (k_slots - 1)]; }

private:
    std::vector<Entry> m_slots;
};

/// How prepare uses a memo: the weights of the model's two stages (the second may be null).
struct MemoUse {
    FormMemo* memo = nullptr;
    std::array<const std::int16_t*, 2> weights{};
};

/// Tagging only: what stage one computes of each sentence that stage two reuses (the forms with
/// both stages' memo sums, and the context rows: everything but the history and stack features).
struct StageShare {
    MemoUse memo;
    std::vector<SentenceFeatures> sentences;
};

class FeatureExtractor {
public:
    FeatureExtractor(const Resources& resources, std::uint32_t bucket_bits)
        : m_res(resources), m_bucket_bits(bucket_bits) {}

    /// Features of a sentence; with stack, the second-stage features are added. For token i the rows
    /// are its form-only features, its context features, then its history (and stack) features.
    void extract(std::span<const std::string_view> words, SentenceKind kind, const DocHistory& history,
                 SentenceFeatures& out, const StackContext* stack = nullptr) const;

    // The parts of extract, which tagging runs separately (run_stage).
    /// Forms, word infos, gazetteer marks; with memo, the form sums of both stages instead of form rows.
    void prepare(std::span<const std::string_view> words, SentenceKind kind, SentenceFeatures& out,
                 const MemoUse* memo) const;
    /// Per-token history codes (and stack codes with stack) of a prepared sentence.
    void history_codes(const DocHistory& history, const StackContext* stack, SentenceFeatures& out) const;
    /// Appends token i's context rows (neighbours, shapes, gazetteer, clusters).
    void context_rows(const SentenceFeatures& sentence, std::size_t i, std::vector<std::uint32_t>& rows) const;
    /// Appends token i's history rows, and its stack rows with stack (history_codes first).
    void history_rows(const SentenceFeatures& sentence, std::size_t i, const StackContext* stack,
                      std::vector<std::uint32_t>& rows) const;

    /// The form used for features: all-capitals sentences (and title-case headlines) truecased with the lexicon.
    void truecase(std::span<const std::string_view> words, SentenceKind kind, std::vector<std::string>& forms) const;

private:
    /// Fills everything of in that depends on the form alone (gaz is left 0).
    void describe_form(std::string_view form, std::string_view lower, SentenceFeatures::Info& in) const;
    /// Appends the rows of the form-only features.
    void form_rows(const SentenceFeatures::Info& in, bool capitalised, std::vector<std::uint32_t>& rows) const;
    /// The row offset of feature hash h (its bucket times k_num_tags).
    [[nodiscard]] std::uint32_t row_of(std::uint64_t h) const {
        return static_cast<std::uint32_t>(h >> (64 - m_bucket_bits)) * k_num_tags;
    }
    /// 1 for a sentence's first token, 2 for its second after a lower-case first, else 0.
    [[nodiscard]] static std::uint64_t initial_code(const SentenceFeatures& sentence, std::size_t i);

    const Resources& m_res;
    std::uint32_t m_bucket_bits;
};

/// One stage's quantised weights (weight = value * inverse_scale).
struct StageView {
    const std::int16_t* weights = nullptr;
    float inverse_scale = 1.0f;
    const TransitionTable* transitions = nullptr;
};

/// Tags a document left to right with one stage; a second stage also gets stage one's tags and its
/// document-wide counts. final_history, when given, receives the counts of the tags this stage gave.
/// share (tagging only), when given, carries the memo and what stage one computed to stage two:
/// run stage one and then stage two with the same share, for the same sentences.
void run_stage(const FeatureExtractor& extractor, const StageView& stage,
               std::span<const std::vector<std::string_view>> sentences, std::span<const SentenceKind> kinds,
               const std::vector<std::vector<Tag>>* stage_one, const DocHistory* stage_one_document,
               std::vector<std::vector<Tag>>& result, DocHistory* final_history = nullptr,
               StageShare* share = nullptr);

/// Best tag sequence under BIO constraints; emission is n x k_num_tags.
void viterbi(std::span<const float> emission, std::size_t n, const TransitionTable& transitions,
             std::vector<Tag>& out);

}  // namespace morgue::ner
