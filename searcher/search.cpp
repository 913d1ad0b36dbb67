/** @file search.cpp
 *  @brief BM25 ranking with a deterministic tie-break, then snippets from the stored text.
 */
#include "searcher/search.h"

#include "common/error.h"
#include "common/schema.h"
#include "common/stored_article.h"
#include "searcher/query_builder.h"

namespace morgue::searcher {

namespace {

/// Plain words must all match first; only if none does, any of them may.
ParsedQuery parse_with_fallback(QueryBuilder& qb, const Xapian::Database& db, const std::string& text,
                                Xapian::Enquire& enquire, bool& partial) {
    ParsedQuery pq = qb.parse(text, Xapian::Query::OP_AND);
    partial = false;
    enquire.set_query(pq.query);
    if (enquire.get_mset(0, 1).empty() && !pq.query.empty()) {
        ParsedQuery any = qb.parse(text, Xapian::Query::OP_OR);
        if (any.query.serialise() != pq.query.serialise()) {
            enquire.set_query(any.query);
            if (!enquire.get_mset(0, 1).empty()) {
                partial = true;
                return any;
            }
        }
        enquire.set_query(pq.query);
    }
    (void)db;
    return pq;
}

void configure(Xapian::Enquire& enquire) {
    enquire.set_weighting_scheme(Xapian::BM25Weight());
    // Equal scores: newest first, then document order; the same every run.
    enquire.set_sort_by_relevance_then_value(schema::kSlotTime, true);
}

}  // namespace

SearchResults search(const Xapian::Database& db, const SearchRequest& request) {
    SearchResults out;
    out.query = request.query;
    try {
        QueryBuilder qb(db);
        Xapian::Enquire enquire(db);
        configure(enquire);
        bool partial = false;
        const ParsedQuery pq = parse_with_fallback(qb, db, request.query, enquire, partial);
        out.partial = partial;
        const Xapian::MSet mset =
            enquire.get_mset(static_cast<Xapian::doccount>(request.offset), static_cast<Xapian::doccount>(request.limit),
                             static_cast<Xapian::doccount>(request.offset + request.limit + 100));
        out.total = mset.get_matches_estimated();
        out.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
        Snippeter snippeter(qb.stemmer(), pq.highlight, request.snippet_options);
        snippeter.set_wildcards(pq.wildcards);
        ZstdCodec codec;
        std::size_t rank = request.offset;
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            SearchHit hit;
            hit.rank = ++rank;
            hit.score = it.get_weight();
            const Xapian::Document doc = it.get_document();
            try {
                hit.article = decode_stored_article(doc.get_data(), codec);
            } catch (const Error& e) {
                throw ArchiveError("document " + std::to_string(*it) + ": " + e.what());
            }
            hit.id = hit.article.id;
            if (request.snippets) {
                // The terms this document matched: wildcard expansions included.
                snippeter.set_terms(highlight_terms(enquire.get_matching_terms_begin(it), enquire.get_matching_terms_end(it)));
                hit.snippet = snippeter.make(hit.article.body);
                hit.title_highlighted = snippeter.highlight(hit.article.title);
            }
            out.hits.push_back(std::move(hit));
        }
    } catch (const Xapian::Error& e) {
        throw ArchiveError(e.get_description());
    }
    return out;
}

std::uint64_t count_matches(const Xapian::Database& db, const std::string& query) {
    try {
        QueryBuilder qb(db);
        Xapian::Enquire enquire(db);
        configure(enquire);
        bool partial = false;
        (void)parse_with_fallback(qb, db, query, enquire, partial);
        // Sorting is pointless for a count: ask for no hits, but check every match.
        enquire.set_sort_by_relevance();
        enquire.set_weighting_scheme(Xapian::BoolWeight());
        const Xapian::MSet mset = enquire.get_mset(0, 0, db.get_doccount());
        return mset.get_matches_lower_bound();
    } catch (const Xapian::Error& e) {
        throw ArchiveError(e.get_description());
    }
}

}  // namespace morgue::searcher
