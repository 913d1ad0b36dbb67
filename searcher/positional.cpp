/** @file positional.cpp
 *  @brief The superset Xapian runs for a query with phrases, and the exact check of one article.
 *
 *  The check evaluates the query tree on the article with three contexts: a part every match
 *  needs (Must), a part no match may have (MustNot), and a part that may go either way (Free).
 *  A part without phrases is the same in the superset as in the query, so where every match
 *  needs it Xapian has already seen to it (Must: true), where none may have it likewise
 *  (MustNot: false); only Free parts beside a phrase (a phrase ORed with a field, say) read the
 *  document's own terms and values. Words (Z terms) and phrases are read from the article's
 *  text, indexed again with positions.
 */
#include "searcher/positional.h"

#include "common/free_text.h"

#include <algorithm>
#include <cstdlib>
#include <unordered_map>
#include <utility>

namespace morgue::searcher {

namespace {

using Op = Xapian::Query::op;

bool is_positional_op(Op op) { return op == Xapian::Query::OP_PHRASE || op == Xapian::Query::OP_NEAR; }

bool all_words_present(const Xapian::Query& q, const Xapian::Database* db) {
    if (db == nullptr) return true;
    for (auto t = q.get_unique_terms_begin(); t != q.get_unique_terms_end(); ++t)
        if (db->get_termfreq(*t) == 0) return false;
    return true;
}

/// A phrase or NEAR that needs checking: one that can match at all.
bool is_live_positional(const Xapian::Query& q, const Xapian::Database* db) {
    return is_positional_op(q.get_type()) && all_words_present(q, db);
}

bool has_positional(const Xapian::Query& q, const Xapian::Database* db) {
    if (is_positional_op(q.get_type())) return is_live_positional(q, db);
    for (std::size_t i = 0; i < q.get_num_subqueries(); ++i)
        if (has_positional(q.get_subquery(i), db)) return true;
    return false;
}

/// Query(...) -> ..., the description of the query itself.
std::string inner_description(const Xapian::Query& q) {
    std::string d = q.get_description();
    if (d.rfind("Query(", 0) == 0 && !d.empty() && d.back() == ')') d = d.substr(6, d.size() - 7);
    return d;
}

double scale_factor(const Xapian::Query& q) {
    // "0.5 * subquery" (QueryScaleWeight's description); the API has no getter.
    const std::string d = inner_description(q);
    return std::strtod(d.c_str(), nullptr);
}

std::vector<Xapian::Query> subqueries(const Xapian::Query& q) {
    std::vector<Xapian::Query> out;
    for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) out.push_back(q.get_subquery(i));
    return out;
}

Xapian::Query sub(const Xapian::Query& q, const Xapian::Database* db);

/// A query matching every article q matches (and more, where q has phrases), weighted alike.
Xapian::Query sup(const Xapian::Query& q, const Xapian::Database* db) {
    if (!has_positional(q, db)) return q;
    const Op op = q.get_type();
    std::vector<Xapian::Query> kids = subqueries(q);
    switch (op) {
        case Xapian::Query::OP_PHRASE:
        case Xapian::Query::OP_NEAR: return Xapian::Query(Xapian::Query::OP_AND, kids.begin(), kids.end());
        case Xapian::Query::OP_AND_NOT: {
            std::vector<Xapian::Query> rest;
            for (std::size_t i = 1; i < kids.size(); ++i) rest.push_back(sub(kids[i], db));
            return Xapian::Query(Xapian::Query::OP_AND_NOT, sup(kids[0], db),
                                 Xapian::Query(Xapian::Query::OP_OR, rest.begin(), rest.end()));
        }
        case Xapian::Query::OP_SCALE_WEIGHT: return Xapian::Query(op, sup(kids.at(0), db), scale_factor(q));
        case Xapian::Query::OP_XOR:
        case Xapian::Query::OP_ELITE_SET: {
            for (auto& k : kids) k = sup(k, db);
            return Xapian::Query(Xapian::Query::OP_OR, kids.begin(), kids.end());
        }
        case Xapian::Query::OP_AND: {
            // A phrase's AND of words joins the AND it is in: "blood-alcohol fatalities" is
            // the plain words blood AND alcohol AND fatalities, the shape the fast tiers match
            // over Morgue's posting lists (fast_tiers.h), and weighted alike.
            std::vector<Xapian::Query> flat;
            for (const auto& k : kids) {
                const Xapian::Query s = sup(k, db);
                if (s.get_type() == Xapian::Query::OP_AND && is_positional_op(k.get_type()))
                    for (std::size_t i = 0; i < s.get_num_subqueries(); ++i) flat.push_back(s.get_subquery(i));
                else
                    flat.push_back(s);
            }
            return Xapian::Query(op, flat.begin(), flat.end());
        }
        default:  // OR, FILTER, AND_MAYBE, SYNONYM, MAX
            for (auto& k : kids) k = sup(k, db);
            return Xapian::Query(op, kids.begin(), kids.end());
    }
}

/// A query matching only articles q matches (the negated side of AND_NOT).
Xapian::Query sub(const Xapian::Query& q, const Xapian::Database* db) {
    if (!has_positional(q, db)) return q;
    const Op op = q.get_type();
    std::vector<Xapian::Query> kids = subqueries(q);
    switch (op) {
        case Xapian::Query::OP_PHRASE:
        case Xapian::Query::OP_NEAR:
        case Xapian::Query::OP_XOR:
        case Xapian::Query::OP_ELITE_SET: return Xapian::Query::MatchNothing;
        case Xapian::Query::OP_AND_NOT: {
            std::vector<Xapian::Query> rest;
            for (std::size_t i = 1; i < kids.size(); ++i) rest.push_back(sup(kids[i], db));
            return Xapian::Query(Xapian::Query::OP_AND_NOT, sub(kids[0], db),
                                 Xapian::Query(Xapian::Query::OP_OR, rest.begin(), rest.end()));
        }
        case Xapian::Query::OP_AND_MAYBE: kids[0] = sub(kids[0], db); return Xapian::Query(op, kids.begin(), kids.end());
        case Xapian::Query::OP_SCALE_WEIGHT: return Xapian::Query(op, sub(kids.at(0), db), scale_factor(q));
        default:  // AND, OR, FILTER, SYNONYM, MAX
            for (auto& k : kids) k = sub(k, db);
            return Xapian::Query(op, kids.begin(), kids.end());
    }
}

/// Words are the Z terms (body, title and author words, stemmed); every other term is a field.
bool is_word_term(const std::string& term) { return !term.empty() && term[0] == 'Z'; }

enum class Ctx { Must, MustNot, Free };

/// Where a recording stemmer (below) sends the stems of the words it is given, in order.
class StemSink {
  public:
    StemSink() = default;
    StemSink(const StemSink&) = delete;
    StemSink& operator=(const StemSink&) = delete;
    virtual ~StemSink() = default;
    virtual void stem(const std::string& stem) = 0;
};

/// English stems through a cache of the words this thread has stemmed: checking a page of
/// candidates stems the same words again and again, and the stemmer was most of a check.
///
/// With a sink, each word's stem goes to the sink and the TermGenerator is told the stem is
/// empty: it then adds no term and moves no position (Xapian 1.4, STEM_ALL_Z), so tokenising an
/// article costs the words alone, with no Document of every term built. The sink numbers the
/// words itself (RecordedWords).
class CachedStemmer : public Xapian::StemImplementation {
  public:
    std::string operator()(const std::string& word) override {
        if (m_cache.size() > k_max_cached) m_cache.clear();  // bounded memory on any text
        auto [it, inserted] = m_cache.try_emplace(word);
        if (inserted) it->second = m_english(word);
        if (m_sink == nullptr || it->second.empty()) return it->second;
        m_sink->stem(it->second);
        return {};
    }
    [[nodiscard]] std::string get_description() const override { return "Xapian::Stem(english), cached"; }
    void set_sink(StemSink* sink) noexcept { m_sink = sink; }

