/** @file features.cpp
 *  @brief Feature templates of the NER tagger, truecasing and constrained Viterbi decoding.
 */
#include "indexer/ner/features.h"

#include <algorithm>
#include <limits>

namespace morgue::ner {
namespace {

constexpr std::uint64_t k_fnv_offset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t k_fnv_prime = 0x100000001b3ULL;

inline std::uint64_t mix64(std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

inline std::uint64_t fnv_extend(std::uint64_t h, std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * k_fnv_prime;
    return h;
}

// Sentinels for positions outside the sentence.
constexpr std::uint64_t k_bos = 0x5151'0000'0000'0001ULL;
constexpr std::uint64_t k_eos = 0x5151'0000'0000'0002ULL;

// Feature template ids. Append only: changing a number changes every trained model.
enum Template : std::uint64_t {
    t_bias = 1, t_word, t_lower, t_shape, t_short_shape, t_prefix, t_suffix = t_prefix + 8,
    t_lower_m1 = t_suffix + 8, t_lower_m2, t_lower_p1, t_lower_p2, t_bigram_m1, t_bigram_p1,
    t_shape_m1, t_shape_p1, t_shape3, t_initial, t_capclass, t_kind, t_hist, t_hist_m1, t_hist_p1,
    t_gaz, t_gaz_m1, t_gaz_p1, t_cluster, t_cluster_m1 = t_cluster + 8, t_cluster_p1, t_word_m1, t_word_p1,
    t_freq, t_acronym, t_len, t_hist_shape, t_stack_tag, t_stack_tag_m1, t_stack_tag_p1, t_stack_doc,
    t_stack_doc_shape, t_stack_doc_m1, t_stack_doc_p1, t_stack_tags3,
};

inline std::uint64_t feat(std::uint64_t tid, std::uint64_t a) { return mix64(a + tid * 0x9E3779B97F4A7C15ULL); }
inline std::uint64_t feat(std::uint64_t tid, std::uint64_t a, std::uint64_t b) {
    return mix64(feat(tid, a) ^ (b * 0xC2B2AE3D27D4EB4FULL));
}
inline std::uint64_t feat(std::uint64_t tid, std::uint64_t a, std::uint64_t b, std::uint64_t c) {
    return mix64(feat(tid, a, b) + c * 0x165667B19E3779F9ULL);
}

inline bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

int letters(std::string_view w, int& upper, int& lower) {
    upper = lower = 0;
    for (char c : w) {
        if (is_upper(c)) ++upper;
        else if (is_lower(c)) ++lower;
    }
    return upper + lower;
}

void shapes(std::string_view w, std::uint64_t& full, std::uint64_t& short_form) {
    char buf[16];
    std::size_t n = 0;
    char sbuf[16];
    std::size_t sn = 0;
    for (char c : w) {
        char k;
        if (is_upper(c)) k = 'X';
        else if (is_lower(c)) k = 'x';
        else if (is_digit(c)) k = 'd';
        else if (static_cast<unsigned char>(c) >= 0x80) k = 'u';
        else k = c;
        if (n < sizeof buf) buf[n++] = k;
        if (sn == 0 || sbuf[sn - 1] != k) {
            if (sn < sizeof sbuf) sbuf[sn++] = k;
        }
    }
    full = hash_bytes(std::string_view(buf, n)) + (w.size() > sizeof buf ? 7 : 0);
    short_form = hash_bytes(std::string_view(sbuf, sn));
}

/// Fills rows and offsets with each token's rows, appended by emit(i, rows): token i's rows are
/// rows[offsets[i], offsets[i + 1]).
template <class Emit>
void rows_per_token(std::size_t n, std::vector<std::uint32_t>& rows, std::vector<std::uint32_t>& offsets, Emit emit) {
    rows.clear();
    offsets.resize(n + 1);
    for (std::size_t i = 0; i < n; ++i) {
        offsets[i] = static_cast<std::uint32_t>(rows.size());
        emit(i, rows);
    }
    offsets[n] = static_cast<std::uint32_t>(rows.size());
}

}  // namespace

std::uint64_t hash_bytes(std::string_view s) { return mix64(fnv_extend(k_fnv_offset, s)); }

std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (is_upper(c)) c = static_cast<char>(c + 32);
    return out;
}

void DocHistory::record(std::span<const std::uint64_t> keys, std::span<const std::uint8_t> capitalised,
                        std::span<const Tag> tags) {
    for (std::size_t i = 0; i < tags.size(); ++i) {
        if (tags[i] == k_tag_outside || !capitalised[i]) continue;
        auto& counts = m_counts[keys[i]];
        auto& c = counts[static_cast<int>(tag_type(tags[i]))];
        if (c < std::numeric_limits<std::uint16_t>::max()) ++c;
    }
}

const std::array<std::uint16_t, k_num_types>* DocHistory::find(std::uint64_t key) const {
    const auto it = m_counts.find(key);
    return it == m_counts.end() ? nullptr : &it->second;
}

void FeatureExtractor::truecase(std::span<const std::string_view> words, SentenceKind kind,
                                std::vector<std::string>& forms) const {
    const std::size_t n = words.size();
    forms.resize(n);
    for (std::size_t i = 0; i < n; ++i) forms[i].assign(words[i]);

    int alpha_tokens = 0, caps_tokens = 0, title_tokens = 0;
    for (std::string_view w : words) {
        int up = 0, lo = 0;
        if (letters(w, up, lo) == 0) continue;
        ++alpha_tokens;
        if (lo == 0 && up >= 2) ++caps_tokens;
        if (is_upper(w[0]) && lo > 0) ++title_tokens;
    }
    if (alpha_tokens == 0) return;
    const bool all_caps = caps_tokens >= 1 && caps_tokens * 10 >= alpha_tokens * 6;
    const bool title_case = kind == SentenceKind::Headline && !all_caps && alpha_tokens >= 3 &&
                            title_tokens * 10 >= alpha_tokens * 6;
    if (!all_caps && !title_case) return;

    for (std::size_t i = 0; i < n; ++i) {
        std::string& f = forms[i];
        int up = 0, lo = 0;
        if (letters(f, up, lo) == 0) continue;
        const std::string lower = ascii_lower(f);
        const std::uint8_t* lex = m_res.lexicon.find(hash_bytes(lower));
        if (all_caps) {
            if (lo != 0 || !lex || (*lex & lexicon_bits::k_acronym)) continue;
            const int cap = *lex & lexicon_bits::k_cap_mask;
            if (cap >= 3) {
                f = lower;
                for (std::size_t k = 0; k < f.size(); ++k)
                    if (k == 0 || f[k - 1] == '-' || f[k - 1] == '.') f[k] = static_cast<char>(f[k] & ~0x20);
            } else if (cap >= 1) {
                f = lower;
            }
        } else if (i > 0 && up == 1 && is_upper(f[0]) && lex) {
            const int cap = *lex & lexicon_bits::k_cap_mask;
            if (cap >= 1 && cap <= 2) f = lower;
        }
    }
}

void FeatureExtractor::describe_form(std::string_view f, std::string_view lower, SentenceFeatures::Info& in) const {
    in.word = hash_bytes(f);
    in.lower = hash_bytes(lower);
    shapes(f, in.shape, in.short_shape);
    in.len = static_cast<std::uint8_t>(std::min<std::size_t>(f.size(), 255));
    for (std::size_t k = 0; k < 4; ++k) {
        const bool ok = lower.size() > k + 1;
        in.prefix[k] = ok ? hash_bytes(lower.substr(0, k + 1)) : 0;
        in.suffix[k] = ok ? hash_bytes(lower.substr(lower.size() - k - 1)) : 0;
    }
    const std::uint8_t* lex = m_res.lexicon.find(in.lower);
    in.lex = lex ? *lex : 0;
    const std::uint32_t* cl = m_res.clusters.find(in.lower);
    in.cluster = cl ? *cl : 0;
    in.gaz = 0;
}

void FeatureExtractor::form_rows(const SentenceFeatures::Info& in, bool capitalised,
                                 std::vector<std::uint32_t>& rows) const {
    auto add = [&](std::uint64_t h) { rows.push_back(row_of(h)); };
    add(feat(t_bias, 0));
    add(feat(t_word, in.word));
    add(feat(t_lower, in.lower));
    add(feat(t_shape, in.shape));
    add(feat(t_short_shape, in.short_shape));
    for (std::uint64_t k = 0; k < 4; ++k) {
        if (in.prefix[k]) add(feat(t_prefix + k, in.prefix[k]));
        if (in.suffix[k]) add(feat(t_suffix + k, in.suffix[k]));
    }
    add(feat(t_freq, in.lex >> lexicon_bits::k_freq_shift, capitalised));
    add(feat(t_acronym, (in.lex & lexicon_bits::k_acronym) != 0, in.short_shape));
    add(feat(t_len, std::min<std::uint64_t>(in.len, 12), capitalised));
    if (in.cluster) {
        add(feat(t_cluster, in.cluster & 0xFF));
        add(feat(t_cluster + 1, in.cluster >> 8));
    } else {
        add(feat(t_cluster + 5, 0));
    }
}

void FeatureExtractor::prepare(std::span<const std::string_view> words, SentenceKind kind, SentenceFeatures& out,
                               const MemoUse* memo) const {
    const std::size_t n = words.size();
    truecase(words, kind, out.forms);
    bool truecased = false;
    for (std::size_t i = 0; i < n && !truecased; ++i) truecased = out.forms[i] != words[i];
    out.kind_code = static_cast<std::uint64_t>(kind) * 2 + (truecased ? 1 : 0);

    out.infos.resize(n);
    out.keys.resize(n);
    out.capitalised.resize(n);
    out.lowers.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::string& f = out.forms[i];
        std::string& lower = out.lowers[i];
        lower.assign(f);
        for (char& c : lower)
            if (is_upper(c)) c = static_cast<char>(c + 32);
        out.capitalised[i] = !f.empty() && is_upper(f[0]);
    }
    if (memo) {
        // Each memo slot is a cache miss too: all of the sentence's are fetched first.
        for (auto& sums : out.form_sums) sums.resize(n);
        out.hashes.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            out.hashes[i] = hash_bytes(out.forms[i]);
            __builtin_prefetch(&memo->memo->slot(out.hashes[i]));
        }
        std::vector<std::uint32_t>& own_rows = out.rows;  // scratch until the features are emitted
        for (std::size_t i = 0; i < n; ++i) {
            auto& in = out.infos[i];
            FormMemo::Entry& e = memo->memo->slot(out.hashes[i]);
            if (!e.used || e.word != out.hashes[i]) {
                describe_form(out.forms[i], out.lowers[i], in);
                e.word = in.word;
                e.lower = in.lower;
                e.short_shape = in.short_shape;
                e.cluster = in.cluster;
                e.lex = in.lex;
                e.used = true;
                own_rows.clear();
                form_rows(in, out.capitalised[i], own_rows);
                for (std::size_t st = 0; st < 2; ++st) {
                    auto& sum = e.sums[st];
                    sum.fill(0);
                    if (!memo->weights[st]) continue;
                    for (const std::uint32_t r : own_rows)
                        for (int t = 0; t < k_num_tags; ++t) sum[t] += memo->weights[st][r + t];
                }
            } else {
                in = SentenceFeatures::Info{};
                in.word = e.word;
                in.lower = e.lower;
                in.short_shape = e.short_shape;
                in.cluster = e.cluster;
                in.lex = e.lex;
            }
            for (std::size_t st = 0; st < 2; ++st) out.form_sums[st][i] = e.sums[st];
            out.keys[i] = in.lower;
        }
    } else {
        for (std::size_t i = 0; i < n; ++i) {
            describe_form(out.forms[i], out.lowers[i], out.infos[i]);
            out.keys[i] = out.infos[i].lower;
        }
    }
    // Gazetteer: longest match per type starting at each capitalised token.
    if (m_res.gazetteer_max_len > 0) {
        for (std::size_t i = 0; i < n; ++i) {
            if (!out.capitalised[i]) continue;
            std::uint64_t state = k_fnv_offset;
            std::array<std::size_t, k_num_types> best{};
            for (std::size_t len = 1; len <= m_res.gazetteer_max_len && i + len <= n; ++len) {
                if (len > 1) state = fnv_extend(state, " ");
                state = fnv_extend(state, out.lowers[i + len - 1]);
                if (const std::uint8_t* mask = m_res.gazetteer.find(mix64(state))) {
                    for (int t = 0; t < k_num_types; ++t)
                        if (*mask & (1u << t)) best[t] = len;
                }
            }
            for (int t = 0; t < k_num_types; ++t) {
                const std::size_t len = best[t];
                if (len == 0) continue;
                if (len == 1) {
                    out.infos[i].gaz |= static_cast<std::uint16_t>(1u << (t * 3));
                } else {
                    out.infos[i].gaz |= static_cast<std::uint16_t>(1u << (t * 3 + 1));
                    for (std::size_t k = 1; k < len; ++k)
                        out.infos[i + k].gaz |= static_cast<std::uint16_t>(1u << (t * 3 + 2));
                }
            }
        }
    }
}

