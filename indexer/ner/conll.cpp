/** @file conll.cpp
 *  @brief CoNLL-2003 reader and conlleval-compatible chunk scorer.
 */
#include "indexer/ner/conll.h"

#include <fstream>

#include "common/error.h"

namespace morgue::ner {

std::vector<ConllDocument> read_conll(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) throw InputError(path.string(), 0, "cannot open CoNLL file");
    std::vector<ConllDocument> docs(1);
    ConllSentence cur;
    auto end_sentence = [&] {
        if (!cur.words.empty()) docs.back().sentences.push_back(std::move(cur));
        cur = ConllSentence{};
    };
    std::string line;
    long line_no = 0;
    while (std::getline(in, line)) {
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) {
            end_sentence();
            continue;
        }
        const std::size_t first_end = line.find_first_of(" \t");
        const std::size_t last_begin = line.find_last_of(" \t");
        if (first_end == std::string::npos)
            throw InputError(path.string(), line_no, "expected 'word ... TAG', got one column");
        std::string word = line.substr(0, first_end);
        const std::string tag_text = line.substr(last_begin + 1);
        if (word == "-DOCSTART-") {
            end_sentence();
            if (!docs.back().sentences.empty()) docs.emplace_back();
            continue;
        }
        const auto tag = parse_tag(tag_text);
        if (!tag)
            throw InputError(path.string(), line_no, "bad NER tag '" + tag_text + "'");
        cur.words.push_back(std::move(word));
        cur.tags.push_back(*tag);
    }
    if (in.bad()) throw InputError(path.string(), line_no, "read error");
    end_sentence();
    if (docs.back().sentences.empty()) docs.pop_back();
    return docs;
}

std::vector<Chunk> chunks_of(const std::vector<Tag>& tags) {
    std::vector<Chunk> out;
    std::size_t i = 0;
    while (i < tags.size()) {
        if (tags[i] == k_tag_outside) { ++i; continue; }
        const EntityType type = tag_type(tags[i]);
        std::size_t j = i + 1;
        while (j < tags.size() && is_inside(tags[j]) && tag_type(tags[j]) == type) ++j;
        out.push_back(Chunk{i, j, type});
        i = j;
    }
    return out;
}

void ChunkScorer::add(const std::vector<Tag>& gold, const std::vector<Tag>& predicted) {
    m_tokens += static_cast<long>(gold.size());
    const auto g = chunks_of(gold);
    const auto p = chunks_of(predicted);
    for (const Chunk& c : g) { ++m_overall.gold; ++m_per_type[static_cast<int>(c.type)].gold; }
    for (const Chunk& c : p) { ++m_overall.predicted; ++m_per_type[static_cast<int>(c.type)].predicted; }
    // Both lists are sorted by begin and non-overlapping, so a merge finds exact matches.
    std::size_t a = 0, b = 0;
    while (a < g.size() && b < p.size()) {
        if (g[a].begin < p[b].begin) ++a;
        else if (p[b].begin < g[a].begin) ++b;
        else {
            if (g[a] == p[b]) { ++m_overall.correct; ++m_per_type[static_cast<int>(g[a].type)].correct; }
            ++a; ++b;
        }
    }
}

}  // namespace morgue::ner
