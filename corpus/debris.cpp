/** @file debris.cpp
 *  @brief Per-source paragraph counts and the debris decision.
 */
#include "corpus/debris.h"

#include "common/schema.h"
#include "common/text.h"
#include "corpus/clean.h"

#include <algorithm>
#include <cmath>

namespace morgue::corpus {

std::uint64_t DebrisModel::paragraph_hash(std::string_view paragraph) {
    return text::hash64(text::to_lower(paragraph));
}

std::string DebrisModel::source_key(const Article& a) {
    if (!a.source.empty()) return schema::boolean_key(a.source);
    return schema::url_host(a.url);
}

void DebrisModel::learn(const Article& a) {
    SourceStats& s = m_sources[source_key(a)];
    ++s.articles;
    std::unordered_set<std::uint64_t> seen;
    for (const auto& p : paragraphs(a.body)) {
        if (p.size() > kMaxLineBytes) continue;
        const std::uint64_t h = paragraph_hash(p);
        if (!seen.insert(h).second) continue;
        const std::uint32_t n = ++s.counts[h];
        if (n == m_options.min_repeats) s.samples.emplace(h, p);
    }
}

void DebrisModel::merge(DebrisModel&& part) {
    for (auto& [key, theirs] : part.m_sources) {
        SourceStats& ours = m_sources[key];
        ours.articles += theirs.articles;
        if (ours.counts.empty()) {
            ours.counts = std::move(theirs.counts);
        } else {
            for (const auto& [h, n] : theirs.counts) ours.counts[h] += n;
        }
        for (auto& [h, text] : theirs.samples) ours.samples.emplace(h, std::move(text));
    }
    part.m_sources.clear();
}

void DebrisModel::finish() {
    for (auto& [key, s] : m_sources) {
        if (s.articles < m_options.min_articles) {
            s.counts.clear();
            s.samples.clear();
            continue;
        }
        const auto share = static_cast<std::size_t>(std::ceil(m_options.min_share * static_cast<double>(s.articles)));
        const std::size_t need = std::max(m_options.min_repeats, share);
        for (const auto& [h, n] : s.counts)
            if (n >= need) s.debris.insert(h);
        s.counts.clear();  // only the decision is needed from here on
        for (auto it = s.samples.begin(); it != s.samples.end();) {
            it = s.debris.count(it->first) ? std::next(it) : s.samples.erase(it);
        }
    }
}

std::size_t DebrisModel::apply(Article& a) const {
    if (a.body.empty()) return 0;
    const auto it = m_sources.find(source_key(a));
    if (it == m_sources.end() || it->second.debris.empty()) return 0;
    std::vector<std::string> kept;
    std::size_t removed = 0;
    for (auto& p : paragraphs(a.body)) {
        if (p.size() <= kMaxLineBytes && it->second.debris.count(paragraph_hash(p))) {
            ++removed;
            continue;
        }
        kept.push_back(std::move(p));
    }
    if (removed) a.body = join_paragraphs(kept);
    return removed;
}

std::vector<std::string> DebrisModel::debris_of(const std::string& source) const {
    std::vector<std::string> out;
    const auto it = m_sources.find(source);
    if (it == m_sources.end()) return out;
    for (const auto& [h, text] : it->second.samples) out.push_back(text);
    std::sort(out.begin(), out.end());
    return out;
}

std::size_t DebrisModel::debris_count() const noexcept {
    std::size_t n = 0;
    for (const auto& [key, s] : m_sources) n += s.debris.size();
    return n;
}

}  // namespace morgue::corpus