void FeatureExtractor::history_codes(const DocHistory& history, const StackContext* stack, SentenceFeatures& out) const {
    const std::size_t n = out.infos.size();
    // What this stage gave the word earlier in the document.
    out.hist.resize(n);
    for (std::size_t j = 0; j < n; ++j) {
        std::uint64_t code = 0;
        if (out.capitalised[j]) {
            const auto* counts = history.find(out.keys[j]);
            code = 1;
            if (counts) {
                int best = 0;
                for (int t = 1; t < k_num_types; ++t)
                    if ((*counts)[t] > (*counts)[best]) best = t;
                code = 2 + static_cast<std::uint64_t>(best);
            }
        }
        out.hist[j] = code;
    }
    if (!stack) return;
    // Stage-one types of the word elsewhere in the document (its own occurrence taken out).
    out.doc.resize(n);
    for (std::size_t j = 0; j < n; ++j) {
        std::uint64_t code = 0;
        if (out.capitalised[j]) {
            code = 1;
            if (const auto* found = stack->document->find(out.keys[j])) {
                auto counts = *found;
                const Tag own = (*stack->sentence_tags)[j];
                if (own != k_tag_outside && counts[static_cast<int>(tag_type(own))] > 0)
                    --counts[static_cast<int>(tag_type(own))];
                int best = 0, total = 0;
                for (int t = 0; t < k_num_types; ++t) {
                    total += counts[t];
                    if (counts[t] > counts[best]) best = t;
                }
                if (total > 0) code = 2 + static_cast<std::uint64_t>(best) + (counts[best] == total ? 4 : 0);
            }
        }
        out.doc[j] = code;
    }
}

