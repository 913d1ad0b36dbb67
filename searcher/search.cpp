/** @file search.cpp
 *  @brief BM25 ranking, sorting, recency, folding of near-duplicates, then snippets from the stored text.
 *
 *  Only Xapian's built-in classes shape the ranking (BM25Weight, ValueMapPostingSource
 *  for recency, a value slot for sorting and tie-breaks, a collapse key), so that
 *  remote shards, which carry only built-ins, rank the same way.
 */
#include "searcher/search.h"

#include "common/date.h"
#include "common/error.h"
#include "common/schema.h"
#include "common/stored_article.h"
#include "common/text.h"
#include "searcher/archive_reader.h"
#include "searcher/positional.h"
#include "searcher/query_builder.h"
#include "searcher/query_syntax.h"
#include "searcher/spelling.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <tuple>

namespace morgue::searcher {

namespace {

struct Prepared {
    ParsedQuery parsed;
    Xapian::Query query;  ///< the parsed (or --like) query, filtered by --from/--to
    bool partial = false;
    /// Several plain words: the any-word form of the query (filtered the same way), or empty.
    Xapian::Query alternative;
    ParsedQuery any;
    /// Three to eight plain words: the articles with all of them but one (or more), filtered
    /// the same way; empty otherwise. The tier between all the words and any of them. Built
    /// by search() (all_but_one) once its first match knows the words' frequencies.
    Xapian::Query most;
    /// --from/--to as a filter, or empty.
    Xapian::Query dates;

    /// `q` under the --from/--to filter.
    [[nodiscard]] Xapian::Query with_dates(const Xapian::Query& q) const {
        if (dates.empty()) return q;
        if (q.empty()) return dates;
        return Xapian::Query(Xapian::Query::OP_FILTER, q, dates);
    }

