/** @file fast_tiers.cpp
 *  @brief A plain-word tier matched over Morgue's posting lists (fast_tiers.h).
 */
#include "searcher/fast_tiers.h"

#include "common/error.h"
#include "common/schema.h"

#include <algorithm>
#include <bit>
#include <span>
#include <cmath>
#include <limits>
#include <atomic>
#include <mutex>

namespace morgue::searcher {

std::shared_ptr<const PostingsSet> PostingsSet::open(const std::vector<std::pair<Xapian::Database, std::string>>& shards) {
    auto set = std::make_shared<PostingsSet>();
    for (const auto& [db, dir] : shards) {
        auto file = PostingsFile::open(std::filesystem::path(dir) / kPostingsFileName);
        if (file && file->fits(db)) set->m_files.emplace(file->uuid(), std::move(file));
    }
    if (set->m_files.empty()) return nullptr;
    return set;
}

const PostingsFile* PostingsSet::for_shard(const Xapian::Database& shard) const {
    try {
        const auto it = m_files.find(shard.get_uuid());
        return it != m_files.end() && it->second->fits(shard) ? it->second.get() : nullptr;
    } catch (const Xapian::Error&) {
        return nullptr;
    }
}

namespace {
std::atomic<std::uint64_t> g_runs{0};
}  // namespace

std::uint64_t fast_tier_runs() noexcept { return g_runs.load(std::memory_order_relaxed); }

double bm25_termweight(double documents, double termfreq, double factor, double k1) {
    double tw = (documents - termfreq + 0.5) / (termfreq + 0.5);
    if (tw < 2) tw = tw * 0.5 + 1;
    return std::log(tw) * factor * (k1 + 1);
}

namespace {

/// A term's list in one shard: the postings file's, or (a list too short for the file, or a
/// shard without one) Xapian's.
PostingsCursor cursor_for(const std::string& term, const PostingsFile* file, const Xapian::Database& shard) {
    if (file != nullptr)
        if (const auto list = file->find(term)) return PostingsCursor(*list);
    std::vector<Xapian::docid> docids;
    std::vector<Xapian::termcount> wdfs;
    for (auto p = shard.postlist_begin(term); p != shard.postlist_end(term); ++p) {
        docids.push_back(*p);
        wdfs.push_back(p.get_wdf());
    }
    if (file != nullptr && docids.size() >= file->min_postings() && postings_file_keeps(term))
        throw ArchiveError("postings file of shard " + shard.get_uuid() + ": no list for '" + term + "', which has " +
                           std::to_string(docids.size()) + " postings");
    return {std::move(docids), std::move(wdfs)};
}

/// Xapian's BM25 (b = 0) for one posting.
double weigh(double termweight, Xapian::termcount wdf, double k1) {
    const auto w = static_cast<double>(wdf);
    return termweight * (w / (k1 + w));
}

/// Feeds Xapian a tier's matches in one shard, computed when it opens the shard (init).
class TierSource : public Xapian::PostingSource {
  public:
    /// Matches by shard (UUID, revision, size), shared by the clones Xapian makes (one per shard and match).
    struct Shared {
        std::mutex lock;
        std::map<std::string, std::shared_ptr<const std::vector<TierMatch>>> by_shard;
    };

    TierSource(std::shared_ptr<const TierSpec> spec, std::shared_ptr<const PostingsSet> set, std::shared_ptr<Shared> shared)
        : m_spec(std::move(spec)), m_set(std::move(set)), m_shared(std::move(shared)) {}

    TierSource* clone() const override { return new TierSource(m_spec, m_set, m_shared); }

    void init(const Xapian::Database& db) override {
        const PostingsFile* file = m_set->for_shard(db);  // none: the shard's lists are read from Xapian
        // (Two shards of one UUID, revision and size are copies of one another.)
        const std::string uuid = db.get_uuid() + ':' + std::to_string(db.get_revision()) + ':' + std::to_string(db.get_doccount());
        {
            const std::lock_guard<std::mutex> hold(m_shared->lock);
            const auto it = m_shared->by_shard.find(uuid);
            if (it != m_shared->by_shard.end()) m_matches = it->second;
        }
        if (!m_matches) {
            m_matches = std::make_shared<const std::vector<TierMatch>>(match_tier(*m_spec, file, db));
            g_runs.fetch_add(1, std::memory_order_relaxed);
            const std::lock_guard<std::mutex> hold(m_shared->lock);
            m_shared->by_shard.emplace(uuid, m_matches);
        }
        double most = 0;
        for (const auto& m : *m_matches) most = std::max(most, m.weight);
        set_maxweight(most);
        m_at = 0;
        m_started = false;
    }

