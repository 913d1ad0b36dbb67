/** @file query_builder.cpp
 *  @brief QueryParser set up from the schema: free-text prefixes, boolean filters, entity keys.
 */
#include "searcher/query_builder.h"

#include "common/entity_key.h"
#include "common/error.h"
#include "common/entity_key.h"
#include "common/schema.h"
#include "common/text.h"
#include "searcher/query_syntax.h"

#include <cctype>
#include <cmath>

#include <algorithm>

namespace morgue::searcher {

namespace {

/// Boolean fields look up the same normalised key the indexer stored.
class KeyFieldProcessor : public Xapian::FieldProcessor {
  public:
    KeyFieldProcessor(std::string prefix, bool exact) : m_prefix(std::move(prefix)), m_exact(exact) {}
    Xapian::Query operator()(const std::string& value) override {
        return Xapian::Query(schema::make_term(m_prefix, m_exact ? value : schema::boolean_key(value)));
    }

  private:
    std::string m_prefix;
    bool m_exact;
};

/// The key an entity query looks up: the same normaliser the indexer keys
/// tagged and given entities with (common/entity_key.h).
std::string entity_lookup_key(std::string_view name) { return entity_key(name); }

/// `person:"Kim Jong Un"` and the like score: the entity term's wdf carries its
/// salience (mentions, title, lead), so central articles rank first.
/// `entity:` looks the name up under every kind.
class EntityFieldProcessor : public Xapian::FieldProcessor {
  public:
    EntityFieldProcessor(std::vector<std::string> prefixes, std::shared_ptr<const std::vector<std::string>> values)
        : m_prefixes(std::move(prefixes)), m_values(std::move(values)) {}
    Xapian::Query operator()(const std::string& word) override {
        // check_query put a placeholder where the value was (see CheckedQuery).
        std::string value = word;
        for (std::size_t i = 0; i < m_values->size(); ++i)
            if (word == entity_placeholder(i)) value = (*m_values)[i];
        std::vector<Xapian::Query> any;
        const std::string key = entity_lookup_key(value);
        if (key.empty()) return Xapian::Query::MatchNothing;
        for (const auto& p : m_prefixes) {
            any.emplace_back(schema::make_term(p, key));
            if (p == schema::find_field("person")->prefix) any.emplace_back(schema::make_term(schema::kPrefixSurname, key));
        }
        return any.size() == 1 ? any.front() : Xapian::Query(Xapian::Query::OP_OR, any.begin(), any.end());
    }

  private:
    std::vector<std::string> m_prefixes;
    std::shared_ptr<const std::vector<std::string>> m_values;
};

/// `date:`, `after:`, `before:` as filters on the date slot (see query_syntax.h).
/// check_query has read every date the user typed; one it could not see (a field
/// glued to punctuation) is reported after parsing: an exception thrown through
/// QueryParser leaks its parse stack (found by tests/fuzz/fuzz_query).
class DateFieldProcessor : public Xapian::FieldProcessor {
  public:
    DateFieldProcessor(DateField field, std::shared_ptr<std::string> error)
        : m_field(field), m_error(std::move(error)) {}
    Xapian::Query operator()(const std::string& value) override {
        try {
            return date_query(parse_date_value(value, m_field));
        } catch (const QueryError& e) {
            if (m_error->empty()) *m_error = e.what();
            return Xapian::Query::MatchNothing;
        }
    }