void FeatureExtractor::context_rows(const SentenceFeatures& in_sentence, std::size_t i,
                                    std::vector<std::uint32_t>& rows) const {
    const auto& out = in_sentence;
    const std::size_t n = out.infos.size();
    auto add = [&](std::uint64_t h) { rows.push_back(row_of(h)); };
    const auto& in = out.infos[i];
    const std::uint64_t lm1 = i > 0 ? out.infos[i - 1].lower : k_bos;
    const std::uint64_t lm2 = i > 1 ? out.infos[i - 2].lower : k_bos;
    const std::uint64_t lp1 = i + 1 < n ? out.infos[i + 1].lower : k_eos;
    const std::uint64_t lp2 = i + 2 < n ? out.infos[i + 2].lower : k_eos;
    const std::uint64_t sm1 = i > 0 ? out.infos[i - 1].short_shape : k_bos;
    const std::uint64_t sp1 = i + 1 < n ? out.infos[i + 1].short_shape : k_eos;
    const std::uint64_t initial = initial_code(out, i);

    add(feat(t_lower_m1, lm1));
    add(feat(t_lower_m2, lm2));
    add(feat(t_lower_p1, lp1));
    add(feat(t_lower_p2, lp2));
    add(feat(t_word_m1, i > 0 ? out.infos[i - 1].word : k_bos, in.short_shape));
    add(feat(t_word_p1, i + 1 < n ? out.infos[i + 1].word : k_eos, in.short_shape));
    add(feat(t_bigram_m1, lm1, in.lower));
    add(feat(t_bigram_p1, in.lower, lp1));
    add(feat(t_shape_m1, sm1, in.short_shape));
    add(feat(t_shape_p1, in.short_shape, sp1));
    add(feat(t_shape3, sm1, in.short_shape, sp1));
    add(feat(t_initial, initial, in.short_shape));
    add(feat(t_capclass, in.lex & lexicon_bits::k_cap_mask, initial != 0, in.short_shape));
    add(feat(t_kind, out.kind_code, in.short_shape));
    if (in.gaz) {
        for (std::uint64_t b = 0; b < 12; ++b)
            if (in.gaz & (1u << b)) add(feat(t_gaz, b, out.capitalised[i]));
    }
    if (i > 0 && out.infos[i - 1].gaz) add(feat(t_gaz_m1, out.infos[i - 1].gaz));
    if (i + 1 < n && out.infos[i + 1].gaz) add(feat(t_gaz_p1, out.infos[i + 1].gaz));
    if (in.cluster) add(feat(t_cluster + 2, in.cluster >> 8, out.capitalised[i], initial != 0));
    const std::uint32_t cm1 = i > 0 ? out.infos[i - 1].cluster : 0xFFFFFF;
    const std::uint32_t cp1 = i + 1 < n ? out.infos[i + 1].cluster : 0xFFFFFF;
    add(feat(t_cluster_m1, cm1 >> 8));
    add(feat(t_cluster_p1, cp1 >> 8));
    add(feat(t_cluster + 3, cm1 & 0xFF, in.cluster & 0xFF, cp1 & 0xFF));
}

