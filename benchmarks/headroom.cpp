/** @file headroom.cpp
 *  @brief `morgue-bench headroom` (headroom.h): the first two tiers in Xapian and over decoded arrays.
 */
#include "benchmarks/headroom.h"

#include "common/error.h"
#include "common/schema.h"
#include "searcher/archive_reader.h"
#include "searcher/fast_tiers.h"
#include "searcher/mapped_reads.h"
#include "searcher/query_builder.h"
#include "searcher/search.h"
#include "searcher/shard_set.h"

#include <nlohmann/json.hpp>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <queue>

namespace morgue::bench {

namespace {

/// What search() fetches for a first page (10 hits, folding slack, tie slack) and looks at.
constexpr Xapian::doccount kFetched = 21;
constexpr Xapian::doccount kCheck = 110;
constexpr std::uint64_t kPage = 10;

/// One posting list decoded into arrays, with its BM25 term weight (b = 0, so no lengths).
struct DecodedList {
    std::vector<Xapian::docid> docids;
    std::vector<Xapian::termcount> wdfs;
    double termweight = 0;
    std::size_t at = 0;

    /// Moves to the first posting at or after `did` (galloping, then a binary search); true when
    /// that posting is `did`.
    bool seek(Xapian::docid did) {
        const std::size_t n = docids.size();
        if (at >= n) return false;
        if (docids[at] >= did) return docids[at] == did;
        std::size_t lo = at, step = 1, hi = at + 1;
        while (hi < n && docids[hi] < did) {
            lo = hi;
            step *= 2;
            hi = lo + step;
        }
        hi = std::min(hi, n);
        at = static_cast<std::size_t>(std::lower_bound(docids.begin() + static_cast<std::ptrdiff_t>(lo),
                                                       docids.begin() + static_cast<std::ptrdiff_t>(hi), did) -
                                      docids.begin());
        return at < n && docids[at] == did;
    }
    /// The weight of the posting it is on, as Xapian::BM25Weight::get_sumpart computes it at b = 0.
    [[nodiscard]] double weight(double k1) const {
        const auto wdf = static_cast<double>(wdfs[at]);
        return termweight * (wdf / (k1 + wdf));
    }
};

DecodedList decode(const Xapian::Database& db, const std::string& term, double factor, double k1) {
    DecodedList l;
    std::vector<std::pair<Xapian::docid, Xapian::termcount>> postings;
    for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) postings.emplace_back(*it, it.get_wdf());
    std::sort(postings.begin(), postings.end());  // several shards: in docid order whatever Xapian's
    for (const auto& [did, wdf] : postings) {
        l.docids.push_back(did);
        l.wdfs.push_back(wdf);
    }
    l.termweight = searcher::bm25_termweight(db.get_doccount(), db.get_termfreq(term), factor, k1);
    return l;
}

/// The best `k` weights seen.
class TopWeights {
  public:
    explicit TopWeights(std::size_t k) : m_k(k) {}
    void add(double w) {
        if (m_heap.size() < m_k) m_heap.push(w);
        else if (w > m_heap.top()) {
            m_heap.pop();
            m_heap.push(w);
        }
    }
    [[nodiscard]] std::vector<double> best_first() {
        std::vector<double> out;
        while (!m_heap.empty()) {
            out.push_back(m_heap.top());
            m_heap.pop();
        }
        std::reverse(out.begin(), out.end());
        return out;
    }

  private:
    std::size_t m_k;
    std::priority_queue<double, std::vector<double>, std::greater<>> m_heap;
};

struct Decoded {
    std::vector<DecodedList> words, boosts;
    double k1 = 0;
    /// The articles with every word (all_words), which the all-but-one tier's page leaves out.
    std::vector<Xapian::docid> every_word;

