/** @file query_builder.cpp
 *  @brief QueryParser set up from the schema: free-text prefixes, boolean filters, entity keys.
 */
#include "searcher/query_builder.h"

#include "common/error.h"
#include "common/schema.h"
#include "common/text.h"

#include <cctype>

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

}  // namespace

QueryBuilder::QueryBuilder(const Xapian::Database& db) : m_stem("english") {
    m_parser.set_database(db);
    m_parser.set_stemmer(m_stem);
    m_parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    for (const auto& field : schema::fields()) {
        if (field.name.empty()) continue;
        const std::string name(field.name);
        const std::string prefix(field.prefix);
        switch (field.kind) {
            case schema::FieldKind::FreeText: m_parser.add_prefix(name, prefix); break;
            case schema::FieldKind::Boolean:
            case schema::FieldKind::Entity: {
                const bool exact = field.source == schema::Source::Id || field.source == schema::Source::Url;
                m_parser.add_boolean_prefix(name, (new KeyFieldProcessor(prefix, exact))->release());
                break;
            }
        }
    }
}

QueryBuilder::~QueryBuilder() = default;

ParsedQuery QueryBuilder::parse(const std::string& text, Xapian::Query::op default_op) {
    m_parser.set_default_op(default_op);
    const unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
                           Xapian::QueryParser::FLAG_PURE_NOT;
    ParsedQuery out;
    try {
        out.query = m_parser.parse_query(text, flags);
    } catch (const Xapian::QueryParserError& e) {
        throw QueryError("bad query '" + text + "': " + e.get_msg());
    } catch (const Xapian::Error& e) {
        throw QueryError("bad query '" + text + "': " + e.get_description());
    }
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

std::vector<std::string> highlight_terms(const Xapian::Query& query) {
    return highlight_terms(query.get_terms_begin(), query.get_terms_end());
}

std::vector<std::string> highlight_terms(Xapian::TermIterator begin, Xapian::TermIterator end) {
    std::vector<std::string> out;
    for (auto it = begin; it != end; ++it) {
        std::string t = *it;
        if (!t.empty() && t[0] == 'Z') t.erase(0, 1);
        if (!t.empty() && (t[0] == 'S' || t[0] == 'A')) t.erase(0, 1);
        if (t.empty() || (t[0] >= 'A' && t[0] <= 'Z')) continue;  // boolean or other prefixed term
        out.push_back(t);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

}  // namespace morgue::searcher