void FeatureExtractor::history_rows(const SentenceFeatures& out, std::size_t i, const StackContext* stack,
                                    std::vector<std::uint32_t>& rows) const {
    const std::size_t n = out.infos.size();
    auto add = [&](std::uint64_t h) { rows.push_back(row_of(h)); };
    const auto& in = out.infos[i];
    const std::uint64_t initial = initial_code(out, i);
    const std::uint64_t h = out.hist[i];
    add(feat(t_hist, h));
    add(feat(t_hist_shape, h, in.short_shape, initial != 0));
    add(feat(t_hist_m1, i > 0 ? out.hist[i - 1] : 9, h));
    add(feat(t_hist_p1, i + 1 < n ? out.hist[i + 1] : 9, h));
    if (!stack) return;
    const std::vector<Tag>& s1 = *stack->sentence_tags;
    const std::uint64_t tag = s1[i];
    const std::uint64_t tag_m1 = i > 0 ? s1[i - 1] : 99;
    const std::uint64_t tag_p1 = i + 1 < n ? s1[i + 1] : 99;
    add(feat(t_stack_tag, tag, in.short_shape));
    add(feat(t_stack_tag_m1, tag_m1, tag));
    add(feat(t_stack_tag_p1, tag_p1, tag));
    add(feat(t_stack_tags3, tag_m1, tag, tag_p1));
    const std::uint64_t doc = out.doc[i];
    add(feat(t_stack_doc, doc, tag));
    add(feat(t_stack_doc_shape, doc, in.short_shape, initial != 0));
    add(feat(t_stack_doc_m1, i > 0 ? out.doc[i - 1] : 99, doc));
    add(feat(t_stack_doc_p1, i + 1 < n ? out.doc[i + 1] : 99, doc));
}

