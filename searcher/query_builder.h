/** @file query_builder.h
 *  @brief A user's query text -> Xapian::Query, with the schema's fields as prefixes.
 */
#pragma once

#include <xapian.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace morgue::searcher {

struct ParsedQuery {
    Xapian::Query query;
    /// Stems and words to highlight in snippets (without prefixes).
    std::vector<std::string> highlight;
    /// Lower-case stems of trailing wildcards (`sanction*` -> `sanction`).
    std::vector<std::string> wildcards;
    /// Runs of plain words as typed (see CheckedQuery::word_runs).
    std::vector<std::vector<std::string>> word_runs;
};

/// Owns a QueryParser configured from the schema table. Not thread-safe: one per thread.
class QueryBuilder {
  public:
    explicit QueryBuilder(const Xapian::Database& db);
    ~QueryBuilder();
    QueryBuilder(const QueryBuilder&) = delete;
    QueryBuilder& operator=(const QueryBuilder&) = delete;

    /// Parses text with the given default operator for plain words. Throws
    /// QueryError with a one-line message pointing at the problem. ("Did you
    /// mean" is searcher/spelling.h.) With drop_stopwords, English function
    /// words and single letters are left out (for the any-word fallback, where
    /// "of" alone would match nearly every article); Xapian keeps them when
    /// the query has nothing else, or inside a phrase.
    [[nodiscard]] ParsedQuery parse(const std::string& text, Xapian::Query::op default_op = Xapian::Query::OP_AND,
                                    bool drop_stopwords = false);

    [[nodiscard]] const Xapian::Stem& stemmer() const noexcept { return m_stem; }

    /// Extra ranking weight for a parsed query, empty when there is none:
    /// its plain words again in the title field (S terms, scaled by
    /// title_weight), and, with entities, the entity terms (any kind) that runs
    /// of its plain words name ("China Pakistan" -> XPLACE:china,
    /// XPLACE:pakistan), so that articles where they are central rank first.
    /// Used with OP_AND_MAYBE: it never changes what matches.
    [[nodiscard]] Xapian::Query boost(const ParsedQuery& parsed, double title_weight, bool entities) const;

    /// The entity terms of boost(), each with the factor its weight is scaled by.
    [[nodiscard]] std::vector<std::pair<std::string, double>> entity_boost_terms(const ParsedQuery& parsed) const;

  private:
    void configure(Xapian::QueryParser& parser);

    Xapian::Database m_db;
    std::vector<std::string> m_entity_prefixes;
    Xapian::QueryParser m_parser;
    Xapian::SimpleStopper m_stopper;
    Xapian::Stem m_stem;
    /// Entity values of the query being parsed, read by the entity FieldProcessors.
    std::shared_ptr<std::vector<std::string>> m_entity_values;
    /// A bad date the date FieldProcessors met while parsing (they never throw).
    std::shared_ptr<std::string> m_date_error;
    /// The entity terms entity_boost_terms has looked up, with their frequencies: a search asks
    /// for the boosts of each tier's words, mostly the same names (each lookup is a B-tree
    /// descent; the names of a four-word query are a few dozen terms).
    mutable std::map<std::string, Xapian::doccount> m_termfreqs;
};

/// The words a query's terms stand for, for highlighting: "Zsanction" -> "sanction",
/// "ZSfoo"/"Sfoo" -> "foo", plain "kim" -> "kim"; boolean terms, and the terms of what
/// follows NOT (no match contains them there), are skipped.
[[nodiscard]] std::vector<std::string> highlight_terms(const Xapian::Query& query);
/// The same for a range of terms, such as those one document matched.
[[nodiscard]] std::vector<std::string> highlight_terms(Xapian::TermIterator begin, Xapian::TermIterator end);

}  // namespace morgue::searcher