  private:
    static constexpr std::size_t k_max_cached = 1u << 16;
    Xapian::Stem m_english{"english"};
    std::unordered_map<std::string, std::string> m_cache;
    StemSink* m_sink = nullptr;
};

/// This thread's TermGenerator for checks, with the cached stemmer (reference counted by Xapian;
/// the pointer beside it stays valid as long as the TermGenerator holds it).
struct CheckTermGen {
    CachedStemmer* stemmer = new CachedStemmer;
    Xapian::TermGenerator tg;
    CheckTermGen() {
        tg.set_stemmer(Xapian::Stem(stemmer));
        tg.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL_Z);
    }
};

CheckTermGen& thread_termgen() {
    thread_local CheckTermGen t;
    return t;
}

}  // namespace

Xapian::termcount positional_window(const Xapian::Query& query) {
    const Op op = query.get_type();
    if (!is_positional_op(op)) return 0;
    const std::string d = inner_description(query);
    const std::string name = op == Xapian::Query::OP_PHRASE ? " PHRASE " : " NEAR ";
    const auto at = d.find(name);
    if (at == std::string::npos) return static_cast<Xapian::termcount>(query.get_num_subqueries());
    const unsigned long w = std::strtoul(d.c_str() + at + name.size(), nullptr, 10);
    return w > 0 ? static_cast<Xapian::termcount>(w) : static_cast<Xapian::termcount>(query.get_num_subqueries());
}