    /// The words together matched nothing: search for any of them instead.
    void fall_back() {
        parsed = std::move(any);
        query = std::move(alternative);
        alternative = Xapian::Query();
        most = Xapian::Query();
        partial = true;
    }
};

/// Articles with at least k of `parts` (1 <= k <= parts.size()): those with the first and at
/// least k - 1 of the rest, or at least k of the rest. An article with exactly k of them matches
/// through one branch only, so it weighs the sum of its k parts' weights, as in the OR of every
/// AND of k parts; but each part is one posting list opened fewer times, and the first (the most
/// frequent, the caller's order) is walked once.
Xapian::Query at_least(std::size_t k, std::span<const Xapian::Query> parts) {
    if (k >= parts.size()) return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
    if (k == 1) return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
    return Xapian::Query(Xapian::Query::OP_OR,
                         Xapian::Query(Xapian::Query::OP_AND, parts.front(), at_least(k - 1, parts.subspan(1))),
                         at_least(k, parts.subspan(1)));
}

}  // namespace

/// All of an any-word query's words but one, for 3 to 8 words (QueryParser's top-level OR, or
/// its left side under a filter or AND_NOT). Empty for any other shape. Ranking these before the
/// articles with fewer words keeps the best partial matches first, and costs intersections
/// instead of a union of common words.
/// `freq`: a part's number of articles, or an estimate (it only orders the parts).
Xapian::Query all_but_one(const Xapian::Query& any, const std::function<Xapian::doccount(const std::string&)>& freq) {
    const auto type = any.get_type();
    const std::size_t n = any.get_num_subqueries();
    if ((type == Xapian::Query::OP_FILTER || type == Xapian::Query::OP_AND_NOT) && n >= 2) {
        const Xapian::Query left = all_but_one(any.get_subquery(0), freq);
        if (left.empty()) return left;
        std::vector<Xapian::Query> rest;
        for (std::size_t i = 1; i < n; ++i) rest.push_back(any.get_subquery(i));
        const auto join = type == Xapian::Query::OP_FILTER ? Xapian::Query::OP_AND : Xapian::Query::OP_OR;
        return Xapian::Query(type, left, Xapian::Query(join, rest.begin(), rest.end()));
    }
    if (type != Xapian::Query::OP_OR || n < 3 || n > 8) return {};
    // Most frequent first: at_least walks the first part once, the later ones more often.
    // (A part of several terms, a phrase or a group, counts the sum of their frequencies.)
    std::vector<std::pair<Xapian::doccount, Xapian::Query>> parts;
    for (std::size_t i = 0; i < n; ++i) {
        const Xapian::Query part = any.get_subquery(i);
        Xapian::doccount n_of = 0;
        for (auto t = part.get_unique_terms_begin(); t != part.get_unique_terms_end(); ++t) n_of += freq(*t);
        parts.emplace_back(n_of, part);
    }
    std::stable_sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<Xapian::Query> ordered;
    for (auto& [n_of, part] : parts) ordered.push_back(std::move(part));
    return at_least(n - 1, ordered);
}

namespace {

DateBounds option_bounds(const std::string& value, DateField field, const char* option) {
    try {
        return parse_date_value(value, field);
    } catch (const QueryError& e) {
        throw QueryError(std::string(option) + ": " + e.what());
    }
}

/// Terms worth expanding on for --like: stemmed words (Z + lower case).
class StemmedWordsOnly : public Xapian::ExpandDecider {
  public:
    bool operator()(const std::string& term) const override {
        return term.size() > 3 && schema::is_plain_word_term(term);
    }
};

Xapian::Query like_query(const Xapian::Database& db, const std::string& id) {
    const std::string id_term = schema::make_term(schema::kPrefixId, id);
    auto pl = db.postlist_begin(id_term);
    if (pl == db.postlist_end(id_term)) throw Error("--like: no article with id '" + id + "'");
    Xapian::RSet rset;
    rset.add_document(*pl);
    Xapian::Enquire enquire(db);
    StemmedWordsOnly decider;
    // Exact term frequencies: the default scales those of the one database holding the
    // article, which differs with how shards are grouped (locally, or by remote servers).
    const Xapian::ESet eset = enquire.get_eset(30, rset, Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
    std::vector<Xapian::Query> terms;
    for (auto it = eset.begin(); it != eset.end(); ++it) terms.emplace_back(*it);
    if (terms.empty()) throw Error("--like: article '" + id + "' has no words to compare");
    return Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()),
                         Xapian::Query(id_term));
}

/// Up to this many candidates, a query with phrases has every one checked for its counts (each
/// check decodes and indexes an article again: ~20-40 µs); past it, the counts are estimated.
constexpr Xapian::doccount kCheckAll = 300;
/// A ranked page of a query with phrases checks at least this many candidates (when there are as
/// many), so that its estimate of the total rests on a sample.
constexpr std::size_t kCheckSample = 40;
/// ... and at most this many looking for a page of hits: a phrase none of the best-ranked
/// candidates holds is taken to be in none.
constexpr std::size_t kCheckMost = 10000;

/// What checking a positional query's candidates found.
struct Checked {
    std::uint64_t candidates = 0;  ///< Xapian's estimate of the superset's matches
    std::uint64_t checked = 0;
    std::uint64_t passed = 0;
    std::uint64_t clusters = 0;    ///< distinct cluster keys among those that passed
    bool all = false;              ///< every candidate was checked: the counts are exact
};

/// The cluster an article folds into (its own id when it has no key).
std::string cluster_of(const Xapian::Document& doc, const std::string& id) {
    std::string key = doc.get_value(schema::kSlotCluster);
    return key.empty() ? id : key;
}
std::string cluster_of(const Xapian::Document& doc, const Article& a) { return cluster_of(doc, a.id); }

/// Whether a candidate of the superset matches a positional query: its word sketch first (nothing
/// decompressed), then, when the phrase may be there, its stored text. The article, when it had to
/// be decoded, is left in `article`.
bool candidate_matches(const Xapian::Database& db, const PositionalQuery& pq, const Xapian::Document& doc,
                       DictionaryCache& dicts, std::optional<Article>& article, bool exact = true) {
    article.reset();
    try {
        const std::string data = doc.get_data();  // read once: the sketch, then the frame
        if (!pq.may_match(read_word_sketch(split_stored_article(data).sketch))) return false;
        if (!exact) return true;  // the sketch's word alone (no article left)
        article = decode_stored_article(data, db, dicts);
    } catch (const Error& e) {
        throw ArchiveError("document " + std::to_string(doc.get_docid()) + ": " + e.what());
    }
    return pq.matches(*article, doc);
}

/// The matches among a checked sample's candidates: exact when it checked them all, else the
/// sample's rate scaled to every candidate.
std::uint64_t scaled_count(const Checked& c) {
    if (c.all) return c.passed;
    const double rate = c.checked > 0 ? static_cast<double>(c.passed) / static_cast<double>(c.checked) : 0.0;
    return std::max<std::uint64_t>(c.passed, static_cast<std::uint64_t>(std::llround(static_cast<double>(c.candidates) * rate)));
}

/// The share of a sample's matches left once copies fold (1 when it found none).
double cluster_share(const Checked& c) {
    return c.passed > 0 ? static_cast<double>(c.clusters) / static_cast<double>(c.passed) : 1.0;
}

/// Checks the superset's matches in document order, in batches; `each(doc, article)` is called
/// for those the query matches and returns false to stop. At most `most` candidates.
Checked checked_scan(const Xapian::Database& db, const PositionalQuery& pq, std::uint64_t most,
                     const std::function<bool(const Xapian::Document&, const Article&)>& each) {
    Checked c;
    Xapian::Enquire e(db);
    e.set_query(pq.superset());
    e.set_weighting_scheme(Xapian::BoolWeight());
    e.set_docid_order(Xapian::Enquire::ASCENDING);
    DictionaryCache& dicts = thread_dictionaries();
    constexpr Xapian::doccount kBatch = 2000;
    for (Xapian::doccount start = 0;; start += kBatch) {
        Xapian::MSet m = e.get_mset(start, kBatch);
        if (start == 0) c.candidates = m.get_matches_estimated();
        if (!m.empty()) m.fetch(m.begin(), m.end());
        std::optional<Article> a;
        for (auto it = m.begin(); it != m.end(); ++it) {
            if (c.checked >= most) return c;
            ++c.checked;
            const Xapian::Document doc = it.get_document();
            if (!candidate_matches(db, pq, doc, dicts, a)) continue;
            ++c.passed;
            if (!each(doc, *a)) return c;
        }
        if (m.size() < kBatch) {
            c.all = true;
            return c;
        }
    }
}

/// The databases a boolean match runs on one by one: the local shards that make up db when
/// there are several (SearchRequest::shards), else db itself. Xapian 1.4 stops a boolean
/// match at check-at-least only over one database; over several it walks every match.
std::span<const Xapian::Database> parts_of(const Xapian::Database& db, const std::vector<Xapian::Database>* shards) {
    if (shards == nullptr || shards->size() < 2) return {&db, 1};
    return *shards;
}

bool matches_any(const Xapian::Database& db, const std::vector<Xapian::Database>* shards, const Xapian::Query& query) {
    const PositionalQuery pq(query, &db);
    if (!pq.positional()) {
        // Shard by shard: over several databases Xapian 1.4 walks every match even for one.
        const auto parts = parts_of(db, shards);
        return std::any_of(parts.begin(), parts.end(), [&](const Xapian::Database& d) {
            Xapian::Enquire e(d);
            e.set_query(query);
            e.set_weighting_scheme(Xapian::BoolWeight());
            return !e.get_mset(0, 1).empty();
        });
    }
    return checked_scan(db, pq, UINT64_MAX, [](const Xapian::Document&, const Article&) { return false; }).passed > 0;
}

/// Plain words must all match first; only if none does, any of them may. The query and its
/// any-word alternative are built here; which one runs is settled by the caller: search()
/// learns it from its own ranked match (no extra pass), settle() by a probe.
Prepared prepare(QueryBuilder& qb, const Xapian::Database& db, const SearchRequest& r) {
    Prepared p;
    if (!r.from.empty() || !r.to.empty()) {
        DateBounds from, to;
        if (!r.from.empty()) from = option_bounds(r.from, DateField::After, "--from");
        if (!r.to.empty()) to = option_bounds(r.to, DateField::Before, "--to");
        p.dates = date_query(intersect(from, to));
    }
    const bool has_text = !text::trim(r.query).empty();
    Xapian::Query base;
    if (has_text) {
        p.parsed = qb.parse(r.query, Xapian::Query::OP_AND);
        base = p.parsed.query;
        if (base.empty()) throw QueryError("bad query: it has nothing to search for");
    }
    if (!r.like_id.empty()) {
        const Xapian::Query like = like_query(db, r.like_id);
        base = has_text ? Xapian::Query(Xapian::Query::OP_FILTER, like, base) : like;
    }
    p.query = p.with_dates(base);
    if (p.query.empty()) throw QueryError("no query given: words, fields, dates, --from/--to or --like");
    if (has_text && r.like_id.empty()) {
        ParsedQuery any = qb.parse(r.query, Xapian::Query::OP_OR, true);
        if (any.query.serialise() != p.parsed.query.serialise()) {
            p.alternative = p.with_dates(any.query);
            p.any = std::move(any);
        }
    }
    return p;
}

/// Settles a prepared query without ranking it: falls back to any word when the words
/// together match nothing (and any of them does). For counts and facets.
void settle(const Xapian::Database& db, const std::vector<Xapian::Database>* shards, Prepared& p) {
    if (p.alternative.empty()) return;
    if (!matches_any(db, shards, p.query) && matches_any(db, shards, p.alternative)) p.fall_back();
}

/// The schema version of db's first shard (the current one when it says none).
int schema_of(const Xapian::Database& db) {
    const std::string v = db.get_metadata(std::string(schema::kSchemaVersionKey));
    try {
        return v.empty() ? schema::kSchemaVersion : std::stoi(v);
    } catch (const std::exception&) {
        return schema::kSchemaVersion;
    }
}

std::int64_t day_number(const std::string& ymd) {
    return days_from_civil(std::stoi(ymd.substr(0, 4)), std::stoi(ymd.substr(4, 2)), std::stoi(ymd.substr(6, 2)));
}

/// Relevance plus a freshness boost that halves every half_life days back from
/// the archive's newest article, scaled to the best relevance score so neither
/// swamps the other. A ValueMapPostingSource on the day slot: built in, so
/// remote shards can run it.
Xapian::Query with_recency(const Xapian::Database& db, const Xapian::Query& query, double half_life,
                           const Xapian::Weight& weight) {
    const std::string newest = db.get_value_upper_bound(schema::kSlotDate);
    const std::string oldest = db.get_value_lower_bound(schema::kSlotDate);
    if (newest.size() != 8 || oldest.size() != 8) return query;
    Xapian::Enquire probe(db);
    probe.set_query(query);
    probe.set_weighting_scheme(weight);
    const Xapian::MSet top = probe.get_mset(0, 1);
    double scale = top.empty() ? 0.0 : top.get_max_attained();
    if (scale <= 0) scale = 1.0;
    const std::int64_t last = day_number(newest);
    const std::int64_t horizon = static_cast<std::int64_t>(std::min(half_life * 20.0, 365.0 * 300.0));
    const std::int64_t first = std::max(last - horizon, day_number(oldest));
    auto* source = new Xapian::ValueMapPostingSource(schema::kSlotDate);
    source->set_default_weight(0.0);
    for (std::int64_t day = first; day <= last; ++day) {
        const CivilDate d = civil_from_days(day);
        char ymd[16];
        std::snprintf(ymd, sizeof ymd, "%04d%02d%02d", d.year, d.month, d.day);
        source->add_mapping(ymd, scale * std::exp2(-static_cast<double>(last - day) / half_life));
    }
    return Xapian::Query(Xapian::Query::OP_AND_MAYBE, query, Xapian::Query(source->release()));
}

void set_order(Xapian::Enquire& enquire, SortOrder sort) {
    // The sort key is time then id: equal scores come newest first, then by id,
    // the same on every page, run and shard layout.
    switch (sort) {
        case SortOrder::Relevance: enquire.set_sort_by_relevance_then_value(schema::kSlotSortKey, true); break;
        case SortOrder::Newest: enquire.set_sort_by_value_then_relevance(schema::kSlotSortKey, true); break;
        case SortOrder::Oldest: enquire.set_sort_by_value_then_relevance(schema::kSlotSortKey, false); break;
    }
}

/// A boolean match's count: Xapian's estimate and bounds.
struct BoolCount {
    Xapian::doccount estimated = 0, lower = 0, upper = 0;
    [[nodiscard]] bool exact() const noexcept { return lower == upper; }
};

BoolCount count_of(const Xapian::MSet& m) {
    return {m.get_matches_estimated(), m.get_matches_lower_bound(), m.get_matches_upper_bound()};
}

/// How many documents match, looking at no fewer than `check` of them (all of them when
/// there are fewer), folded by cluster key when `collapse`. Over several local shards
/// each is counted on its own and the counts added: Xapian 1.4 walks every match of a
/// boolean query over more than one database (a three-word OR at 1M: 0.1 ms on one
/// shard, 10-200 ms on two). Folded counts added up count a cluster with members in two
/// shards twice: they are estimates wherever they are used.
BoolCount unranked(const Xapian::Database& db, const std::vector<Xapian::Database>* shards,
                   const Xapian::Query& query, Xapian::doccount check, bool collapse = false) {
    BoolCount sum;
    for (const auto& part : parts_of(db, shards)) {
        Xapian::Enquire enquire(part);
        enquire.set_query(query);
        enquire.set_weighting_scheme(Xapian::BoolWeight());
        if (collapse) enquire.set_collapse_key(schema::kSlotCluster);
        const BoolCount c = count_of(enquire.get_mset(0, 0, check));
        sum.estimated += c.estimated;
        sum.lower += c.lower;
        sum.upper += c.upper;
    }
    return sum;
}

std::uint64_t exact_count(const Xapian::Database& db, const Xapian::Query& query) {
    return unranked(db, nullptr, query, db.get_doccount()).lower;
}

/// "And N similar": how many other copies of a hit's cluster match the query, exactly (the
/// collapse count is only a lower bound). A cluster's members are its first article (Q<key>)
/// and the copies folded under it (XCLUSTER:<key>), two short posting lists, so the count
/// costs a few postings rather than a match over the archive. An archive indexed before the
/// cluster terms existed is counted the old way, by the cluster slot (a full match).
class ClusterCounter {
  public:
    explicit ClusterCounter(const Xapian::Database& db) : m_db(db) {
        const bool any_copies = db.get_termfreq(std::string(schema::kTermDuplicate)) > 0;
        const std::string prefix(schema::kPrefixCluster);
        m_none = !any_copies;
        m_by_terms = any_copies && db.allterms_begin(prefix) != db.allterms_end(prefix);
    }