  private:
    DateField m_field;
    std::shared_ptr<std::string> m_error;
};

/// Error messages are one line, whatever the query held.
std::string one_line(const std::string& text) {
    std::string out = text;
    for (char& c : out)
        if (c == '\n' || c == '\r') c = ' ';
    return out;
}

}  // namespace

QueryBuilder::QueryBuilder(const Xapian::Database& db)
    : m_db(db),
      m_stem("english"),
      m_entity_values(std::make_shared<std::vector<std::string>>()),
      m_date_error(std::make_shared<std::string>()) {
    for (const auto& field : schema::fields())
        if (field.kind == schema::FieldKind::Entity) m_entity_prefixes.emplace_back(field.prefix);
    // Function words too common to tell articles apart (and single letters: "e-mail" is "e" "mail").
    for (const char* w : {"a", "about", "after", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for",
                          "from", "had", "has", "have", "he", "her", "his", "i", "in", "into", "is", "it", "its",
                          "not", "of", "on", "or", "said", "she", "than", "that", "the", "their", "there", "they",
                          "this", "to", "was", "we", "were", "which", "who", "will", "with", "would"})
        m_stopper.add(w);
    for (char c = 'a'; c <= 'z'; ++c) m_stopper.add(std::string(1, c));
    configure(m_parser);
}

void QueryBuilder::configure(Xapian::QueryParser& parser) {
    // The archive holds every word once, stemmed, marked Z (TermGenerator's
    // STEM_ALL_Z, schema.h). QueryParser's STEM_ALL_Z would make the same terms,
    // but its wildcards would then look among unprefixed words, of which there
    // are none: so the Z goes into the prefixes ("Z" for plain words, "ZS" for
    // title:) and words are stemmed without a mark of their own.
    parser.set_database(m_db);
    parser.set_stemmer(m_stem);
    parser.set_stemming_strategy(Xapian::QueryParser::STEM_ALL);
    parser.add_prefix("", "Z");
    for (const auto& field : schema::fields()) {
        if (field.name.empty()) continue;
        const std::string name(field.name);
        const std::string prefix(field.prefix);
        switch (field.kind) {
            case schema::FieldKind::FreeText: parser.add_prefix(name, "Z" + prefix); break;
            case schema::FieldKind::Boolean: {
                const bool exact = field.source == schema::Source::Id || field.source == schema::Source::Url;
                parser.add_boolean_prefix(name, (new KeyFieldProcessor(prefix, exact))->release());
                break;
            }
            case schema::FieldKind::Entity:
                parser.add_prefix(name, (new EntityFieldProcessor({prefix}, m_entity_values))->release());
                break;
        }
    }
    parser.add_prefix("entity", (new EntityFieldProcessor(m_entity_prefixes, m_entity_values))->release());
    parser.add_boolean_prefix("date", (new DateFieldProcessor(DateField::Date, m_date_error))->release());
    parser.add_boolean_prefix("after", (new DateFieldProcessor(DateField::After, m_date_error))->release());
    parser.add_boolean_prefix("before", (new DateFieldProcessor(DateField::Before, m_date_error))->release());
}

QueryBuilder::~QueryBuilder() = default;

ParsedQuery QueryBuilder::parse(const std::string& text, Xapian::Query::op default_op, bool drop_stopwords) {
    m_parser.set_default_op(default_op);
    m_parser.set_stopper(drop_stopwords ? &m_stopper : nullptr);
    const unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
                           Xapian::QueryParser::FLAG_PURE_NOT;
    ParsedQuery out;
    CheckedQuery checked = check_query(text);
    *m_entity_values = std::move(checked.entity_values);
    out.word_runs = std::move(checked.word_runs);
    try {
        m_date_error->clear();
        out.query = m_parser.parse_query(checked.text, flags);
    } catch (const Xapian::QueryParserError& e) {
        throw QueryError("bad query '" + one_line(text) + "': " + e.get_msg());
    } catch (const Xapian::Error& e) {
        throw QueryError("bad query '" + one_line(text) + "': " + e.get_description());
    }
    if (!m_date_error->empty()) throw QueryError("bad query: " + *m_date_error);
    out.highlight = highlight_terms(out.query);
    // Wildcard expansions are not among a query's terms: note the patterns.
    for (std::size_t star = text.find('*'); star != std::string::npos; star = text.find('*', star + 1)) {
        std::size_t begin = star;
        while (begin > 0 && (std::isalnum(static_cast<unsigned char>(text[begin - 1])) ||
                             static_cast<unsigned char>(text[begin - 1]) >= 0x80))
            --begin;
        if (begin < star) out.wildcards.push_back(text::to_lower(text.substr(begin, star - begin)));
    }
    return out;
}

constexpr double kEntityBoostScale = 0.5;

/// The scale of one entity term's boost. BM25 weighs a term by its rarity (idf) times its
/// within-document part (here the salience); the boost is for salience, since the words
/// themselves already score their rarity. So a rare entity term (idf above 1) is scaled
/// down by its idf: left as it was, a rare tag such as XMISC:us (128 articles) raised
/// every candidate's upper bound so far that Xapian could prune nothing, and a
/// partial-match query over 300k articles took 7.6 ms instead of 1.6.
double entity_boost_scale(Xapian::doccount articles, Xapian::doccount termfreq) {
    const double n = static_cast<double>(termfreq), all = static_cast<double>(articles);
    const double idf = std::log((all - n + 0.5) / (n + 0.5));
    return kEntityBoostScale / std::max(idf, 1.0);
}

Xapian::Query QueryBuilder::boost(const ParsedQuery& parsed, double title_weight, bool entities) const {
    std::vector<Xapian::Query> parts;
    if (title_weight > 0) {
        std::vector<Xapian::Query> title;
        for (auto t = parsed.query.get_unique_terms_begin(); t != parsed.query.get_unique_terms_end(); ++t) {
            const std::string& term = *t;
            if (schema::is_plain_word_term(term))
                title.emplace_back("ZS" + term.substr(1));
            else if (!term.empty() && !(term[0] >= 'A' && term[0] <= 'Z'))
                title.emplace_back("S" + term);
        }
        if (!title.empty())
            parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                               Xapian::Query(Xapian::Query::OP_OR, title.begin(), title.end()), title_weight);
    }
    if (entities) {
        for (const auto& [term, scale] : entity_boost_terms(parsed))
            parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(term), scale);
    }
    if (parts.empty()) return {};
    return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
}