struct PositionalQuery::Node {
    enum class Kind { Word, Field, Phrase, Near, And, Or, AndNot, AndMaybe, Xor, Elite, All, Nothing, ValueRange, Wildcard, Other };
    Kind kind = Kind::Other;
    std::string term;                        ///< Word, Field; Wildcard: the pattern
    std::vector<std::vector<std::string>> slots;  ///< Phrase, Near: each place's words (one, or several ORed)
    Xapian::termcount window = 0;            ///< Phrase, Near
    Xapian::valueno slot = 0;                ///< ValueRange
    std::string lo, hi;                      ///< ValueRange: empty is open
    std::vector<Node> kids;
};

namespace {

using Node = PositionalQuery::Node;

void words_of(const Xapian::Query& q, std::vector<std::string>& out) {
    if (q.get_type() == Xapian::Query::LEAF_TERM) {
        out.push_back(*q.get_terms_begin());
        return;
    }
    for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) words_of(q.get_subquery(i), out);
}

Node build(const Xapian::Query& q, const Xapian::Database* db) {
    Node n;
    switch (q.get_type()) {
        case Xapian::Query::LEAF_TERM: {
            const std::string term = *q.get_terms_begin();
            n.kind = term.empty() ? Node::Kind::All : is_word_term(term) ? Node::Kind::Word : Node::Kind::Field;
            n.term = term;
            return n;
        }
        case Xapian::Query::LEAF_MATCH_ALL: n.kind = Node::Kind::All; return n;
        case Xapian::Query::LEAF_MATCH_NOTHING: n.kind = Node::Kind::Nothing; return n;
        case Xapian::Query::OP_PHRASE:
        case Xapian::Query::OP_NEAR:
            if (!all_words_present(q, db)) {
                n.kind = Node::Kind::Nothing;  // a word no article has
                return n;
            }
            n.kind = q.get_type() == Xapian::Query::OP_PHRASE ? Node::Kind::Phrase : Node::Kind::Near;
            n.window = positional_window(q);
            for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) {
                n.slots.emplace_back();
                words_of(q.get_subquery(i), n.slots.back());
            }
            return n;
        case Xapian::Query::OP_SCALE_WEIGHT: return build(q.get_subquery(0), db);
        case Xapian::Query::OP_AND:
        case Xapian::Query::OP_FILTER: n.kind = Node::Kind::And; break;
        case Xapian::Query::OP_OR:
        case Xapian::Query::OP_SYNONYM:
        case Xapian::Query::OP_MAX: n.kind = Node::Kind::Or; break;
        case Xapian::Query::OP_ELITE_SET: n.kind = Node::Kind::Elite; break;
        case Xapian::Query::OP_AND_NOT: n.kind = Node::Kind::AndNot; break;
        case Xapian::Query::OP_AND_MAYBE: n.kind = Node::Kind::AndMaybe; break;
        case Xapian::Query::OP_XOR: n.kind = Node::Kind::Xor; break;
        case Xapian::Query::OP_VALUE_RANGE:
        case Xapian::Query::OP_VALUE_GE:
        case Xapian::Query::OP_VALUE_LE: {
            // "VALUE_RANGE 0 lo hi", "VALUE_GE 0 lo", "VALUE_LE 0 hi": the API has no getters.
            n.kind = Node::Kind::ValueRange;
            const std::string d = inner_description(q);
            std::vector<std::string> parts;
            for (std::size_t i = 0; i < d.size();) {
                const std::size_t j = std::min(d.find(' ', i), d.size());
                parts.push_back(d.substr(i, j - i));
                i = j + 1;
            }
            if (parts.size() >= 3) {
                n.slot = static_cast<Xapian::valueno>(std::strtoul(parts[1].c_str(), nullptr, 10));
                if (q.get_type() == Xapian::Query::OP_VALUE_RANGE && parts.size() >= 4) {
                    n.lo = parts[2];
                    n.hi = parts[3];
                } else if (q.get_type() == Xapian::Query::OP_VALUE_GE) {
                    n.lo = parts[2];
                } else {
                    n.hi = parts[2];
                }
            } else {
                n.kind = Node::Kind::Other;
            }
            return n;
        }
        case Xapian::Query::OP_WILDCARD: {
            // "WILDCARD SYNONYM Zevac": the pattern is the last word.
            const std::string d = inner_description(q);
            n.kind = Node::Kind::Wildcard;
            n.term = d.substr(d.rfind(' ') + 1);
            return n;
        }
        default: n.kind = Node::Kind::Other; return n;
    }
    for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) n.kids.push_back(build(q.get_subquery(i), db));
    return n;
}