    /// matching: the query as Xapian runs it; pq, when it has phrases, checks each copy.
    std::uint64_t similar(const std::string& key, const Xapian::Query& matching,
                          const PositionalQuery* pq = nullptr) const {
        if (key.empty() || m_none) return 0;
        Xapian::Query members;
        if (m_by_terms) {
            const std::string cluster_term = schema::make_term(schema::kPrefixCluster, key);
            if (m_db.get_termfreq(cluster_term) == 0) return 0;  // nothing was ever folded under it
            members = Xapian::Query(Xapian::Query::OP_OR, Xapian::Query(schema::make_term(schema::kPrefixId, key)),
                                    Xapian::Query(cluster_term));
        } else {
            members = Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kSlotCluster, key, key);
        }
        const Xapian::Query copies(Xapian::Query::OP_FILTER, matching, members);
        std::uint64_t n = 0;
        if (pq != nullptr && pq->positional()) {
            // A cluster is a few articles: each is checked.
            Xapian::Enquire e(m_db);
            e.set_query(copies);
            e.set_weighting_scheme(Xapian::BoolWeight());
            Xapian::MSet m = e.get_mset(0, m_db.get_doccount());
            if (!m.empty()) m.fetch(m.begin(), m.end());
            DictionaryCache& dicts = thread_dictionaries();
            std::optional<Article> a;
            for (auto it = m.begin(); it != m.end(); ++it)
                if (candidate_matches(m_db, *pq, it.get_document(), dicts, a)) ++n;
        } else {
            n = exact_count(m_db, copies);
        }
        return n > 0 ? n - 1 : 0;
    }

  private:
    const Xapian::Database& m_db;
    bool m_none = false;
    bool m_by_terms = false;
};

/// One page of a tier's hits, in rank order, with the tier's counts (Xapian's, or for a query
/// with phrases those of the candidates checked).
struct Page {
    Xapian::MSet mset;                      ///< the ranked match (no phrases: the hits are all of it)
    std::vector<Xapian::MSetIterator> hits;
    std::vector<std::string> keys;          ///< folded here: each hit's cluster key, as read to fold it
    bool positional = false;                ///< checked against the stored text
    std::vector<Article> articles;          ///< positional: the hits' articles, decoded for the check
    Checked checked;                        ///< positional: what the check found
    std::uint64_t estimated = 0, lower = 0, upper = 0;  ///< folded (when folding)
    BoolCount uncollapsed;                              ///< no phrases: the match's count before folding
    bool folded_here = false;                           ///< ranked without the collapse key, folded by us
    /// Spied (no phrases, relevance order): the matches the ranked match looked at, and
    /// their distinct cluster keys. Fewer than it was asked to check means it looked at
    /// every match (checkatleast), so both are the exact counts, folded and not.
    bool spied = false;
    std::uint64_t seen = 0, seen_clusters = 0;
    bool fast = false;  ///< matched over Morgue's posting lists (fast_tiers.h): exact counts
};

/// Counts the matches a ranked match looks at, and the distinct cluster keys of the first
/// `keyed` of them: cheap past those (Xapian's ValueCountMatchSpy reads every one's key, which
/// cost 0.3-1.4 ms on matches of 6,000-50,000 at 1M articles). Not usable over remote shards
/// (xapian-tcpsrv knows only Xapian's own spies): there, Xapian says so and search() counts apart.
class MatchCounter : public Xapian::MatchSpy {
  public:
    explicit MatchCounter(std::uint64_t keyed) : m_keyed(keyed) {}
    void operator()(const Xapian::Document& doc, double) override {
        if (++m_seen > m_keyed) return;
        std::string key = doc.get_value(schema::kSlotCluster);
        if (key.empty()) ++m_unkeyed;
        else m_keys.insert(std::move(key));
    }
    [[nodiscard]] std::uint64_t seen() const noexcept { return m_seen; }
    [[nodiscard]] std::uint64_t clusters() const noexcept { return m_keys.size(); }
    [[nodiscard]] std::uint64_t unkeyed() const noexcept { return m_unkeyed; }

  private:
    std::uint64_t m_keyed;
    std::uint64_t m_seen = 0, m_unkeyed = 0;
    std::set<std::string> m_keys;
};

/// The results a page has shown so far: later tiers leave them out.
struct Shown {
    std::set<Xapian::docid> docids;
    std::set<std::string> clusters;  ///< their cluster keys (when folding)
    /// key: the hit's cluster key (empty when not folding, or when it has none).
    [[nodiscard]] bool holds(Xapian::docid did, const std::string& key) const {
        return docids.count(did) > 0 || (!key.empty() && clusters.count(key) > 0);
    }
};

/// Beyond the page (offset + limit, plus what a later tier leaves out), the uncollapsed hits a
/// ranked page reads to fold copies itself: copies score alike and sit together, so a few
/// clusters can fill many ranks. Too few distinct clusters among them and the page asks the
/// collapsed match after all.
constexpr std::size_t kFoldSlack = 2;

/// Beyond what a page folds, the matches a match ranked by weight alone fetches, so that ties
/// at its end seldom reach the page (by_weight_order).
constexpr std::size_t kTieSlack = 8;

