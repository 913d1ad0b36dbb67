/** @file clusters.cpp
 *  @brief Exchange clustering of words for a class bigram model.
 *
 *  The objective, for class bigram counts N(c,d) and class counts as left/right context, is
 *    F = sum_{c,d} f(N(c,d)) - sum_c f(N_left(c)) - sum_d f(N_right(d)),  f(x) = x log x,
 *  which is the class bigram log-likelihood up to a constant. Moving word w needs only the class counts of
 *  its successors and predecessors, so one pass costs about vocabulary x classes x neighbour classes.
 */
#include "indexer/ner/clusters.h"

#include <algorithm>
#include <cmath>
#include <ostream>
#include <unordered_map>

#include "indexer/ner/features.h"

namespace morgue::ner {
namespace {

class XLogX {
public:
    XLogX() : m_table(1 << 16) {
        for (std::size_t i = 1; i < m_table.size(); ++i) m_table[i] = static_cast<double>(i) * std::log(static_cast<double>(i));
    }
    double operator()(std::int64_t x) const {
        if (x <= 0) return 0.0;
        if (x < static_cast<std::int64_t>(m_table.size())) return m_table[static_cast<std::size_t>(x)];
        return static_cast<double>(x) * std::log(static_cast<double>(x));
    }

private:
    std::vector<double> m_table;
};

struct Neighbour {
    std::uint32_t word;
    std::uint32_t count;
};

/// Word bigram statistics over ids 0..V-1 (V = "other" for out-of-vocabulary and sentence ends).
struct Bigrams {
    std::size_t vocab = 0;
    std::vector<std::vector<Neighbour>> next, prev;
    std::vector<std::int64_t> count;  // occurrences as left context (== right context up to edges)
    std::vector<std::int64_t> self;   // N(w, w)
};

std::vector<int> exchange(const Bigrams& bg, int k, int iterations, std::ostream* log) {
    const std::size_t V = bg.vocab;
    const std::size_t K = static_cast<std::size_t>(k) + 1;  // class k is the fixed "other" class
    const XLogX f;
    std::vector<int> cls(V + 1);
    for (std::size_t w = 0; w < V; ++w) cls[w] = static_cast<int>(w % static_cast<std::size_t>(k));
    cls[V] = k;
    std::vector<std::int64_t> n(K * K, 0), left(K, 0), right(K, 0);
    for (std::size_t w = 0; w <= V; ++w) {
        for (const Neighbour& nb : bg.next[w]) {
            n[cls[w] * K + cls[nb.word]] += nb.count;
            left[cls[w]] += nb.count;
            right[cls[nb.word]] += nb.count;
        }
    }
    std::vector<std::int64_t> r(K), l(K);
    std::vector<std::uint32_t> r_nz, l_nz;
    for (int it = 0; it < iterations; ++it) {
        std::size_t moved = 0;
        for (std::size_t w = 0; w < V; ++w) {
            const int a = cls[w];
            // Class counts of w's neighbours, w itself excluded (its self-bigrams are kept apart).
            r_nz.clear();
            l_nz.clear();
            std::int64_t out_total = 0, in_total = 0;
            for (const Neighbour& nb : bg.next[w]) {
                out_total += nb.count;
                if (nb.word == w) continue;
                const int d = cls[nb.word];
                if (r[d] == 0) r_nz.push_back(static_cast<std::uint32_t>(d));
                r[d] += nb.count;
            }
            for (const Neighbour& nb : bg.prev[w]) {
                in_total += nb.count;
                if (nb.word == w) continue;
                const int c = cls[nb.word];
                if (l[c] == 0) l_nz.push_back(static_cast<std::uint32_t>(c));
                l[c] += nb.count;
            }
            const std::int64_t ww = bg.self[w];
            // Remove w from class a.
            for (std::uint32_t d : r_nz) n[a * K + d] -= r[d];
            for (std::uint32_t c : l_nz) n[c * K + a] -= l[c];
            n[a * K + a] -= ww;
            left[a] -= out_total;
            right[a] -= in_total;
            // Best class to put it in.
            int best = a;
            double best_gain = -1e300;
            for (int b = 0; b < k; ++b) {
                double gain = 0;
                for (std::uint32_t d : r_nz) {
                    if (static_cast<int>(d) == b) continue;
                    gain += f(n[b * K + d] + r[d]) - f(n[b * K + d]);
                }
                for (std::uint32_t c : l_nz) {
                    if (static_cast<int>(c) == b) continue;
                    gain += f(n[c * K + b] + l[c]) - f(n[c * K + b]);
                }
                const std::int64_t bb = n[b * K + b];
                gain += f(bb + r[b] + l[b] + ww) - f(bb);
                gain -= f(left[b] + out_total) - f(left[b]);
                gain -= f(right[b] + in_total) - f(right[b]);
                if (gain > best_gain + 1e-9) {
                    best_gain = gain;
                    best = b;
                }
            }
            for (std::uint32_t d : r_nz) n[best * K + d] += r[d];
            for (std::uint32_t c : l_nz) n[c * K + best] += l[c];
            n[best * K + best] += ww;
            left[best] += out_total;
            right[best] += in_total;
            if (best != a) ++moved;
            cls[w] = best;
            for (std::uint32_t d : r_nz) r[d] = 0;
            for (std::uint32_t c : l_nz) l[c] = 0;
        }
        if (log) *log << "  exchange k=" << k << " pass " << it + 1 << ": " << moved << " words moved" << std::endl;
        if (moved * 200 < V) break;
    }
    cls.resize(V);
    return cls;
}

}  // namespace

std::vector<std::pair<std::uint64_t, std::uint32_t>> learn_clusters(const std::vector<std::vector<std::string>>& sentences,
                                                                    const ClusterOptions& opt, std::ostream* log) {
    // Vocabulary: most frequent lower-cased words, ties broken by spelling for determinism.
    std::unordered_map<std::string, std::int64_t> freq;
    for (const auto& s : sentences)
        for (const std::string& w : s) ++freq[ascii_lower(w)];
    std::vector<std::pair<std::string, std::int64_t>> words;
    for (auto& [w, c] : freq)
        if (c >= opt.min_count) words.emplace_back(w, c);
    std::sort(words.begin(), words.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    if (words.size() > opt.vocabulary) words.resize(opt.vocabulary);
    std::unordered_map<std::string, std::uint32_t> id;
    for (std::size_t i = 0; i < words.size(); ++i) id.emplace(words[i].first, static_cast<std::uint32_t>(i));
    freq.clear();

    Bigrams bg;
    bg.vocab = words.size();
    const auto other = static_cast<std::uint32_t>(bg.vocab);
    std::vector<std::unordered_map<std::uint32_t, std::uint32_t>> next(bg.vocab + 1);
    for (const auto& s : sentences) {
        std::uint32_t prev = other;
        for (std::size_t i = 0; i <= s.size(); ++i) {
            std::uint32_t cur = other;
            if (i < s.size()) {
                const auto it = id.find(ascii_lower(s[i]));
                if (it != id.end()) cur = it->second;
            }
            ++next[prev][cur];
            prev = cur;
        }
    }
    bg.next.resize(bg.vocab + 1);
    bg.prev.resize(bg.vocab + 1);
    bg.self.assign(bg.vocab + 1, 0);
    for (std::uint32_t w = 0; w <= other; ++w) {
        std::vector<Neighbour> row;
        for (const auto& [v, c] : next[w]) row.push_back(Neighbour{v, c});
        std::sort(row.begin(), row.end(), [](const Neighbour& a, const Neighbour& b) { return a.word < b.word; });
        for (const Neighbour& nb : row) {
            bg.prev[nb.word].push_back(Neighbour{w, nb.count});
            if (nb.word == w) bg.self[w] = nb.count;
        }
        bg.next[w] = std::move(row);
        next[w] = {};
    }

    const std::vector<int> coarse = exchange(bg, opt.coarse, opt.iterations, log);
    const std::vector<int> fine = exchange(bg, opt.fine, opt.iterations, log);
    std::vector<std::pair<std::uint64_t, std::uint32_t>> out;
    out.reserve(words.size());
    for (std::size_t w = 0; w < words.size(); ++w) out.emplace_back(hash_bytes(words[w].first), pack_clusters(coarse[w], fine[w]));
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace morgue::ner