/// The article's words with their positions, as the indexer numbers them: read from a Document
/// TermGenerator built with positions, or recorded for only the words a query names.
class Words {
  public:
    /// Every word, from a document with positions.
    explicit Words(const Xapian::Document& doc) : m_doc(&doc) {}
    /// The words `terms` names (sorted, unique), with `positions` theirs (same order).
    Words(const std::vector<std::string>& terms, const std::vector<std::vector<Xapian::termpos>>& positions)
        : m_terms(&terms), m_positions(&positions) {}

    [[nodiscard]] bool has(const std::string& term) const {
        if (m_doc == nullptr) {
            const auto* p = recorded(term);
            return p != nullptr && !p->empty();
        }
        auto it = m_doc->termlist_begin();
        it.skip_to(term);
        return it != m_doc->termlist_end() && *it == term;
    }
    /// (Only with a document: a query with a word wildcard beside a phrase reads every word.)
    [[nodiscard]] bool has_prefix(const std::string& prefix) const {
        if (m_doc == nullptr) return true;
        auto it = m_doc->termlist_begin();
        it.skip_to(prefix);
        return it != m_doc->termlist_end() && (*it).compare(0, prefix.size(), prefix) == 0;
    }
    /// Sorted positions of any of the terms (empty when the article has none of them).
    [[nodiscard]] std::vector<Xapian::termpos> positions(const std::vector<std::string>& terms) const {
        std::vector<Xapian::termpos> out;
        for (const auto& term : terms) {
            if (m_doc == nullptr) {
                if (const auto* p = recorded(term)) out.insert(out.end(), p->begin(), p->end());
                continue;
            }
            auto it = m_doc->termlist_begin();
            it.skip_to(term);
            if (it == m_doc->termlist_end() || *it != term) continue;
            for (auto p = it.positionlist_begin(); p != it.positionlist_end(); ++p) out.push_back(*p);
        }
        if (terms.size() > 1) {
            std::sort(out.begin(), out.end());
            out.erase(std::unique(out.begin(), out.end()), out.end());
        }
        return out;
    }

  private:
    [[nodiscard]] const std::vector<Xapian::termpos>* recorded(const std::string& term) const {
        const auto it = std::lower_bound(m_terms->begin(), m_terms->end(), term);
        if (it == m_terms->end() || *it != term) return nullptr;
        return &(*m_positions)[static_cast<std::size_t>(it - m_terms->begin())];
    }

    const Xapian::Document* m_doc = nullptr;
    const std::vector<std::string>* m_terms = nullptr;
    const std::vector<std::vector<Xapian::termpos>>* m_positions = nullptr;
};

/// Takes the stems of an article's words, in order, from a recording CachedStemmer, and keeps the
/// positions of those a query names. A word's position is the TermGenerator's (which words no
/// longer move) plus the words before it: what the indexer's TermGenerator gives it.
class RecordedWords final : public StemSink {
  public:
    RecordedWords(const std::vector<std::string>& terms, const Xapian::TermGenerator& tg)
        : m_terms(terms), m_tg(tg), m_positions(terms.size()) {}