/// The matches of a match ranked by weight alone (Enquire::set_sort_by_relevance) whose place in
/// set_order's ranking (relevance, then the sort key, newest first) is certain, in that order:
/// all of them when the match had no more (`every`), else those weighing more than the last,
/// which no match left out can outweigh or tie. Ties among them are put in sort key order; only
/// tied entries have their sort keys read.
void by_weight_order(const Xapian::MSet& m, bool every, std::vector<Xapian::MSetIterator>& out) {
    out.clear();
    const double edge = m.empty() ? 0.0 : (m.end() - 1).get_weight();
    for (auto it = m.begin(); it != m.end(); ++it) {
        if (!every && !(it.get_weight() > edge)) break;
        out.push_back(it);
    }
    const std::size_t count = out.size();
    for (std::size_t i = 0; i < count;) {
        std::size_t j = i + 1;
        const double w = out[i].get_weight();
        while (j < count && out[j].get_weight() == w) ++j;
        if (j - i > 1) {
            std::vector<std::pair<std::string, Xapian::MSetIterator>> tied;
            for (std::size_t k = i; k < j; ++k) tied.emplace_back(out[k].get_document().get_value(schema::kSlotSortKey), out[k]);
            std::stable_sort(tied.begin(), tied.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
            for (std::size_t k = i; k < j; ++k) out[k] = tied[k - i].second;
        }
        i = j;
    }
}

/// A tier after the first: `exact` matches its articles alone (those of the tiers before are
/// excluded by AND_NOT); `loose` matches them and the earlier tiers' too, cheaper to rank
/// (the any-word tier: 3.2 -> 1.8 ms at 1M), for when every earlier result is on this page
/// and can be left out by id.
struct Tier {
    Xapian::Query exact, loose;
};

/// Facets of a query; with phrases, of the matches among (at most) the first candidates checked.
Facets facets_of(const Xapian::Database& db, const Xapian::Query& query, const FacetOptions& options) {
    const PositionalQuery pq(query, &db);
    if (!pq.positional()) return compute_facets(db, query, options);
    constexpr std::uint64_t kMostChecked = 2000;
    std::vector<Xapian::Query> ids;
    const Checked c = checked_scan(db, pq, std::min<std::uint64_t>(options.sample, kMostChecked),
                                   [&](const Xapian::Document&, const Article& a) {
                                       ids.emplace_back(schema::make_term(schema::kPrefixId, a.id));
                                       return true;
                                   });
    Facets f = compute_facets(
        db, Xapian::Query(Xapian::Query::OP_FILTER, pq.superset(), Xapian::Query(Xapian::Query::OP_OR, ids.begin(), ids.end())),
        options);
    if (!c.all) f.sampled = c.passed;
    return f;
}

}  // namespace

/// Up to this many matches, the folded count collapses them all in one pass.
constexpr std::uint64_t kCollapseEvery = 400;

/// The number of distinct clusters among `total` matches of `query`, without collapsing
/// every match (a collapse pass over 12,600 matches took 12 ms on 300k articles). An
/// article that is no copy (no XDUP) keys its own cluster by its own id, so the distinct
/// keys are: the matching non-copies, plus the keys of the matching copies, less those
/// keys whose first article (Q<key>) is itself a matching non-copy. Copies are a few per
/// cent of an archive, so only they are collapsed, and only their clusters' first articles
/// looked up. Collapsing copies costs ~3 µs each at 1M articles (their cluster values are
/// scattered), so past `limit` matching copies only the first `limit` clusters (in docid
/// order) are collapsed and looked up, and the rest is scaled from them: an estimate, said
/// to be one, of a correction that is itself a few per cent of the total.
std::pair<std::uint64_t, bool> folded_count(const Xapian::Database& db, const Xapian::Query& query,
                                            std::uint64_t total, std::size_t limit) {
    if (total <= kCollapseEvery) {
        // Few matches: one collapse pass over them is cheaper than the three passes below
        // (at 1M articles, 64 matches of "Land Mine Ban": 1.9 ms -> 1.4 ms).
        Xapian::Enquire e(db);
        e.set_query(query);
        e.set_weighting_scheme(Xapian::BoolWeight());
        e.set_collapse_key(schema::kSlotCluster);
        return {e.get_mset(0, static_cast<Xapian::doccount>(total)).size(), true};
    }
    const Xapian::Query dup{std::string(schema::kTermDuplicate)};
    const Xapian::Query copies(Xapian::Query::OP_FILTER, query, dup);
    const std::uint64_t matching_copies = exact_count(db, copies);
    if (matching_copies == 0) return {total, true};
    const std::uint64_t cap = std::max<std::size_t>(limit, 1);
    const bool whole = matching_copies <= cap;
    const auto want = static_cast<Xapian::doccount>(std::min(matching_copies, cap));
    Xapian::Enquire e(db);
    e.set_query(copies);
    e.set_weighting_scheme(Xapian::BoolWeight());
    e.set_collapse_key(schema::kSlotCluster);
    const Xapian::MSet keys = e.get_mset(0, want, want);
    std::vector<Xapian::Query> firsts;
    firsts.reserve(keys.size());
    std::uint64_t seen = 0;  // the matching copies in the clusters collapsed
    for (auto it = keys.begin(); it != keys.end(); ++it) {
        firsts.emplace_back(schema::make_term(schema::kPrefixId, it.get_collapse_key()));
        seen += 1 + it.get_collapse_count();
    }
    const Xapian::Query non_copies(Xapian::Query::OP_AND_NOT, query, dup);
    const std::uint64_t firsts_matching =
        exact_count(db, Xapian::Query(Xapian::Query::OP_FILTER, non_copies,
                                      Xapian::Query(Xapian::Query::OP_OR, firsts.begin(), firsts.end())));
    const std::uint64_t n = keys.size();
    if (whole) return {(total - matching_copies) + n - firsts_matching, true};
    // Clusters among all matching copies, at the rate of those collapsed; the share of them
    // whose first article is a matching non-copy, as among those looked up.
    const double clusters = static_cast<double>(n) * static_cast<double>(matching_copies) /
                            static_cast<double>(std::max<std::uint64_t>(seen, n));
    const double unmatched_firsts = 1.0 - static_cast<double>(firsts_matching) / static_cast<double>(std::max<std::uint64_t>(n, 1));
    return {(total - matching_copies) + static_cast<std::uint64_t>(std::llround(clusters * unmatched_firsts)), false};
}

std::optional<SortOrder> sort_order_from_name(std::string_view name) noexcept {
    if (name == "relevance") return SortOrder::Relevance;
    if (name == "newest") return SortOrder::Newest;
    if (name == "oldest") return SortOrder::Oldest;
    return std::nullopt;
}

std::string_view sort_order_name(SortOrder order) noexcept {
    switch (order) {
        case SortOrder::Newest: return "newest";
        case SortOrder::Oldest: return "oldest";
        case SortOrder::Relevance: break;
    }
    return "relevance";
}