    double boost_of(Xapian::docid did) {
        double sum = 0;
        for (auto& b : boosts)
            if (b.seek(did)) sum += b.weight(k1);
        return sum;
    }
    void rewind() {
        for (auto& l : words) l.at = 0;
        for (auto& l : boosts) l.at = 0;
    }
    std::vector<DecodedList*> rarest_first() {
        std::vector<DecodedList*> order;
        for (auto& l : words) order.push_back(&l);
        std::stable_sort(order.begin(), order.end(),
                         [](const DecodedList* a, const DecodedList* b) { return a->docids.size() < b->docids.size(); });
        return order;
    }

    /// Every word: the rarest list drives, the others are sought.
    std::uint64_t all_words(TopWeights& top) {
        rewind();
        every_word.clear();
        const auto order = rarest_first();
        std::uint64_t matches = 0;
        DecodedList& driver = *order.front();
        for (driver.at = 0; driver.at < driver.docids.size(); ++driver.at) {
            const Xapian::docid did = driver.docids[driver.at];
            bool every = true;
            for (std::size_t i = 1; i < order.size() && every; ++i) every = order[i]->seek(did);
            if (!every) continue;
            ++matches;
            if (every_word.size() < kPage) every_word.push_back(did);
            double w = 0;
            for (const auto* l : order) w += l->weight(k1);
            top.add(w + boost_of(did));
        }
        return matches;
    }

    /// At least n - 1 of the n words: an article missing both rarest has n - 2 at most, so the
    /// union of those two lists drives and the others are sought.
    std::uint64_t all_but_one(TopWeights& top) {
        rewind();
        const auto order = rarest_first();
        const std::size_t n = order.size();
        DecodedList& a = *order[0];
        DecodedList& b = *order[1];
        std::size_t ia = 0, ib = 0;
        std::uint64_t matches = 0;
        while (ia < a.docids.size() || ib < b.docids.size()) {
            const bool from_a = ib >= b.docids.size() || (ia < a.docids.size() && a.docids[ia] <= b.docids[ib]);
            const Xapian::docid did = from_a ? a.docids[ia] : b.docids[ib];
            double w = 0;
            std::size_t have = 0;
            if (ia < a.docids.size() && a.docids[ia] == did) {
                a.at = ia++;
                w += a.weight(k1);
                ++have;
            }
            if (ib < b.docids.size() && b.docids[ib] == did) {
                b.at = ib++;
                w += b.weight(k1);
                ++have;
            }
            for (std::size_t i = 2; i < n && have + (n - i) >= n - 1; ++i) {
                if (order[i]->seek(did)) {
                    w += order[i]->weight(k1);
                    ++have;
                }
            }
            if (have + 1 < n) continue;
            ++matches;
            // An article with every word is on the page already (search() leaves it out); Xapian's
            // chain weighs it twice over, so it is not compared.
            if (have < n) top.add(w + boost_of(did));
        }
        return matches;
    }
};

template <class Fn>
double median_ms(unsigned runs, Fn&& fn) {
    std::vector<double> ms;
    for (unsigned i = 0; i < std::max(1u, runs); ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        fn();
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

/// Xapian's best weights and the decoded ones agree (the order of additions aside).
/// `a` is Xapian's, less the articles left out: a prefix of `b`'s length or shorter.
bool same_weights(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() > b.size() || (a.size() < b.size() && a.size() + kPage < kFetched)) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::fabs(a[i] - b[i]) > 1e-9 * std::max(1.0, std::fabs(a[i]))) return false;
    return true;
}

}  // namespace