    /// The field whose words come next: its prefix is the one its terms have after the Z.
    void field(std::string_view prefix) {
        m_wanted.clear();
        for (std::size_t i = 0; i < m_terms.size(); ++i) {
            const std::string_view t = m_terms[i];
            if (t.size() > prefix.size() && t.compare(1, prefix.size(), prefix) == 0)
                m_wanted.emplace_back(t.substr(1 + prefix.size()), i);
        }
    }
    void stem(const std::string& stem) override {
        ++m_words;
        for (const auto& [want, i] : m_wanted)
            if (want == stem) m_positions[i].push_back(m_tg.get_termpos() + m_words);
    }
    /// The positions kept, by term (moved out: the recording is done).
    [[nodiscard]] std::vector<std::vector<Xapian::termpos>> take_positions() noexcept { return std::move(m_positions); }

  private:
    const std::vector<std::string>& m_terms;
    const Xapian::TermGenerator& m_tg;
    std::vector<std::vector<Xapian::termpos>> m_positions;
    std::vector<std::pair<std::string_view, std::size_t>> m_wanted;  ///< this field's stems and their terms
    Xapian::termpos m_words = 0;
};

/// In order, each after the one before, the first and last less than window apart (Xapian's
/// OP_PHRASE: a window of the number of words is the words next to each other).
bool phrase_holds(const std::vector<std::vector<Xapian::termpos>>& lists, Xapian::termcount window) {
    if (lists.empty()) return false;
    for (const Xapian::termpos first : lists[0]) {
        Xapian::termpos at = first;
        bool ok = true;
        for (std::size_t i = 1; i < lists.size() && ok; ++i) {
            const auto next = std::upper_bound(lists[i].begin(), lists[i].end(), at);
            if (next == lists[i].end() || *next - first >= window) ok = false;
            else at = *next;
        }
        if (ok) return true;
    }
    return false;
}

/// Every word at a distinct position, in any order, all within a window (Xapian's OP_NEAR).
bool near_holds(const std::vector<std::vector<Xapian::termpos>>& lists, Xapian::termcount window) {
    // The smallest span holding a position of every list: a sweep over them all, merged.
    std::vector<std::pair<Xapian::termpos, std::size_t>> merged;
    for (std::size_t i = 0; i < lists.size(); ++i)
        for (const auto p : lists[i]) merged.emplace_back(p, i);
    std::sort(merged.begin(), merged.end());
    std::vector<std::size_t> have(lists.size(), 0);
    std::size_t covered = 0, left = 0;
    for (std::size_t right = 0; right < merged.size(); ++right) {
        if (have[merged[right].second]++ == 0) ++covered;
        while (covered == lists.size()) {
            if (merged[right].first - merged[left].first < window) return true;
            if (--have[merged[left].second] == 0) --covered;
            ++left;
        }
    }
    return false;
}

struct Evaluator {
    const Words& words;
    const Xapian::Document& doc;

    bool doc_has(const std::string& term) const {
        auto it = doc.termlist_begin();
        it.skip_to(term);
        return it != doc.termlist_end() && *it == term;
    }