std::uint64_t FeatureExtractor::initial_code(const SentenceFeatures& out, std::size_t i) {
    return i == 0 ? 1 : (i == 1 && !out.capitalised[0] ? 2 : 0);
}

void FeatureExtractor::extract(std::span<const std::string_view> words, SentenceKind kind,
                               const DocHistory& history, SentenceFeatures& out, const StackContext* stack) const {
    const std::size_t n = words.size();
    prepare(words, kind, out, nullptr);
    history_codes(history, stack, out);
    rows_per_token(n, out.rows, out.offsets, [&](std::size_t i, std::vector<std::uint32_t>& rows) {
        form_rows(out.infos[i], out.capitalised[i], rows);
        context_rows(out, i, rows);
        history_rows(out, i, stack, rows);
    });
}

void viterbi(std::span<const float> emission, std::size_t n, const TransitionTable& transitions,
             std::vector<Tag>& out) {
    constexpr int T = k_num_tags;
    constexpr float k_neg = -1e30f;
    out.assign(n, k_tag_outside);
    if (n == 0) return;
    std::vector<float> score(n * T);
    std::vector<std::uint8_t> back(n * T);
    auto allowed = [](int prev, int cur) {
        // I-X only continues B-X or I-X; prev == T means start of sentence.
        if (!is_inside(static_cast<Tag>(cur))) return true;
        if (prev == T || prev == k_tag_outside) return false;
        return tag_type(static_cast<Tag>(prev)) == tag_type(static_cast<Tag>(cur));
    };
    for (int t = 0; t < T; ++t)
        score[t] = allowed(T, t) ? transitions[T * T + t] + emission[t] : k_neg;
    for (std::size_t i = 1; i < n; ++i) {
        for (int t = 0; t < T; ++t) {
            float best = k_neg;
            int arg = 0;
            for (int p = 0; p < T; ++p) {
                if (!allowed(p, t)) continue;
                const float s = score[(i - 1) * T + p] + transitions[p * T + t];
                if (s > best) { best = s; arg = p; }
            }
            score[i * T + t] = best + emission[i * T + t];
            back[i * T + t] = static_cast<std::uint8_t>(arg);
        }
    }
    int best = 0;
    for (int t = 1; t < T; ++t)
        if (score[(n - 1) * T + t] > score[(n - 1) * T + best]) best = t;
    for (std::size_t i = n; i-- > 0;) {
        out[i] = static_cast<Tag>(best);
        best = back[i * T + best];
    }
}

