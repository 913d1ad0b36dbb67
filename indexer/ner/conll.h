/** @file conll.h
 *  @brief Reading CoNLL-2003 files and scoring tagged chunks the way conlleval does.
 */
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include "indexer/ner/tags.h"

namespace morgue::ner {

struct ConllSentence {
    std::vector<std::string> words;
    std::vector<Tag> tags;
};

/// Sentences between two -DOCSTART- lines; a file without them is one document.
struct ConllDocument {
    std::vector<ConllSentence> sentences;
};

/// Reads a CoNLL file: first column the word, last column the IOB tag (other columns ignored).
/// Throws morgue::Error naming the file and line on a malformed line.
[[nodiscard]] std::vector<ConllDocument> read_conll(const std::filesystem::path& path);

/// Counts for exact-span, exact-type chunk matching.
struct ChunkCounts {
    long correct = 0;
    long gold = 0;
    long predicted = 0;
    [[nodiscard]] double precision() const { return predicted ? 100.0 * correct / predicted : 0.0; }
    [[nodiscard]] double recall() const { return gold ? 100.0 * correct / gold : 0.0; }
    [[nodiscard]] double f1() const {
        const double p = precision(), r = recall();
        return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
    }
};

/// A chunk [begin, end) of one type within a sentence.
struct Chunk {
    std::size_t begin = 0;
    std::size_t end = 0;
    EntityType type = EntityType::Misc;
    friend bool operator==(const Chunk&, const Chunk&) = default;
};

/// Chunks of a tag sequence with conlleval's rules (an I- after O or another type starts a chunk).
[[nodiscard]] std::vector<Chunk> chunks_of(const std::vector<Tag>& tags);

class ChunkScorer {
public:
    void add(const std::vector<Tag>& gold, const std::vector<Tag>& predicted);
    [[nodiscard]] const ChunkCounts& overall() const { return m_overall; }
    [[nodiscard]] const ChunkCounts& per_type(EntityType t) const { return m_per_type[static_cast<int>(t)]; }
    [[nodiscard]] long tokens() const { return m_tokens; }

private:
    ChunkCounts m_overall;
    std::array<ChunkCounts, k_num_types> m_per_type{};
    long m_tokens = 0;
};

}  // namespace morgue::ner