    bool eval(const Node& n, Ctx ctx) const {
        using K = Node::Kind;
        switch (n.kind) {
            case K::Word: return words.has(n.term);
            case K::Phrase:
            case K::Near: {
                std::vector<std::vector<Xapian::termpos>> lists;
                for (const auto& slot : n.slots) {
                    lists.push_back(words.positions(slot));
                    if (lists.back().empty()) return false;
                }
                return n.kind == K::Phrase ? phrase_holds(lists, n.window) : near_holds(lists, n.window);
            }
            case K::All: return true;
            case K::Nothing: return false;
            case K::And: {
                const Ctx kid = ctx == Ctx::Must ? Ctx::Must : Ctx::Free;
                for (const auto& k : n.kids)
                    if (!eval(k, kid)) return false;
                return true;
            }
            case K::Or: {
                const Ctx kid = ctx == Ctx::MustNot ? Ctx::MustNot : Ctx::Free;
                for (const auto& k : n.kids)
                    if (eval(k, kid)) return true;
                return false;
            }
            case K::AndNot: {
                // Excluding "a AND_NOT b" says nothing of a alone.
                if (n.kids.empty() || !eval(n.kids[0], ctx == Ctx::Must ? Ctx::Must : Ctx::Free)) return false;
                const Ctx neg = ctx == Ctx::Must ? Ctx::MustNot : Ctx::Free;
                for (std::size_t i = 1; i < n.kids.size(); ++i)
                    if (eval(n.kids[i], neg)) return false;
                return true;
            }
            case K::AndMaybe: return !n.kids.empty() && eval(n.kids[0], ctx);
            case K::Elite:  // the superset runs it as OR (which words Xapian would elect is not known here)
                for (const auto& k : n.kids)
                    if (eval(k, Ctx::Free)) return true;
                return false;
            case K::Xor: {
                bool odd = false;
                for (const auto& k : n.kids) odd ^= eval(k, Ctx::Free);
                return odd;
            }
            default: break;
        }
        // A part with no phrase: the superset has it as it is, so Xapian settled it unless it
        // may go either way.
        if (ctx == Ctx::Must) return true;
        if (ctx == Ctx::MustNot) return false;
        switch (n.kind) {
            case K::Field: return doc_has(n.term);
            case K::ValueRange: {
                const std::string v = doc.get_value(n.slot);
                return !v.empty() && (n.lo.empty() || v >= n.lo) && (n.hi.empty() || v <= n.hi);
            }
            case K::Wildcard: {
                if (is_word_term(n.term)) return words.has_prefix(n.term);
                auto it = doc.termlist_begin();
                it.skip_to(n.term);
                return it != doc.termlist_end() && (*it).compare(0, n.term.size(), n.term) == 0;
            }
            default: return true;  // a posting source and the like: matches, as far as can be told
        }
    }
};

}  // namespace

/// A phrase or NEAR every match needs, as a word sketch shows it: each place's possible bytes,
/// and the fields it may be in.
struct PositionalQuery::SketchPhrase {
    bool near = false;
    Xapian::termcount window = 0;
    std::vector<std::vector<unsigned char>> slots;
    bool title = false, authors = false, body = false;
};

namespace {

using SketchPhrase = PositionalQuery::SketchPhrase;

SketchPhrase sketch_phrase(const Node& n) {
    SketchPhrase sp;
    sp.near = n.kind == Node::Kind::Near;
    sp.window = n.window;
    for (const auto& slot : n.slots) {
        sp.slots.emplace_back();
        for (const auto& term : slot) {
            // Z<stem> (title and body), ZS<stem> (title), ZA<stem> (authors).
            std::size_t skip = 1;
            if (term.size() > 1 && term[1] == 'S') {
                sp.title = true;
                skip = 2;
            } else if (term.size() > 1 && term[1] == 'A') {
                sp.authors = true;
                skip = 2;
            } else {
                sp.title = sp.body = true;
            }
            sp.slots.back().push_back(sketch_byte(std::string_view(term).substr(std::min(skip, term.size()))));
        }
    }
    return sp;
}

/// The phrases of the parts every match needs (where Xapian settles everything else).
void must_phrases(const Node& n, std::vector<SketchPhrase>& out) {
    using K = Node::Kind;
    switch (n.kind) {
        case K::Phrase:
        case K::Near:
            // A window reaching across the gap between fields is left to the exact check.
            if (n.window < kFieldGap) out.push_back(sketch_phrase(n));
            break;
        case K::And:
            for (const auto& k : n.kids) must_phrases(k, out);
            break;
        case K::AndNot:
        case K::AndMaybe:
            if (!n.kids.empty()) must_phrases(n.kids[0], out);
            break;
        default: break;
    }
}

/// The words (Z terms) the check of n reads; true when it reads every word (a word wildcard).
bool words_read(const Node& n, std::vector<std::string>& out) {
    using K = Node::Kind;
    switch (n.kind) {
        case K::Word: out.push_back(n.term); return false;
        case K::Wildcard: return is_word_term(n.term);
        case K::Phrase:
        case K::Near:
            for (const auto& slot : n.slots) out.insert(out.end(), slot.begin(), slot.end());
            return false;
        default: break;
    }
    bool every = false;
    for (const auto& k : n.kids) every = words_read(k, out) || every;
    return every;
}

bool sketch_holds(const SketchPhrase& sp, std::string_view field) {
    std::vector<std::vector<Xapian::termpos>> lists;
    for (const auto& slot : sp.slots) {
        lists.emplace_back();
        for (std::size_t i = 0; i < field.size(); ++i)
            if (std::find(slot.begin(), slot.end(), static_cast<unsigned char>(field[i])) != slot.end())
                lists.back().push_back(static_cast<Xapian::termpos>(i + 1));
        if (lists.back().empty()) return false;
    }
    return sp.near ? near_holds(lists, sp.window) : phrase_holds(lists, sp.window);
}

}  // namespace