    Xapian::doccount get_termfreq_min() const override { return count(); }
    Xapian::doccount get_termfreq_est() const override { return count(); }
    Xapian::doccount get_termfreq_max() const override { return count(); }

    void next(double min_wt) override {
        if (m_started) ++m_at;
        m_started = true;
        const auto& v = *m_matches;
        while (m_at < v.size() && v[m_at].weight < min_wt) ++m_at;
    }
    void skip_to(Xapian::docid did, double min_wt) override {
        const auto& v = *m_matches;
        m_started = true;
        if (m_at < v.size() && v[m_at].docid < did)
            m_at = static_cast<std::size_t>(
                std::lower_bound(v.begin() + static_cast<std::ptrdiff_t>(m_at), v.end(), did,
                                 [](const TierMatch& m, Xapian::docid d) { return m.docid < d; }) -
                v.begin());
        while (m_at < v.size() && v[m_at].weight < min_wt) ++m_at;
    }
    bool at_end() const override { return m_started && m_at >= m_matches->size(); }
    Xapian::docid get_docid() const override { return (*m_matches)[m_at].docid; }
    double get_weight() const override { return (*m_matches)[m_at].weight; }
    std::string get_description() const override { return "morgue::TierSource"; }

  private:
    [[nodiscard]] Xapian::doccount count() const noexcept {
        return m_matches ? static_cast<Xapian::doccount>(m_matches->size()) : 0;
    }