std::vector<std::pair<std::string, double>> QueryBuilder::entity_boost_terms(const ParsedQuery& parsed) const {
    std::vector<std::pair<std::string, double>> out;
    for (const auto& run : parsed.word_runs) {
        for (std::size_t i = 0; i < run.size(); ++i) {
            std::string name;
            for (std::size_t k = i; k < run.size() && k < i + 4; ++k) {
                name += (k > i ? " " : "") + run[k];
                const std::string key = entity_lookup_key(name);
                if (key.empty()) continue;
                for (const auto& prefix : m_entity_prefixes) {
                    std::string term = schema::make_term(prefix, key);
                    if (std::any_of(out.begin(), out.end(), [&](const auto& t) { return t.first == term; })) continue;
                    auto known = m_termfreqs.find(term);
                    if (known == m_termfreqs.end()) known = m_termfreqs.emplace(term, m_db.get_termfreq(term)).first;
                    const Xapian::doccount tf = known->second;
                    if (tf == 0) continue;
                    out.emplace_back(std::move(term), entity_boost_scale(m_db.get_doccount(), tf));
                }
            }
        }
    }
    return out;
}

namespace {

/// The word a term stands for, or empty for a boolean or other prefixed term.
std::string highlight_word(std::string t) {
    if (!t.empty() && t[0] == 'Z') t.erase(0, 1);
    if (!t.empty() && (t[0] == 'S' || t[0] == 'A')) t.erase(0, 1);
    if (t.empty() || (t[0] >= 'A' && t[0] <= 'Z')) return {};
    return t;
}

/// Terms of the parts of a query a matching article can contain: not what follows NOT.
void positive_terms(const Xapian::Query& q, std::vector<std::string>& out) {
    const auto type = q.get_type();
    if (type == Xapian::Query::LEAF_TERM) {
        const auto it = q.get_terms_begin();
        if (it != q.get_terms_end()) out.push_back(*it);
        return;
    }
    const std::size_t n = q.get_num_subqueries();
    const std::size_t keep = type == Xapian::Query::OP_AND_NOT ? std::min<std::size_t>(n, 1) : n;
    for (std::size_t i = 0; i < keep; ++i) positive_terms(q.get_subquery(i), out);
}

std::vector<std::string> sorted_unique(std::vector<std::string> out) {
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

}  // namespace

std::vector<std::string> highlight_terms(const Xapian::Query& query) {
    std::vector<std::string> terms;
    positive_terms(query, terms);
    std::vector<std::string> out;
    for (auto& t : terms)
        if (std::string w = highlight_word(std::move(t)); !w.empty()) out.push_back(std::move(w));
    return sorted_unique(std::move(out));
}

std::vector<std::string> highlight_terms(Xapian::TermIterator begin, Xapian::TermIterator end) {
    std::vector<std::string> out;
    for (auto it = begin; it != end; ++it)
        if (std::string w = highlight_word(*it); !w.empty()) out.push_back(std::move(w));
    return sorted_unique(std::move(out));
}

}  // namespace morgue::searcher