PositionalQuery::PositionalQuery(const Xapian::Query& query, const Xapian::Database* db) : m_superset(query) {
    if (!has_positional(query, db)) return;
    m_root = std::make_unique<Node>(build(query, db));
    m_superset = sup(query, db);
    must_phrases(*m_root, m_must);
    m_every_word = words_read(*m_root, m_words);
    std::sort(m_words.begin(), m_words.end());
    m_words.erase(std::unique(m_words.begin(), m_words.end()), m_words.end());
}

bool PositionalQuery::may_match(const WordSketch& sketch) const {
    if (!sketch.present) return true;
    for (const auto& sp : m_must) {
        const bool found = (sp.title && sketch_holds(sp, sketch.title)) || (sp.body && sketch_holds(sp, sketch.body)) ||
                           (sp.authors && sketch_holds(sp, sketch.authors));
        if (!found) return false;
    }
    return true;
}

OrSplit split_or(const Xapian::Query& query, const Xapian::Database* db) {
    OrSplit out;
    Xapian::Query ors = query;
    std::vector<Xapian::Query> filters;
    if (query.get_type() == Xapian::Query::OP_FILTER && query.get_num_subqueries() >= 2) {
        ors = query.get_subquery(0);
        for (std::size_t i = 1; i < query.get_num_subqueries(); ++i) {
            if (has_positional(query.get_subquery(i), db)) return out;
            filters.push_back(query.get_subquery(i));
        }
    }
    if (ors.get_type() != Xapian::Query::OP_OR) return out;
    // QueryParser nests ORs ((a PHRASE b) OR (c OR d)): every part of every level.
    std::vector<Xapian::Query> sure, checked;
    std::vector<Xapian::Query> todo = subqueries(ors);
    while (!todo.empty()) {
        const Xapian::Query kid = todo.back();
        todo.pop_back();
        if (kid.get_type() == Xapian::Query::OP_OR) {
            for (const auto& k : subqueries(kid)) todo.push_back(k);
            continue;
        }
        (has_positional(kid, db) ? checked : sure).push_back(kid);
    }
    if (sure.empty() || checked.empty()) return out;
    auto filtered = [&](const std::vector<Xapian::Query>& parts) {
        const Xapian::Query q(Xapian::Query::OP_OR, parts.begin(), parts.end());
        if (filters.empty()) return q;
        return Xapian::Query(Xapian::Query::OP_FILTER, q, Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
    };
    out.sure = filtered(sure);
    out.checked = filtered(checked);
    return out;
}

PositionalQuery::~PositionalQuery() = default;
PositionalQuery::PositionalQuery(PositionalQuery&&) noexcept = default;
PositionalQuery& PositionalQuery::operator=(PositionalQuery&&) noexcept = default;

bool PositionalQuery::positional() const noexcept { return m_root != nullptr; }

std::vector<std::vector<Xapian::termpos>> word_positions(const Article& article, const std::vector<std::string>& words) {
    CheckTermGen& check = thread_termgen();
    RecordedWords recorded(words, check.tg);
    struct Recording {  // the stemmer back to plain stemming, however the indexing ends
        CachedStemmer& s;
        ~Recording() { s.set_sink(nullptr); }
    } recording{*check.stemmer};
    check.stemmer->set_sink(&recorded);
    Xapian::Document nothing;  // (no word reaches it)
    check.tg.set_document(nothing);
    index_free_text(article, check.tg, true, [&](const schema::Field& field, bool before) {
        if (before) recorded.field(field.prefix);
    });
    return recorded.take_positions();
}

bool PositionalQuery::matches(const Article& article, const Xapian::Document& doc) const {
    if (!m_root) return true;
    if (!m_every_word) {
        const auto positions = word_positions(article, m_words);
        return Evaluator{Words(m_words, positions), doc}.eval(*m_root, Ctx::Must);
    }
    CheckTermGen& check = thread_termgen();
    Xapian::Document text;
    check.tg.set_document(text);
    index_free_text(article, check.tg, true);
    return Evaluator{Words(text), doc}.eval(*m_root, Ctx::Must);
}

}  // namespace morgue::searcher
