/** @file entities.cpp
 *  @brief Mentions from tags, and in-document resolution of types, acronyms and short names.
 */
#include "indexer/ner/entities.h"

#include <algorithm>
#include <deque>
#include <map>
#include <unordered_map>

#include "common/entity_key.h"
#include "indexer/ner/conll.h"
#include "indexer/ner/tokenizer.h"

namespace morgue::ner {
namespace {

struct Mention {
    EntityType type;
    std::vector<std::string> words;      // normalised token texts
    std::vector<std::string> word_keys;  // entity_key of each word
    std::string name;
    std::string key;
    bool in_title;
    bool in_lead;
    std::size_t order;  // position in the article
};

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }

bool all_caps_word(std::string_view w) {
    bool upper = false;
    for (char c : w) {
        if (is_lower(c)) return false;
        if (is_upper(c)) upper = true;
    }
    return upper;
}

/// Display name: the (truecased) token forms, spaced as in the source, typographic quotes made ASCII.
std::string display_name(const std::vector<std::string>& forms, const std::vector<Token>& tokens, std::size_t b,
                         std::size_t e) {
    std::string out;
    for (std::size_t i = b; i < e; ++i) {
        if (i > b && tokens[i].begin > tokens[i - 1].end) out += ' ';
        out += forms[i];
    }
    return out;
}

/// Splits chunks at "/" ("AP/Agence France-Presse" is two names).
std::vector<Chunk> split_chunks(const std::vector<Chunk>& chunks, const std::vector<Token>& tokens) {
    std::vector<Chunk> out;
    for (const Chunk& c : chunks) {
        std::size_t b = c.begin;
        for (std::size_t i = c.begin; i <= c.end; ++i) {
            if (i == c.end || tokens[i].text == "/") {
                if (i > b) out.push_back(Chunk{b, i, c.type});
                b = i + 1;
            }
        }
    }
    return out;
}

/// Letters of an acronym ("IAEA", "U.S." -> "US").
std::string acronym_letters(std::string_view w) {
    std::string out;
    for (char c : w)
        if (is_upper(c)) out += c;
        else if (c != '.' && c != '&') return {};
    return out;
}

/// Initials of the capitalised words of a name ("International Atomic Energy Agency" -> "IAEA").
std::string initials(const std::vector<std::string>& words) {
    std::string out;
    for (const std::string& w : words) {
        if (w.empty()) continue;
        if (is_upper(w[0])) out += w[0];
        else if (w == "of" || w == "and" || w == "the" || w == "for" || w == "&" || w == "de" || w == "'s") continue;
        else if (is_lower(w[0])) out += static_cast<char>(w[0] - 32);
    }
    return out;
}

bool is_affix_of(const std::vector<std::string>& shorter, const std::vector<std::string>& longer) {
    if (shorter.empty() || shorter.size() >= longer.size()) return false;
    const bool prefix = std::equal(shorter.begin(), shorter.end(), longer.begin());
    const bool suffix = std::equal(shorter.begin(), shorter.end(), longer.end() - static_cast<long>(shorter.size()));
    return prefix || suffix;
}

}  // namespace