namespace {

/// Adds the weight rows of rows[from, to) into acc, fetching the rows k_ahead features ahead:
/// they are scattered over tables of 2^bucket_bits rows (18 MB a stage at 20 bits), each a cache miss.
inline void add_rows(const std::int16_t* weights, const std::vector<std::uint32_t>& rows, std::uint32_t from,
                     std::uint32_t to, std::array<std::int32_t, k_num_tags>& acc) {
    constexpr std::uint32_t k_ahead = 32;
    const auto total = static_cast<std::uint32_t>(rows.size());
    for (std::uint32_t f = from; f < to; ++f) {
        if (f + k_ahead < total) __builtin_prefetch(weights + rows[f + k_ahead]);
        const std::int16_t* row = weights + rows[f];
        for (int t = 0; t < k_num_tags; ++t) acc[t] += row[t];
    }
}

inline void prefetch_first(const std::int16_t* weights, const std::vector<std::uint32_t>& rows) {
    for (std::size_t f = 0; f < std::min<std::size_t>(rows.size(), 32); ++f) __builtin_prefetch(weights + rows[f]);
}

}  // namespace

void run_stage(const FeatureExtractor& extractor, const StageView& stage,
               std::span<const std::vector<std::string_view>> sentences, std::span<const SentenceKind> kinds,
               const std::vector<std::vector<Tag>>* stage_one, const DocHistory* stage_one_document,
               std::vector<std::vector<Tag>>& result, DocHistory* final_history, StageShare* share) {
    const std::int16_t* weights = stage.weights;
    const std::size_t st = stage_one ? 1 : 0;
    result.assign(sentences.size(), {});
    DocHistory history;
    SentenceFeatures own;
    std::vector<std::uint32_t> extra_rows, extra_offsets;  // with share: this stage's history (and stack) rows
    std::vector<float> emission;
    if (share && st == 0) share->sentences.resize(sentences.size());
    for (std::size_t s = 0; s < sentences.size(); ++s) {
        const auto& words = sentences[s];
        const std::size_t n = words.size();
        if (n == 0) continue;
        const SentenceKind kind = s < kinds.size() ? kinds[s] : SentenceKind::Body;
        StackContext stack_context;
        const StackContext* stack = nullptr;
        if (stage_one) {
            stack_context = StackContext{&(*stage_one)[s], stage_one_document};
            stack = &stack_context;
        }
        SentenceFeatures& feats = share ? share->sentences[s] : own;
        if (!share) {
            extractor.extract(words, kind, history, feats, stack);
        } else {
            // Shared between the stages: the forms (memo sums for both) and the context rows, made
            // by stage one; each stage adds its own history (and stage two the stack) rows.
            if (st == 0) {
                extractor.prepare(words, kind, feats, &share->memo);
                rows_per_token(n, feats.rows, feats.offsets, [&](std::size_t i, std::vector<std::uint32_t>& rows) {
                    extractor.context_rows(feats, i, rows);
                });
            }
            extractor.history_codes(history, stack, feats);
            rows_per_token(n, extra_rows, extra_offsets, [&](std::size_t i, std::vector<std::uint32_t>& rows) {
                extractor.history_rows(feats, i, stack, rows);
            });
        }
        emission.resize(n * k_num_tags);
        prefetch_first(weights, feats.rows);
        for (std::size_t i = 0; i < n; ++i) {
            std::array<std::int32_t, k_num_tags> acc{};
            if (share) {
                acc = feats.form_sums[st][i];
                add_rows(weights, extra_rows, extra_offsets[i], extra_offsets[i + 1], acc);
            }
            add_rows(weights, feats.rows, feats.offsets[i], feats.offsets[i + 1], acc);
            for (int t = 0; t < k_num_tags; ++t) emission[i * k_num_tags + t] = static_cast<float>(acc[t]) * stage.inverse_scale;
        }
        viterbi(emission, n, *stage.transitions, result[s]);
        history.record(feats.keys, feats.capitalised, result[s]);
    }
    if (final_history) *final_history = std::move(history);
}

}  // namespace morgue::ner