    std::shared_ptr<const TierSpec> m_spec;
    std::shared_ptr<const PostingsSet> m_set;
    std::shared_ptr<Shared> m_shared;
    std::shared_ptr<const std::vector<TierMatch>> m_matches;
    std::size_t m_at = 0;
    bool m_started = false;
};

}  // namespace

TierSpec tier_spec(const Xapian::Database& db, const std::vector<std::string>& words,
                   const std::vector<std::pair<std::string, double>>& boosts, std::size_t need, std::vector<std::string> exclude,
                   double k1) {
    TierSpec spec;
    const auto documents = static_cast<double>(db.get_doccount());
    for (const auto& w : words) spec.words.push_back({w, bm25_termweight(documents, db.get_termfreq(w), 1.0, k1)});
    for (const auto& [term, scale] : boosts) spec.boosts.push_back({term, bm25_termweight(documents, db.get_termfreq(term), scale, k1)});
    spec.need = need;
    spec.exclude = std::move(exclude);
    spec.k1 = k1;
    return spec;
}

Xapian::Query tier_query(std::shared_ptr<const TierSpec> spec, std::shared_ptr<const PostingsSet> set) {
    auto* source = new TierSource(std::move(spec), std::move(set), std::make_shared<TierSource::Shared>());
    return Xapian::Query(source->release());
}

namespace {

/// A list more than this many times as long as the lists that drive a match is sought rather
/// than decoded whole.
constexpr std::size_t kDecodeRatio = 8;

/// Walks a decoded list beside ascending docids: moves `at` to the first posting at or after
/// `did` and says whether it is `did` (the posting's place is then `at`, for wdf_at).
bool step_to(std::span<const Xapian::docid> list, std::size_t& at, Xapian::docid did) noexcept {
    while (at < list.size() && list[at] < did) ++at;
    return at < list.size() && list[at] == did;
}

/// The boosts' weights added to the matches' (in docid order), in the boosts' order, after the
/// words' (the same sum for the same wdfs as Xapian's). A boost list no longer than kDecodeRatio
/// times the matches is decoded whole and walked beside them; a longer one is sought ("U.S.
/// elections apathy" at 1M: XPLACE:us, 251k postings, into the 2-of-3 tier's 10.8k matches).
void add_boosts(const TierSpec& spec, const PostingsFile* file, const Xapian::Database& shard, std::vector<TierMatch>& out) {
    thread_local std::vector<Xapian::docid> buffer;
    for (const auto& boost : spec.boosts) {
        PostingsCursor list = cursor_for(boost.term, file, shard);
        if (list.size() > kDecodeRatio * out.size()) {
            for (auto& m : out)
                if (list.seek(m.docid)) m.weight += weigh(boost.termweight, list.wdf(), spec.k1);
            continue;
        }
        const std::span<const Xapian::docid> l = list.all_docids(buffer);
        std::size_t j = 0;
        for (auto& m : out)
            if (step_to(l, j, m.docid)) m.weight += weigh(boost.termweight, list.wdf_at(static_cast<std::uint32_t>(j), m.docid), spec.k1);
    }
}

/// A tier's matches, weighed by their words alone.
std::vector<TierMatch> match_words(const TierSpec& spec, const PostingsFile* file, const Xapian::Database& shard) {
    std::vector<TierMatch> out;
    const std::size_t n = spec.words.size();
    if (n == 0 || spec.need == 0 || spec.need > n) return out;
    std::vector<PostingsCursor> words;
    words.reserve(n);
    for (const auto& w : spec.words) words.push_back(cursor_for(w.term, file, shard));
    std::vector<PostingsCursor> exclude;
    for (const auto& e : spec.exclude) exclude.push_back(cursor_for(e, file, shard));
    // Rarest first: an article with `need` of the words has at least one of the n - need + 1
    // rarest, whose union drives; the others are sought.
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return words[a].size() < words[b].size(); });
    const std::size_t drivers = n - spec.need + 1;
    // Every word, where each list but the rarest is long beside it (one a decoded list's
    // walk would cost more than its seeks): the rarest leads, each other is sought; where one
    // has nothing at the lead's docid, the lead skips to where that one stands (leapfrog).
    const auto long_beside = [&](std::size_t k) { return words[order[k]].size() > kDecodeRatio * words[order[0]].size(); };
    if (drivers == 1 && exclude.empty() && n > 1 && long_beside(1)) {
        PostingsCursor& lead = words[order[0]];
        while (!lead.at_end()) {
            const Xapian::docid did = lead.docid();
            Xapian::docid next = 0;
            for (std::size_t k = 1; k < n; ++k) {
                PostingsCursor& c = words[order[k]];
                if (c.seek(did)) continue;
                next = c.at_end() ? std::numeric_limits<Xapian::docid>::max() : c.docid();
                break;
            }
            if (next == std::numeric_limits<Xapian::docid>::max()) break;
            if (next != 0) {
                lead.seek(next);
                continue;
            }
            if (file != nullptr) file->prefetch_length(did);
            // (Each word's weight added in the query's order of words: the same sum for the same
            // wdfs as Xapian's, in every path.)
            double weight = 0;
            for (std::size_t i = 0; i < n; ++i) weight += weigh(spec.words[i].termweight, words[i].wdf(), spec.k1);
            out.push_back({did, weight});
            lead.next();
        }
        return out;
    }
    // The rest. Candidate by candidate with seeks, a list about as long as the drivers' union
    // cost ~30 ns a candidate ("commercial cyanide uses", 2 of 3 at 1M: 1.55 ms). So each list no
    // longer than kDecodeRatio times the drivers together is decoded whole and counted into a
    // table by docid; a driver's article counted often enough (the longer lists taken as holding
    // it) is a candidate (0.94 ms; "export controls cryptography" 1.64 -> 1.06 ms).
    thread_local std::vector<std::vector<Xapian::docid>> buffers;
    thread_local std::vector<std::uint8_t> counts;
    if (buffers.size() < n) buffers.resize(n);
    std::vector<std::span<const Xapian::docid>> lists(n);
    std::vector<bool> decoded(n, false);
    std::size_t driven = 0;
    for (std::size_t k = 0; k < drivers; ++k) driven += words[order[k]].size();
    Xapian::docid last = 0;
    std::size_t sought = 0;  // lists left to seeks, taken as holding every driver's article
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = order[k];
        if (k >= drivers && words[i].size() > kDecodeRatio * driven) {
            ++sought;
            continue;
        }
        decoded[i] = true;
        lists[i] = words[i].all_docids(buffers[i]);
        if (!lists[i].empty()) last = std::max(last, lists[i].back());
    }
    thread_local std::vector<Xapian::docid> candidates;
    candidates.clear();
    if (sought + 1 >= spec.need) {
        // The lists left to seeks may hold all a driver's article lacks: every one is a
        // candidate, and the drivers' union is all the table would give (the usual all-but-one
        // tier of three words, with one long list).
        thread_local std::vector<Xapian::docid> merged;
        candidates.assign(lists[order[0]].begin(), lists[order[0]].end());
        for (std::size_t k = 1; k < drivers; ++k) {
            const std::span<const Xapian::docid> l = lists[order[k]];
            merged.resize(candidates.size() + l.size());
            merged.resize(static_cast<std::size_t>(
                std::set_union(candidates.begin(), candidates.end(), l.begin(), l.end(), merged.begin()) - merged.begin()));
            candidates.swap(merged);
        }
    } else {
        if (counts.size() <= last) counts.resize(std::size_t{last} + 1, 0);
        // (Bounds checked: a damaged file's lists need not be in order, so the last is not the
        // largest. The table's bounds are held in locals: the compiler would reload a
        // thread_local's at every store.)
        std::uint8_t* const table = counts.data();
        const std::size_t size = counts.size();
        for (std::size_t i = 0; i < n; ++i)
            for (const Xapian::docid did : lists[i])
                if (did < size) table[did] = static_cast<std::uint8_t>(table[did] + 1);
        for (std::size_t k = 0; k < drivers; ++k) {
            const std::size_t before = candidates.size();
            for (const Xapian::docid did : lists[order[k]])
                if (did < size && table[did] + sought >= spec.need) {
                    candidates.push_back(did);
                    table[did] = 0;  // once, though several drivers hold it
                }
            std::inplace_merge(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(before), candidates.end());
        }
        for (std::size_t i = 0; i < n; ++i)
            for (const Xapian::docid did : lists[i])
                if (did < size) table[did] = 0;
    }
    if (drivers > 1 || !exclude.empty()) {
        // Some of the words, or words less the articles holding all of the excluded ones: each
        // candidate is looked up in every list, checked against the excluded terms, and weighed,
        // in one pass. (Two passes, which words hold each candidate and then the weights, were
        // faster in a match_tier alone but slower in whole searches.) Excluded terms that are
        // words of the tier (the all-but-one tier leaves out the articles with every word) are
        // read from which words hold the candidate, not sought again.
        std::uint64_t excluded_words = 0;  // the words among the excluded terms
        std::vector<PostingsCursor*> other;  // the excluded terms that are not words
        for (std::size_t e = 0; e < exclude.size(); ++e) {
            const auto w = std::find_if(spec.words.begin(), spec.words.end(), [&](const TierSpec::Term& t) { return t.term == spec.exclude[e]; });
            if (w == spec.words.end()) other.push_back(&exclude[e]);
            else excluded_words |= std::uint64_t{1} << static_cast<std::size_t>(w - spec.words.begin());
        }
        // A list the candidates are dense in (up to kWalkRatio postings a candidate) is decoded
        // whole and walked beside them, a posting at a time, instead of sought for each: a seek
        // costs ~30 ns, a step ~1 ("U.S. elections apathy": "us", 357k postings, for 31k
        // candidates).
        constexpr std::size_t kWalkRatio = 16;
        std::vector<bool> walks = decoded;
        std::vector<std::size_t> at(n, 0);
        for (std::size_t i = 0; i < n; ++i)
            if (!decoded[i] && words[i].size() <= kWalkRatio * candidates.size()) {
                lists[i] = words[i].all_docids(buffers[i]);
                walks[i] = true;
            }
        for (const Xapian::docid did : candidates) {
            if (file != nullptr) file->prefetch_length(did);
            std::uint64_t holds = 0;
            std::size_t held = 0;
            for (std::size_t i = 0; i < n; ++i) {
                if (walks[i] ? step_to(lists[i], at[i], did) : words[i].seek(did)) {
                    holds |= std::uint64_t{1} << i;
                    ++held;
                }
            }
            if (held < spec.need) continue;
            if (!exclude.empty() && (holds & excluded_words) == excluded_words &&
                std::all_of(other.begin(), other.end(), [&](PostingsCursor* c) { return c->seek(did); }))
                continue;
            double weight = 0;
            for (std::size_t i = 0; i < n; ++i) {
                if (((holds >> i) & 1) == 0) continue;
                const Xapian::termcount wdf = walks[i] ? words[i].wdf_at(static_cast<std::uint32_t>(at[i]), did) : words[i].wdf();
                weight += weigh(spec.words[i].termweight, wdf, spec.k1);
            }
            out.push_back({did, weight});
        }
        return out;
    }
    // Every word (lists of like lengths): the candidates are those every decoded list holds,
    // then those every list left to seeks holds (the wdf of each kept for the weighing). Where
    // the leapfrog sought each decoded list too ("world court" at 1M, 42k and 93k postings:
    // match_tier 0.90 -> 0.64 ms; whole searches -15 to -20%).
    thread_local std::vector<std::vector<Xapian::termcount>> sought_wdfs;
    if (sought_wdfs.size() < n) sought_wdfs.resize(n);
    std::size_t kept = 0;
    for (std::size_t i = 0; i < n && sought > 0; ++i) {
        if (decoded[i]) continue;
        sought_wdfs[i].resize(candidates.size());
        kept = 0;
        for (std::size_t c = 0; c < candidates.size(); ++c) {
            if (!words[i].seek(candidates[c])) continue;
            for (std::size_t p = 0; p < i; ++p)
                if (!decoded[p]) sought_wdfs[p][kept] = sought_wdfs[p][c];
            sought_wdfs[i][kept] = words[i].wdf();
            candidates[kept++] = candidates[c];
        }
        candidates.resize(kept);
    }
    // Weighed in a second pass over the matches alone, each decoded list walked beside them
    // (each posting read once), each word's weight added in the query's order of words (the
    // same sum for the same wdfs as Xapian's).
    // (The matches' lengths, which their wdfs are read with, asked of the memory first: read
    // at random, each is a cache miss.)
    if (file != nullptr)
        for (const Xapian::docid did : candidates) file->prefetch_length(did);
    thread_local std::vector<double> weights;
    weights.assign(candidates.size(), 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        const double tw = spec.words[i].termweight;
        if (!decoded[i]) {
            for (std::size_t m = 0; m < candidates.size(); ++m) weights[m] += weigh(tw, sought_wdfs[i][m], spec.k1);
            continue;
        }
        std::size_t j = 0;
        for (std::size_t m = 0; m < candidates.size(); ++m) {
            if (!step_to(lists[i], j, candidates[m])) throw ArchiveError("postings file: a list is out of order (the file is damaged)");
            weights[m] += weigh(tw, words[i].wdf_at(static_cast<std::uint32_t>(j), candidates[m]), spec.k1);
        }
    }
    out.reserve(candidates.size());
    for (std::size_t m = 0; m < candidates.size(); ++m) out.push_back({candidates[m], weights[m]});
    return out;
}

}  // namespace