HeadroomReport run_headroom(const HeadroomOptions& options) {
    const searcher::MappedReadsScope maps;  // as morgue-bench query reads the tables
    const Xapian::Database db = searcher::open_archive(options.archive);
    const std::string version = db.get_metadata(std::string(schema::kSchemaVersionKey));
    if (!version.empty() && std::stoi(version) < 3)
        throw Error(options.archive + ": schema " + version + " ranks with document lengths; headroom needs schema 3 or later");
    const Xapian::BM25Weight weight = schema::ranking_weight(schema::kSchemaVersion);
    const double k1 = schema::kWdfScale;
    std::ifstream in(options.queries);
    if (!in) throw Error(options.queries + ": cannot read");
    searcher::QueryBuilder qb(db);
    // The archive's own posting lists, shard by shard, when it has them.
    const searcher::ShardSet set(options.archive);
    const auto postings = set.postings();
    const std::vector<Xapian::Database> parts = set.local_shards() ? *set.local_shards() : std::vector<Xapian::Database>{set.db()};
    HeadroomReport report;
    std::string line;
    while (std::getline(in, line)) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        HeadroomQuery hq;
        hq.query = line;
        searcher::ParsedQuery all;
        try {
            all = qb.parse(line, Xapian::Query::OP_AND);
        } catch (const Error&) {
            hq.plain = false;
        }
        const std::vector<std::string> words = hq.plain ? searcher::plain_words(all.query, Xapian::Query::OP_AND) : std::vector<std::string>{};
        if (words.empty()) {
            hq.plain = false;
            report.queries.push_back(std::move(hq));
            continue;
        }
        const Xapian::Query boost = qb.boost(all, 0, true);
        const auto boost_terms = qb.entity_boost_terms(all);
        Decoded decoded;
        decoded.k1 = k1;
        for (const auto& [term, scale] : boost_terms) decoded.boosts.push_back(decode(db, term, scale, k1));

        // One tier: Xapian's ranked match as search() runs it, then the decoded arrays'.
        auto tier = [&](const Xapian::Query& q, bool leave_out, const std::function<std::uint64_t(Decoded&, TopWeights&)>& walk,
                        const std::vector<std::string>& terms, std::size_t need) {
            HeadroomTier t;
            t.ran = true;
            const Xapian::Query ranked = boost.empty() ? q : Xapian::Query(Xapian::Query::OP_AND_MAYBE, q, boost);
            std::vector<double> xapian_best;
            t.xapian_ms = median_ms(options.runs, [&] {
                Xapian::Enquire e(db);
                e.set_weighting_scheme(weight);
                e.set_query(ranked);
                e.set_sort_by_relevance();
                const Xapian::MSet m = e.get_mset(0, kFetched, kCheck);
                xapian_best.clear();
                for (auto it = m.begin(); it != m.end(); ++it)
                    if (!leave_out || std::find(decoded.every_word.begin(), decoded.every_word.end(), *it) == decoded.every_word.end())
                        xapian_best.push_back(it.get_weight());
            });
            std::vector<double> decoded_best;
            t.decoded_ms = median_ms(options.runs, [&] {
                TopWeights top(kFetched);
                t.matches = walk(decoded, top);
                decoded_best = top.best_first();
            });
            Xapian::Enquire count(db);
            count.set_query(q);
            count.set_weighting_scheme(Xapian::BoolWeight());
            const Xapian::doccount xapian_matches = count.get_mset(0, 0, db.get_doccount()).get_matches_lower_bound();
            if (xapian_matches != t.matches || !same_weights(xapian_best, decoded_best))
                throw Error("headroom: '" + line + "': the decoded lists found " + std::to_string(t.matches) +
                            " matches, Xapian " + std::to_string(xapian_matches) + ", or other best weights");
            if (postings) {
                const auto spec = searcher::tier_spec(db, terms, boost_terms, need, {}, k1);
                std::uint64_t own = 0;
                t.own_ms = median_ms(options.runs, [&] {
                    TopWeights top(kFetched);
                    own = 0;
                    for (const auto& part : parts) {
                        const auto matches = searcher::match_tier(spec, postings->for_shard(part), part);
                        own += matches.size();
                        for (const auto& m : matches) top.add(m.weight);
                    }
                });
                if (own != xapian_matches)
                    throw Error("headroom: '" + line + "': the archive's own lists found " + std::to_string(own) + " matches, Xapian " +
                                std::to_string(xapian_matches));
                report.own_ms += t.own_ms;
            }
            report.xapian_ms += t.xapian_ms;
            report.decoded_ms += t.decoded_ms;
            return t;
        };
        std::vector<std::string> read = words;
        for (const auto& w : words) decoded.words.push_back(decode(db, w, 1.0, k1));
        hq.all_words = tier(all.query, false, [](Decoded& d, TopWeights& top) { return d.all_words(top); }, words, words.size());
        // The all-but-one tier, when fewer than a page have every word (search()'s tier 2).
        const searcher::ParsedQuery any = qb.parse(line, Xapian::Query::OP_OR, true);
        const std::vector<std::string> any_words = searcher::plain_words(any.query, Xapian::Query::OP_OR);
        if (hq.all_words.matches < kPage && any_words.size() >= 3 && any_words.size() <= 8) {
            const Xapian::Query most =
                searcher::all_but_one(any.query, [&](const std::string& t) { return db.get_termfreq(t); });
            decoded.words.clear();
            for (const auto& w : any_words) {
                decoded.words.push_back(decode(db, w, 1.0, k1));
                if (std::find(read.begin(), read.end(), w) == read.end()) read.push_back(w);
            }
            hq.all_but_one = tier(most, true, [](Decoded& d, TopWeights& top) { return d.all_but_one(top); }, any_words, any_words.size() - 1);
        }
        for (const auto& t : read) hq.postings += db.get_termfreq(t);
        for (const auto& [term, scale] : boost_terms) hq.postings += db.get_termfreq(term);
        report.queries.push_back(std::move(hq));
    }
    return report;
}