std::vector<Entity> extract_entities(const Tagger& tagger, std::string_view title, std::string_view body) {
    std::vector<Sentence> sentences = tokenize(title);
    const std::size_t title_count = sentences.size();
    for (Sentence& s : tokenize(body)) sentences.push_back(std::move(s));

    std::vector<std::vector<std::string_view>> words(sentences.size());
    std::vector<SentenceKind> kinds(sentences.size(), SentenceKind::Body);
    for (std::size_t s = 0; s < sentences.size(); ++s) {
        for (const Token& t : sentences[s].tokens) words[s].push_back(t.text);
        if (s < title_count) kinds[s] = SentenceKind::Headline;
    }
    const auto tags = tagger.tag_document(words, kinds);

    std::deque<Mention> mentions;  // a deque: mentions are added below while pointers to earlier ones are held
    std::vector<std::vector<bool>> covered(sentences.size());
    std::size_t order = 0;
    for (std::size_t s = 0; s < sentences.size(); ++s) {
        const auto& toks = sentences[s].tokens;
        covered[s].assign(toks.size(), false);
        const bool in_title = s < title_count;
        const bool in_lead = !in_title && s - title_count < k_lead_sentences;
        const std::vector<std::string> forms = tagger.truecase(words[s], kinds[s]);
        for (const Chunk& c : split_chunks(chunks_of(tags[s]), toks)) {
            Mention m{c.type, {}, {}, display_name(forms, toks, c.begin, c.end), {}, in_title, in_lead, order++};
            for (std::size_t i = c.begin; i < c.end; ++i) {
                m.words.push_back(toks[i].text);
                m.word_keys.push_back(morgue::entity_key(toks[i].text));
                covered[s][i] = true;
            }
            m.key = morgue::entity_key(m.name);
            if (!m.key.empty()) mentions.push_back(std::move(m));
        }
    }

    // 1. One type per key.
    std::unordered_map<std::string, std::array<int, k_num_types>> type_votes;
    for (const Mention& m : mentions) ++type_votes[m.key][static_cast<int>(m.type)];
    for (Mention& m : mentions) {
        const auto& v = type_votes[m.key];
        int best = static_cast<int>(m.type);
        for (int t = 0; t < k_num_types; ++t)
            if (v[t] > v[best]) best = t;
        m.type = static_cast<EntityType>(best);
    }

    // Representative per key: the first mention with the most words.
    std::map<std::string, const Mention*> first_of;
    std::unordered_map<std::string, int> count_of;
    for (const Mention& m : mentions) {
        ++count_of[m.key];
        first_of.emplace(m.key, &m);
    }

    // 2. Acronyms. alias: key -> key it joins.
    std::unordered_map<std::string, std::string> alias;
    std::unordered_map<std::string, std::string> acronym_text;  // acronym as written -> long key
    for (std::size_t s = 0; s < sentences.size(); ++s) {
        const auto& toks = sentences[s].tokens;
        for (const Chunk& c : chunks_of(tags[s])) {
            if (c.end - c.begin < 2 || c.end + 2 >= toks.size() + 1) continue;
            if (c.end + 2 >= toks.size() || toks[c.end].text != "(" || toks[c.end + 2].text != ")") continue;
            const std::string& acr = toks[c.end + 1].text;
            std::vector<std::string> long_words;
            for (std::size_t i = c.begin; i < c.end; ++i) long_words.push_back(toks[i].text);
            if (acronym_letters(acr).size() >= 2 && acronym_letters(acr) == initials(long_words)) {
                std::string long_name;
                for (std::size_t i = c.begin; i < c.end; ++i) long_name += (i > c.begin ? " " : "") + toks[i].text;
                const std::string long_key = morgue::entity_key(long_name);
                alias[morgue::entity_key(acr)] = long_key;
                acronym_text[acr] = long_key;
            }
        }
    }
    for (const auto& [key, m] : first_of) {
        if (m->words.size() != 1 || alias.count(key)) continue;
        const std::string letters = acronym_letters(m->words[0]);
        if (letters.size() < 2) continue;
        const Mention* target = nullptr;
        int candidates = 0;
        for (const auto& [other_key, o] : first_of) {
            if (o->words.size() == letters.size() && initials(o->words) == letters) {
                target = o;
                ++candidates;
            }
        }
        if (candidates == 1) {
            alias[key] = target->key;
            acronym_text[m->words[0]] = target->key;
        }
    }

    // 3. Short mentions.
    for (const auto& [key, m] : first_of) {
        if (alias.count(key)) continue;
        const Mention* best = nullptr;
        int best_count = 0, second_count = 0;
        for (const auto& [other_key, o] : first_of) {
            if (other_key == key || !is_affix_of(m->word_keys, o->word_keys)) continue;
            const bool person_target = o->type == EntityType::Person && m->words.size() == 1;
            if (o->type != m->type && !person_target) continue;
            const int cnt = count_of[other_key];
            if (!best || cnt > best_count || (cnt == best_count && o->order < best->order)) {
                second_count = best ? best_count : 0;
                best = o;
                best_count = cnt;
            } else {
                second_count = std::max(second_count, cnt);
            }
        }
        // People: the most mentioned full name. Other types: only a clear winner.
        if (best && (best->type == EntityType::Person || best_count >= 2 * second_count)) alias[key] = best->key;
    }
    auto resolve = [&](std::string key) {
        for (int hops = 0; hops < 4; ++hops) {
            const auto it = alias.find(key);
            if (it == alias.end() || it->second == key) break;
            key = it->second;
        }
        return key;
    };

    // Untagged occurrences of an acronym defined or matched above.
    for (std::size_t s = 0; s < sentences.size(); ++s) {
        const auto& toks = sentences[s].tokens;
        for (std::size_t i = 0; i < toks.size(); ++i) {
            if (covered[s][i]) continue;
            const auto it = acronym_text.find(toks[i].text);
            if (it == acronym_text.end() || !first_of.count(it->second)) continue;
            const Mention* target = first_of[it->second];
            const bool in_title = s < title_count;
            const std::string key = morgue::entity_key(toks[i].text);
            mentions.push_back(Mention{target->type, {toks[i].text}, {key}, toks[i].text, key, in_title,
                                       !in_title && s - title_count < k_lead_sentences, order++});
        }
    }

    // Aggregate.
    struct Group {
        Entity entity;
        const Mention* best = nullptr;
        std::size_t first = 0;
    };
    std::map<std::string, Group> groups;
    for (const Mention& m : mentions) {
        const std::string target = resolve(m.key);
        Group& g = groups[target];
        if (!g.best) {
            g.first = m.order;
            const auto it = first_of.find(target);
            g.entity.type = it != first_of.end() ? it->second->type : m.type;
        }
        ++g.entity.mentions;
        g.entity.in_title |= m.in_title;
        g.entity.in_lead |= m.in_lead;
        if (m.key == target) {
            const bool better = !g.best || g.best->key != target ||
                                (all_caps_word(g.best->name) && !all_caps_word(m.name));
            if (better) g.best = &m;
        } else if (!g.best) {
            g.best = &m;
        }
    }
    std::vector<std::pair<std::size_t, Entity>> out;
    const double total = std::max<std::size_t>(1, mentions.size());
    for (auto& [key, g] : groups) {
        const auto it = first_of.find(key);
        const Mention* shown = it != first_of.end() ? it->second : g.best;
        if (g.best && g.best->key == key) shown = g.best;
        g.entity.name = shown->name;
        g.entity.key = key;
        g.entity.salience = (g.entity.mentions + (g.entity.in_title ? 3.0 : 0.0) + (g.entity.in_lead ? 2.0 : 0.0)) / total;
        out.emplace_back(g.first, std::move(g.entity));
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        if (a.second.salience != b.second.salience) return a.second.salience > b.second.salience;
        return a.first < b.first;
    });
    std::vector<Entity> result;
    for (auto& [pos, e] : out) result.push_back(std::move(e));
    return result;
}

}  // namespace morgue::ner