std::vector<TierMatch> match_tier(const TierSpec& spec, const PostingsFile* file, const Xapian::Database& shard) {
    std::vector<TierMatch> out = match_words(spec, file, shard);
    add_boosts(spec, file, shard, out);
    return out;
}

std::vector<std::string> plain_words(const Xapian::Query& q, Xapian::Query::op op) {
    std::vector<std::string> out;
    auto leaf = [&](const Xapian::Query& sub) {
        if (sub.get_type() != Xapian::Query::LEAF_TERM) return false;
        const std::string t = *sub.get_unique_terms_begin();
        if (!schema::is_plain_word_term(t) || std::find(out.begin(), out.end(), t) != out.end()) return false;
        out.push_back(t);
        return true;
    };
    // (Nested alike, as QueryParser groups "Czech, Slovak sovereignty": czech AND (slovak AND
    // sovereignty), the same words and weights.)
    auto all = [&](const Xapian::Query& sub, auto&& self) -> bool {
        if (sub.get_type() == Xapian::Query::LEAF_TERM) return leaf(sub);
        if (sub.get_type() != op) return false;
        for (std::size_t i = 0; i < sub.get_num_subqueries(); ++i)
            if (!self(sub.get_subquery(i), self)) return false;
        return true;
    };
    if (!all(q, all)) return {};
    return out;
}

}  // namespace morgue::searcher