std::string headroom_text(const HeadroomReport& r) {
    std::string out = "query                                   postings | all words: matches  Xapian ms  decoded ms"
                      " | all but one: matches  Xapian ms  decoded ms\n";
    char buf[512];
    std::size_t skipped = 0;
    for (const auto& q : r.queries) {
        if (!q.plain) {
            ++skipped;
            continue;
        }
        std::snprintf(buf, sizeof buf, "%-38.38s %9llu | %18llu %10.3f %11.3f", q.query.c_str(),
                      static_cast<unsigned long long>(q.postings), static_cast<unsigned long long>(q.all_words.matches),
                      q.all_words.xapian_ms, q.all_words.decoded_ms);
        out += buf;
        if (q.all_but_one.ran) {
            std::snprintf(buf, sizeof buf, " | %20llu %10.3f %11.3f", static_cast<unsigned long long>(q.all_but_one.matches),
                          q.all_but_one.xapian_ms, q.all_but_one.decoded_ms);
            out += buf;
        }
        out += '\n';
    }
    std::snprintf(buf, sizeof buf, "total: Xapian %.3f ms, decoded %.3f ms (%.2fx); %zu queries skipped (not only plain words)\n",
                  r.xapian_ms, r.decoded_ms, r.decoded_ms > 0 ? r.xapian_ms / r.decoded_ms : 0.0, skipped);
    out += buf;
    if (r.own_ms > 0)
        std::snprintf(buf, sizeof buf, "the archive's own lists (morgue.postings): %.3f ms (%.2fx less than Xapian)\n", r.own_ms,
                      r.xapian_ms / r.own_ms);
    else
        std::snprintf(buf, sizeof buf, "the archive has no postings files (morgue-index postings writes them)\n");
    out += buf;
    return out;
}

std::string headroom_json(const HeadroomReport& r) {
    auto tier = [](const HeadroomTier& t) {
        return nlohmann::json{{"ran", t.ran}, {"matches", t.matches}, {"xapian_ms", t.xapian_ms}, {"decoded_ms", t.decoded_ms},
                              {"own_ms", t.own_ms}};
    };
    nlohmann::json queries = nlohmann::json::array();
    for (const auto& q : r.queries)
        queries.push_back({{"query", q.query}, {"plain", q.plain}, {"postings", q.postings},
                           {"all_words", tier(q.all_words)}, {"all_but_one", tier(q.all_but_one)}});
    return nlohmann::json{{"queries", queries}, {"xapian_ms", r.xapian_ms}, {"decoded_ms", r.decoded_ms}, {"own_ms", r.own_ms}}.dump();
}

}  // namespace morgue::bench