double parse_half_life(std::string_view text) {
    const std::string t(text::trim(text));
    std::size_t used = 0;
    double v = 0;
    try {
        v = std::stod(t, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    const std::string unit = t.substr(used);
    double days = 0;
    if (used > 0 && (unit.empty() || unit == "d")) days = v;
    else if (used > 0 && unit == "h") days = v / 24.0;
    else if (used > 0 && unit == "w") days = v * 7.0;
    else if (used > 0 && unit == "y") days = v * 365.25;
    if (!(days > 0) || !std::isfinite(days))
        throw UsageError("--recency '" + std::string(text) + "': expected a positive half-life such as 30d, 12h, 2w, 1y");
    return days;
}

SearchResults search(const Xapian::Database& db, const SearchRequest& request) {
    const auto t0 = std::chrono::steady_clock::now();
    SearchResults out;
    out.query = request.query;
    out.like_id = request.like_id;
    out.sort = request.sort;
    // Each lap adds the time since the last one to a phase.
    auto last = t0;
    auto lap = [&last](double& phase_ms) {
        const auto now = std::chrono::steady_clock::now();
        phase_ms += std::chrono::duration<double, std::milli>(now - last).count();
        last = now;
    };
    SearchPhases& ph = out.phases;
    try {
        QueryBuilder qb(db);
        Prepared p = prepare(qb, db, request);
        // BM25 as the archive's schema has it (its first shard's, as Xapian reports metadata).
        const Xapian::BM25Weight weight = schema::ranking_weight(schema_of(db));
        // What matches is p.query (shown in tiers: all the words, all but one, any); how it
        // ranks adds the boosts.
        // The boosts of each parsed form (all words, any word), built once: each tier ranks with
        // them, and building them looks up every name the words may form (0.15 ms at 1M).
        std::map<std::string, Xapian::Query> boosts;
        // The first two tiers of plain words over Morgue's posting lists (fast_tiers.h): all
        // the words; all but one (the bare chain all_but_one builds, once it is built); all but
        // one less those with every word. Each is built once and reused by the page's matches.
        const bool fast = request.postings && request.title_weight <= 0 && request.recency_half_life_days <= 0 &&
                          schema_of(db) >= 3;
        std::string most_bare;                // all_but_one's query, serialised (no dates)
        std::vector<std::string> most_words;  // its words
        std::map<std::string, Xapian::Query> fast_tiers;
        auto fast_tier = [&](const Xapian::Query& q, const ParsedQuery& parsed) -> std::optional<Xapian::Query> {
            if (!fast) return std::nullopt;
            std::vector<std::string> words = plain_words(q, Xapian::Query::OP_AND);
            std::vector<std::string> exclude;
            std::size_t need = words.size();
            if (words.empty()) {
                if (most_bare.empty()) return std::nullopt;
                if (q.get_type() == Xapian::Query::OP_AND_NOT && q.get_num_subqueries() == 2 &&
                    q.get_subquery(0).serialise() == most_bare) {
                    exclude = plain_words(q.get_subquery(1), Xapian::Query::OP_AND);
                    if (exclude.empty()) return std::nullopt;
                } else if (q.serialise() != most_bare) {
                    return std::nullopt;
                }
                words = most_words;
                need = words.size() - 1;
            }
            std::string key;
            for (const auto& w : words) (key += w) += '\x1f';
            key += std::to_string(need) + '\x1e';
            for (const auto& w : exclude) (key += w) += '\x1f';
            key += '\x1e';
            for (const auto& run : parsed.word_runs)
                for (const auto& w : run) (key += w) += '\x1f';
            auto known = fast_tiers.find(key);
            if (known == fast_tiers.end()) {
                const auto entity_terms = request.entity_boost ? qb.entity_boost_terms(parsed) : std::vector<std::pair<std::string, double>>{};
                auto spec = std::make_shared<const TierSpec>(tier_spec(db, words, entity_terms, need, std::move(exclude), schema::kWdfScale));
                known = fast_tiers.emplace(std::move(key), tier_query(std::move(spec), request.postings)).first;
            }
            return known->second;
        };
        auto ranked = [&](const Xapian::Query& q, const ParsedQuery& parsed) {
            if (auto tier = fast_tier(q, parsed)) return *tier;
            Xapian::Query r = q;
            // The boost depends on the words as typed (and, with a title weight, on the query's
            // terms): the all-words and any-word forms of a query share one.
            std::string form;
            for (const auto& run : parsed.word_runs) {
                for (const auto& word : run) (form += word) += '\x1f';
                form += '\x1e';
            }
            if (request.title_weight > 0) form += parsed.query.serialise();
            auto known = boosts.find(form);
            if (known == boosts.end())
                known = boosts.emplace(std::move(form), qb.boost(parsed, request.title_weight, request.entity_boost)).first;
            const Xapian::Query& extra = known->second;
            if (!extra.empty()) r = Xapian::Query(Xapian::Query::OP_AND_MAYBE, r, extra);
            if (request.recency_half_life_days > 0) r = with_recency(db, r, request.recency_half_life_days, weight);
            return r;
        };
        // Nothing folds until the duplicate stage writes cluster keys.
        const bool fold = request.collapse && db.get_value_freq(schema::kSlotCluster) > 0;
        auto make_enquire = [&](const Xapian::Query& q, bool collapse) {
            Xapian::Enquire e(db);
            e.set_weighting_scheme(weight);
            e.set_query(q);
            set_order(e, request.sort);
            if (collapse) e.set_collapse_key(schema::kSlotCluster);
            return e;
        };
        const auto check = static_cast<Xapian::doccount>(request.offset + request.limit + 100);
        bool remote_shards = false;  // learnt when Xapian refuses to send our match spy
        DictionaryCache& dicts = thread_dictionaries();
        lap(ph.parse);
        // One page of a tier: Xapian's own when the query has no phrase or NEAR; else the
        // superset's candidates in rank order, each checked against its stored text, and folded
        // here (the first of each cluster in rank order, as Xapian's collapse keeps).
        // `skip` (a later tier's loose query, at offset 0): leave out what the page shows already.
        // `count`: the first tier, whose match also counts the total.
        auto page_of = [&](const Xapian::Query& q, const ParsedQuery& parsed, std::size_t offset, std::size_t limit,
                           const Shown* skip = nullptr, bool count = false) {
            Page page;
            const PositionalQuery pq(q, &db);
            if (!pq.positional()) {
                page.fast = fast_tier(q, parsed).has_value();
                // Every shown result may rank among the first: ask for that many more.
                const std::size_t extra = skip != nullptr ? skip->docids.size() : 0;
                // Counting what the match looks at costs nothing measurable, and spares a
                // second pass to count (robust04 at 1M: the count phase 0.9 -> 0.1 ms mean).
                // Sorted by date, the match looks at every match, so no spy there.
                MatchCounter spy(check);
                page.spied = skip == nullptr && count && request.sort == SortOrder::Relevance && !remote_shards;
                // The spy counts in the first match that runs (the uncollapsed one when folding).
                bool spy_ran = false;
                auto run = [&](Xapian::Enquire& e, Xapian::doccount first, Xapian::doccount size) {
                    if (page.spied && !spy_ran) e.add_matchspy(&spy);
                    spy_ran = true;
                    try {
                        return e.get_mset(first, size, check);
                    } catch (const Xapian::UnimplementedError&) {
                        if (!page.spied) throw;
                        remote_shards = true;  // the spy cannot be sent to a remote shard
                        page.spied = false;
                        e.clear_matchspies();
                        return e.get_mset(first, size, check);
                    }
                };
                // Folding: rank without Xapian's collapse key, which reads every candidate's
                // key and prunes less, and fold the first hits here, keeping the first of each
                // cluster in rank order as the collapse does: the same page whenever those hits
                // hold enough clusters or are every match (robust04 at 1M: p50 -8%, mean -4%;
                // benchmarks/same_pages.py: 1,100 pages, none different).
                if (fold) {
                    Xapian::Enquire e = make_enquire(ranked(q, parsed), false);
                    const std::size_t want = (skip != nullptr ? 0 : offset) + limit;
                    const std::size_t asked = want + extra + kFoldSlack + want / 10;
                    // The first `asked` matches in rank order; every: they are all the matches.
                    std::vector<Xapian::MSetIterator> order;
                    bool every = false;
                    bool ordered = false;
                    if (request.sort == SortOrder::Relevance) {
                        // By weight alone: ties are put in the sort key's order here
                        // (by_weight_order), where Xapian would read the sort key of every
                        // candidate that may enter the page (robust04 at 1M, alternating binaries:
                        // p50 -12%, mean -6%, p90 -2 to -5%).
                        e.set_sort_by_relevance();
                        const std::size_t fetched = asked + kTieSlack;
                        page.mset = run(e, 0, static_cast<Xapian::doccount>(fetched));
                        every = page.mset.size() < fetched;
                        by_weight_order(page.mset, every, order);
                        ordered = every || order.size() >= asked;
                        if (!ordered) e = make_enquire(ranked(q, parsed), false);  // ties reach the page
                    }
                    if (!ordered) {
                        page.mset = run(e, 0, static_cast<Xapian::doccount>(asked));
                        every = page.mset.size() < asked;
                        order.clear();
                        for (auto it = page.mset.begin(); it != page.mset.end(); ++it) order.push_back(it);
                    }
                    // Over remote shards, every hit's document in one exchange.
                    if (remote_shards && !page.mset.empty()) page.mset.fetch(page.mset.begin(), page.mset.end());
                    std::set<std::string> keys;
                    std::uint64_t clusters = 0, kept = 0;  // among all it read; those not left out
                    // The keys past a full page only count clusters per match, which the spy
                    // knows better when it counted: then no more are read (a key is a random
                    // read of Xapian's value stream, ~6 us; 7% of the Robust04 band's time).
                    const bool spy_share = page.spied && spy.unkeyed() == 0 && spy.clusters() > 0;
                    for (const Xapian::MSetIterator& it : order) {
                        if (spy_share && !every && page.hits.size() >= limit) break;
                        std::string key = it.get_document().get_value(schema::kSlotCluster);
                        if (!key.empty() && !keys.insert(key).second) continue;
                        ++clusters;
                        if (skip != nullptr && skip->holds(*it, key)) continue;
                        if (++kept > offset && page.hits.size() < limit) {
                            page.hits.push_back(it);
                            page.keys.push_back(std::move(key));
                        }
                    }
                    if (page.hits.size() >= limit || every) {
                        page.folded_here = true;
                        page.uncollapsed = count_of(page.mset);
                        if (every) {
                            page.estimated = page.lower = page.upper = kept;
                        } else {
                            // Clusters per match: the spy's (it saw more matches), else those read here.
                            double share = static_cast<double>(clusters) / static_cast<double>(order.size());
                            if (spy_share)
                                share = static_cast<double>(spy.clusters()) /
                                        static_cast<double>(std::min<std::uint64_t>(spy.seen(), check));
                            const auto less = [&](double n) { return n > static_cast<double>(extra) ? n - static_cast<double>(extra) : 0.0; };
                            page.lower = kept;
                            page.upper = std::max<std::uint64_t>(kept, static_cast<std::uint64_t>(less(page.uncollapsed.upper)));
                            page.estimated = std::clamp<std::uint64_t>(
                                static_cast<std::uint64_t>(std::llround(less(static_cast<double>(page.uncollapsed.estimated) * share))),
                                page.lower, page.upper);
                        }
                    } else {
                        page.hits.clear();
                        page.keys.clear();
                    }
                }
                if (!page.folded_here) {
                    Xapian::Enquire e = make_enquire(ranked(q, parsed), fold);
                    if (skip != nullptr) {
                        page.mset = e.get_mset(0, static_cast<Xapian::doccount>(limit + extra));
                        for (auto it = page.mset.begin(); it != page.mset.end() && page.hits.size() < limit; ++it)
                            if (!skip->holds(*it, fold ? it.get_collapse_key() : std::string())) page.hits.push_back(it);
                    } else {
                        page.mset = run(e, static_cast<Xapian::doccount>(offset), static_cast<Xapian::doccount>(limit));
                        for (auto it = page.mset.begin(); it != page.mset.end(); ++it) page.hits.push_back(it);
                    }
                    const auto less = [&](Xapian::doccount n) { return n > extra ? n - extra : 0; };
                    page.estimated = less(page.mset.get_matches_estimated());
                    page.lower = less(page.mset.get_matches_lower_bound());
                    page.upper = less(page.mset.get_matches_upper_bound());
                    page.uncollapsed = {page.mset.get_uncollapsed_matches_estimated(), page.mset.get_uncollapsed_matches_lower_bound(),
                                        page.mset.get_uncollapsed_matches_upper_bound()};
                }
                if (page.spied) {
                    page.seen = spy.seen();
                    page.seen_clusters = spy.clusters();
                    // An article without a key (written before the duplicate stage) is its own
                    // cluster unless its id keys another's: not countable from keys alone.
                    if (fold && spy.unkeyed() > 0) page.spied = false;
                }
                return page;
            }
            page.positional = true;
            Xapian::Enquire e = make_enquire(ranked(pq.superset(), parsed), false);
            std::set<std::string> keys;
            std::uint64_t shown = 0;  // results so far, copies folded
            double checking_ms = 0;
            bool sketched = false;  // some candidates judged by their sketches alone
            auto start = static_cast<Xapian::doccount>(0);
            auto batch = static_cast<Xapian::doccount>(std::max<std::size_t>(2 * (offset + limit), kCheckSample));
            for (;;) {
                Xapian::MSet m = e.get_mset(start, batch, check);
                page.checked.candidates = m.get_matches_estimated();
                page.upper = m.get_matches_upper_bound();
                const auto c0 = std::chrono::steady_clock::now();
                if (!m.empty()) m.fetch(m.begin(), m.end());
                std::optional<Article> a;
                // A full page on a sample of candidates is enough, unless there are few enough
                // candidates that counting them will check them all anyway (kCheckAll). The
                // sample is the count's too: 4 x kCheckSample ("blood-alcohol fatalities" at 1M:
                // 3,650 matches, estimated 833 from 50 candidates, 3,578 from 280).
                bool enough = false;
                for (auto it = m.begin(); it != m.end(); ++it) {
                    if (page.hits.size() >= limit && page.checked.checked >= 4 * kCheckSample && page.upper > kCheckAll) {
                        enough = true;
                        break;
                    }
                    const Xapian::Document doc = it.get_document();
                    ++page.checked.checked;
                    // Past a full page, where the total is an estimate anyway, the sample is
                    // judged by the word sketch alone (a two-word phrase's false matches: about
                    // one article in 200 of 300 words), not decompressed and indexed again.
                    const bool exact = page.hits.size() < limit || page.upper <= kCheckAll;
                    sketched = sketched || !exact;
                    if (!candidate_matches(db, pq, doc, dicts, a, exact)) continue;
                    ++page.checked.passed;
                    if (fold && !keys.insert(a ? cluster_of(doc, *a) : cluster_of(doc, std::string(1, '#').append(std::to_string(doc.get_docid())))).second)
                        continue;
                    if (++shown > offset && page.hits.size() < limit) {
                        page.hits.push_back(it);
                        page.articles.push_back(std::move(*a));
                    }
                }
                checking_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - c0).count();
                if (enough) break;
                if (m.size() < batch) {
                    page.checked.all = !sketched;
                    break;
                }
                // (Few candidates: check them all here, as the count would do again.)
                if (page.hits.size() >= limit && page.checked.checked >= kCheckSample && page.upper > kCheckAll) break;
                if (page.checked.checked >= kCheckMost) break;
                start += m.size();
                // Each batch is a match of its own over the whole superset (Xapian ranks the
                // first start + batch again): grow fast, so that a rare phrase costs few of them
                // ("to be or not to be" at 1M: 8 matches, 418 ms of a 520 ms search, at x2).
                batch = std::min<Xapian::doccount>(batch * 8, static_cast<Xapian::doccount>(kCheckMost - page.checked.checked));
            }
            ph.check += checking_ms;
            ph.match -= checking_ms;  // the caller's lap counts the whole page as the match
            page.checked.clusters = fold ? keys.size() : page.checked.passed;
            if (page.checked.all) {
                page.estimated = page.lower = page.upper = shown;
            } else {
                const double rate = static_cast<double>(page.checked.passed) / static_cast<double>(page.checked.checked);
                const double folded_share = page.checked.passed > 0
                                                ? static_cast<double>(shown) / static_cast<double>(page.checked.passed)
                                                : 1.0;
                page.estimated = std::max<std::uint64_t>(
                    shown, static_cast<std::uint64_t>(std::llround(static_cast<double>(page.checked.candidates) * rate * folded_share)));
                page.lower = shown;
            }
            return page;
        };
        // The ranked match itself tells whether a tier matched anything: it looked at up to
        // `check` matches, so an empty page with a lower bound of 0 means none.
        auto none = [](const Page& pg) { return pg.hits.empty() && pg.lower == 0; };
        Page page = page_of(p.query, p.parsed, request.offset, request.limit, nullptr, true);
        if (!p.alternative.empty()) {
            // The words' frequencies from the match's own statistics (the any-word form's words
            // are the query's, stop words aside), not a lookup each (1.5% of the p90 titles' profile).
            const bool stats = !page.positional && !remote_shards;
            const Xapian::Query most = all_but_one(p.any.query, [&](const std::string& term) {
                return stats ? page.mset.get_termfreq(term) : db.get_termfreq(term);
            });
            if (!most.empty()) {
                p.most = p.with_dates(most);
                if (fast) {
                    // (Only where each of all_but_one's parts is one word: after a comma,
                    // QueryParser groups words, and all but one of the parts is not all but
                    // one of the words.)
                    most_words = plain_words(p.any.query, Xapian::Query::OP_OR);
                    if (most_words.size() >= 3 && most_words.size() == p.any.query.get_num_subqueries())
                        most_bare = most.serialise();
                }
            }
        }
        Xapian::Query shown = p.query;  // what the first tier of hits matched
        bool shown_is_query = true;     // else the all-but-one tier, whose match does not count p.query
        // Ranked by relevance, several plain words: the tiers that follow when the first runs
        // out within the page, each without the articles of those before it (all the words,
        // then all but one, then any of them).
        std::vector<Tier> tails;
        if (!p.alternative.empty()) {
            if (none(page)) {
                const Xapian::Query most = p.most;
                p.fall_back();
                bool placed = false;
                if (!most.empty()) {
                    page = page_of(most, p.parsed, request.offset, request.limit);
                    placed = !none(page);
                    if (placed) {
                        shown = most;
                        shown_is_query = false;
                        if (request.sort == SortOrder::Relevance)
                            tails.push_back({Xapian::Query(Xapian::Query::OP_AND_NOT, p.query, most), p.query});
                    }
                }
                if (!placed) {
                    page = page_of(p.query, p.parsed, request.offset, request.limit, nullptr, true);
                    shown = p.query;
                    if (none(page)) p.partial = false;  // nothing at all
                }
            } else if (request.sort == SortOrder::Relevance) {
                if (!p.most.empty()) {
                    tails.push_back({Xapian::Query(Xapian::Query::OP_AND_NOT, p.most, p.query), p.most});
                    tails.push_back({Xapian::Query(Xapian::Query::OP_AND_NOT, p.alternative, p.most), p.alternative});
                } else {
                    tails.push_back({Xapian::Query(Xapian::Query::OP_AND_NOT, p.alternative, p.query), p.alternative});
                }
            }
        }
        out.partial = p.partial;
        lap(ph.match);
        // "Did you mean" only when the words as typed found nothing together:
        // a suggestion beside good results is noise (and would vary with which
        // shards carry spelling data; remote ones carry none).
        // And only for words in no article at all (suggest_query checks each): a
        // misspelling is, and a word the archive has is never "corrected" to a more
        // frequent neighbour (african -> africa).
        if (page.hits.empty() || p.partial) out.did_you_mean = suggest_query(db, request.words, qb.stemmer(), request.query);
        lap(ph.suggest);
        const PositionalQuery counted(p.query, &db);
        if (counted.positional()) {
            // The page of p.query checked its best candidates; unless that was all of them,
            // count again: every candidate when there are few, else estimate from a sample.
            Checked c;
            if (shown_is_query && page.positional) c = page.checked;
            // Any of the words with a phrase among them (a fall-back): what matches the parts
            // without phrases needs no check, so Xapian counts those and only the rest is sampled,
            // with the word sketches ("consumer on-line shopping" at 1M: count 20.9 -> 2.9 ms).
            const BoolCount sup = c.all ? BoolCount{} : unranked(db, request.shards, counted.superset(), kCheckAll + 1);
            const bool few = !c.all && sup.upper <= kCheckAll;  // checked one by one
            const OrSplit split = !c.all && !few ? split_or(p.query, &db) : OrSplit{};
            std::set<std::string> keys;
            auto key_of = [&](const Xapian::Document& doc, const Article& a) {
                keys.insert(cluster_of(doc, a));
                return true;
            };
            if (!split.sure.empty()) {
                const PositionalQuery rest(Xapian::Query(Xapian::Query::OP_AND_NOT, split.checked, split.sure), &db);
                Checked r = checked_scan(db, rest, 4 * kCheckSample, key_of);
                r.clusters = keys.size();
                const std::uint64_t rest_total = scaled_count(r);
                const BoolCount sure = unranked(db, request.shards, split.sure, check);
                const bool sure_exact = sure.exact();
                out.total = sure.estimated + rest_total;
                out.total_exact = sure_exact && r.all;
                out.total_folded = out.total;
                out.total_folded_exact = out.total_exact;
                if (fold) {
                    const BoolCount sure_folded = unranked(db, request.shards, split.sure, check, true);
                    out.total_folded = sure_folded.estimated +
                                       static_cast<std::uint64_t>(std::llround(static_cast<double>(rest_total) * cluster_share(r)));
                    // (Clusters with members on both sides are counted on each: an estimate.)
                    out.total_folded_exact = false;
                }
            } else {
                if (few) {
                    c = checked_scan(db, counted, UINT64_MAX, key_of);
                    c.clusters = fold ? keys.size() : c.passed;
                } else if (!c.all && c.checked == 0) {
                    c = checked_scan(db, counted, 4 * kCheckSample, key_of);
                    c.clusters = fold ? keys.size() : c.passed;
                    c.candidates = sup.estimated;
                }
                out.total = scaled_count(c);
                out.total_exact = c.all;
                out.total_folded = fold ? (c.all ? c.clusters
                                                 : static_cast<std::uint64_t>(
                                                       std::llround(static_cast<double>(out.total) * cluster_share(c))))
                                        : out.total;
                out.total_folded_exact = c.all;
            }
        } else if (shown_is_query && page.spied && page.seen < check) {
            out.total = page.seen;
            out.total_exact = true;
            out.total_folded = fold ? page.seen_clusters : page.seen;
            out.total_folded_exact = true;
        } else if (fold && shown_is_query && page.spied && page.seen_clusters > 0 && page.fast && page.folded_here &&
                   page.uncollapsed.exact()) {
            // A fast tier knows its matches (fast_tiers.h): the count before folding is exact;
            // folded, the estimate at the rate of clusters among those the match looked at, as
            // below (counting the clusters apart would cost more than the match).
            out.total = page.uncollapsed.estimated;
            out.total_exact = true;
            out.total_folded = page.estimated;
            out.total_folded_exact = false;
        } else if (fold && shown_is_query && page.spied && page.seen_clusters > 0 &&
                   !page.uncollapsed.exact()) {
            // More matches than the match looked at: the folded estimate, and the count before
            // folding at the rate of copies among those it looked at (no second pass).
            out.total_folded = page.estimated;
            out.total_folded_exact = false;
            // (Ranked without the collapse key, the match's own estimate is that count.)
            out.total = page.folded_here ? std::max<std::uint64_t>(page.seen, page.uncollapsed.estimated) : std::max<std::uint64_t>(
                page.seen, static_cast<std::uint64_t>(std::llround(static_cast<double>(page.estimated) *
                                                                   static_cast<double>(std::min<std::uint64_t>(page.seen, check)) /
                                                                   static_cast<double>(page.seen_clusters))));
            out.total_exact = false;
        } else if (fold) {
            // The count before folding needs a pass without the collapse key (Xapian's
            // "uncollapsed" figures from a collapsed match are estimates even when it saw
            // every match).
            // (When the ranked match of p.query already knows it exactly, as for one word, no pass.)
            const bool known = shown_is_query && page.uncollapsed.exact();
            const BoolCount every = known ? BoolCount{} : unranked(db, request.shards, p.query, check);
            out.total = known ? page.uncollapsed.estimated : every.estimated;
            out.total_exact = known || every.exact();
            if (shown_is_query && page.lower == page.upper) {
                out.total_folded = page.estimated;  // the page folded every match of p.query
                out.total_folded_exact = true;
            } else if (out.total_exact && out.total <= kCountFoldedUpTo) {
                // Collapsed counts are estimates that differ between local and
                // remote shards; when every match can be looked at, count exactly.
                // (Past kCountFoldedUpTo matches, Xapian's estimate: at 1M articles the
                // count took 1.5-2.8 ms for one word with 2,000-8,000 matches.)
                std::tie(out.total_folded, out.total_folded_exact) = folded_count(db, p.query, out.total, kFoldCopies);
            } else {
                // An estimate: p.query's own page's, or (the page is the all-but-one tier's)
                // the total at the share of clusters among that page's matches.
                const double share = page.uncollapsed.estimated > 0 ? std::min(1.0, static_cast<double>(page.estimated) /
                                                                                         static_cast<double>(page.uncollapsed.estimated))
                                                                    : 1.0;
                out.total_folded = shown_is_query ? page.estimated
                                                  : static_cast<std::uint64_t>(std::llround(static_cast<double>(out.total) * share));
                out.total_folded_exact = false;
            }
        } else {
            const BoolCount matched = shown_is_query ? count_of(page.mset) : unranked(db, request.shards, p.query, check);
            out.total = matched.estimated;
            out.total_exact = matched.exact();
            out.total_folded = out.total;
            out.total_folded_exact = out.total_exact;
        }
        ClusterCounter copies(db);
        lap(ph.count);
        Snippeter snippeter(qb.stemmer(), p.parsed.highlight, request.snippet_options);
        snippeter.set_wildcards(p.parsed.wildcards);
        std::size_t rank = request.offset;
        Shown on_page;
        auto take = [&](Page& pg, const Xapian::Query& matching, bool partial) {
            const PositionalQuery matching_pq(matching, &db);
            // Remote shards: ask for every hit's document at once, not one round trip each
            // (the range form: fetch() without one crashed here with an offset, on Xapian 1.4.22).
            // A checked page has its documents and articles already.
            if (!pg.positional && !pg.mset.empty()) pg.mset.fetch(pg.mset.begin(), pg.mset.end());
            lap(ph.fetch);
            for (std::size_t i = 0; i < pg.hits.size(); ++i) {
                const Xapian::MSetIterator& it = pg.hits[i];
                SearchHit hit;
                hit.rank = ++rank;
                hit.score = it.get_weight();
                hit.partial = partial;
                const Xapian::Document doc = it.get_document();
                hit.article = pg.positional ? std::move(pg.articles[i]) : read_article(db, doc, dicts);
                hit.id = hit.article.id;
                on_page.docids.insert(*it);
                const std::string key =
                    !fold ? std::string() : pg.keys.empty() ? doc.get_value(schema::kSlotCluster) : std::move(pg.keys[i]);
                if (fold) on_page.clusters.insert(key);
                lap(ph.fetch);
                if (fold) hit.similar = copies.similar(key, matching_pq.superset(), &matching_pq);
                lap(ph.similar);
                if (request.snippets) {
                    // Highlighted: the query's own words (wildcards by their patterns), not each
                    // hit's matching terms, which would read every hit's term list (8-10% of
                    // query time here, a round trip per hit on remote shards).
                    hit.snippet = snippeter.make(hit.article.body);
                    hit.title_highlighted = snippeter.highlight(hit.article.title);
                    lap(ph.snippets);
                }
                out.hits.push_back(std::move(hit));
            }
        };
        take(page, shown, p.partial);
        // Articles with all the words come first; when they run out within the page, the
        // best of those with all but one follow, then those with any.
        std::size_t got = page.hits.size();
        std::uint64_t before = page.estimated;  // exact: each tier ran out
        for (const auto& tail : tails) {
            if (got >= request.limit) break;
            const std::size_t offset = request.offset > before ? request.offset - before : 0;
            // (After a fall-back the any-word words are p.parsed.)
            // Every earlier result is on this page (the first page): rank the loose query and
            // leave them out; else the exact one.
            const bool loose = request.offset == 0 && !PositionalQuery(tail.loose, &db).positional();
            Page more = page_of(loose ? tail.loose : tail.exact, p.partial ? p.parsed : p.any, offset, request.limit - got,
                                loose ? &on_page : nullptr);
            lap(ph.match);
            take(more, tail.exact, true);
            got += more.hits.size();
            before += more.estimated;
        }
        out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (request.facets) {
            out.facets = facets_of(db, p.query, request.facet_options);
            lap(ph.facets);
        }
    } catch (const Xapian::Error& e) {
        throw ArchiveError(e.get_description());
    }
    return out;
}

std::optional<DayRange> request_day_range(const SearchRequest& r) {
    if (!r.like_id.empty()) return std::nullopt;  // the article compared with may be anywhere
    DateBounds b;
    if (!r.from.empty()) b = intersect(b, option_bounds(r.from, DateField::After, "--from"));
    if (!r.to.empty()) b = intersect(b, option_bounds(r.to, DateField::Before, "--to"));
    // Fields of the query text count only where they surely filter every match.
    bool plain = true;
    std::vector<std::pair<DateField, std::string>> fields;
    std::size_t i = 0;
    const std::string& q = r.query;
    while (i < q.size()) {
        while (i < q.size() && std::isspace(static_cast<unsigned char>(q[i]))) ++i;
        std::size_t j = i;
        while (j < q.size() && !std::isspace(static_cast<unsigned char>(q[j]))) ++j;
        const std::string token = q.substr(i, j - i);
        i = j;
        if (token.empty()) continue;
        if (token == "OR" || token == "NOT" || token == "XOR" || token[0] == '-' || token[0] == '(' ||
            token.find(')') != std::string::npos || token.find('"') != std::string::npos)
            plain = false;
        for (const auto& [name, field] : {std::pair<std::string_view, DateField>{"date:", DateField::Date},
                                          {"after:", DateField::After}, {"before:", DateField::Before}}) {
            if (token.size() > name.size() && text::to_lower(token.substr(0, name.size())) == name)
                fields.emplace_back(field, token.substr(name.size()));
        }
    }
    if (plain) {
        try {
            for (const auto& [field, value] : fields) {
                const DateBounds f = parse_date_value(value, field);
                if (f.undated) return std::nullopt;
                b = intersect(b, f);
            }
        } catch (const QueryError&) {
            return std::nullopt;  // the search itself reports a bad date, in its own words
        }
    }
    if (b.lo.empty() && b.hi.empty()) return std::nullopt;
    return DayRange{b.lo, b.hi};
}

std::uint64_t count_matches(const Xapian::Database& db, const SearchRequest& request) {
    try {
        QueryBuilder qb(db);
        Prepared p = prepare(qb, db, request);
        settle(db, request.shards, p);
        const PositionalQuery pq(p.query, &db);
        if (pq.positional())
            return checked_scan(db, pq, UINT64_MAX, [](const Xapian::Document&, const Article&) { return true; }).passed;
        return exact_count(db, p.query);
    } catch (const Xapian::Error& e) {
        throw ArchiveError(e.get_description());
    }
}

std::uint64_t count_matches(const Xapian::Database& db, const std::string& query) {
    SearchRequest r;
    r.query = query;
    return count_matches(db, r);
}

Article find_article(const Xapian::Database& db, const std::string& id) {
    try {
        const std::string id_term = schema::make_term(schema::kPrefixId, id);
        auto pl = db.postlist_begin(id_term);
        if (pl == db.postlist_end(id_term)) throw Error("no article with id '" + id + "'");
        DictionaryCache& dicts = thread_dictionaries();
        return read_article(db, db.get_document(*pl), dicts);
    } catch (const Xapian::Error& e) {
        throw ArchiveError(e.get_description());
    }
}

}  // namespace morgue::searcher
