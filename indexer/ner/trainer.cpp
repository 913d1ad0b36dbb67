/** @file trainer.cpp
 *  @brief Averaged structured perceptron training and the resources baked into the model.
 *
 *  Resources:
 *   - lexicon: for each lower-cased word of the unlabelled news corpus (and the training text), how often
 *     it is capitalised away from the start of a sentence, whether it is usually all capitals, and its
 *     frequency. It drives truecasing of headlines and gives the model evidence for unseen names.
 *   - gazetteers: country and subdivision names from Debian's iso-codes, and the Reuters-21578 category
 *     lists (places, people, organisations, exchanges). Nothing is taken from the labelled data.
 *   - word clusters (optional, see clusters.h).
 *
 *  Training walks the documents in a seeded shuffled order; inside a document, sentences run in order so
 *  that the document history features see the model's own earlier predictions, as they will when tagging.
 */
#include "indexer/ner/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iterator>
#include <map>
#include <ostream>
#include <regex>
#include <sstream>
#include <unordered_map>

#include "common/error.h"
#include "indexer/ner/clusters.h"
#include "indexer/ner/features.h"
#include "indexer/ner/tagger.h"
#include "indexer/ner/tokenizer.h"

namespace morgue::ner {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw Error(p.string() + ": cannot open");
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string decode_entities(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '&') { out += s[i]; continue; }
        const std::size_t semi = s.find(';', i);
        if (semi == std::string_view::npos || semi - i > 8) { out += s[i]; continue; }
        const std::string_view ent = s.substr(i + 1, semi - i - 1);
        if (ent == "amp") out += '&';
        else if (ent == "lt") out += '<';
        else if (ent == "gt") out += '>';
        else if (ent == "quot") out += '"';
        else if (ent == "apos") out += '\'';
        else if (!ent.empty() && ent[0] == '#') out += ' ';
        else { out += s[i]; continue; }
        i = semi;
    }
    return out;
}

/// Appends the text between each <open>...</close> pair (tags inside removed, entities decoded).
void extract_elements(const std::string& doc, const std::string& open, const std::string& close,
                      std::vector<std::string>& out) {
    std::size_t pos = 0;
    while ((pos = doc.find(open, pos)) != std::string::npos) {
        const std::size_t start = doc.find('>', pos);
        if (start == std::string::npos) break;
        const std::size_t end = doc.find(close, start);
        if (end == std::string::npos) break;
        std::string inner;
        bool in_tag = false;
        for (std::size_t k = start + 1; k < end; ++k) {
            if (doc[k] == '<') in_tag = true;
            else if (doc[k] == '>' && in_tag) in_tag = false;
            else if (!in_tag) inner += doc[k];
        }
        out.push_back(decode_entities(inner));
        pos = end + close.size();
    }
}

struct CaseCounts {
    std::uint32_t total = 0;       // every occurrence
    std::uint32_t case_total = 0;  // occurrences where case is informative
    std::uint32_t capitalised = 0;
    std::uint32_t all_caps = 0;
};

bool has_letter(std::string_view w) {
    return std::any_of(w.begin(), w.end(), [](char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; });
}

bool sentence_all_caps(const std::vector<std::string_view>& words) {
    int alpha = 0, caps = 0;
    for (std::string_view w : words) {
        if (!has_letter(w)) continue;
        ++alpha;
        if (std::none_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; })) ++caps;
    }
    return alpha > 0 && caps * 10 >= alpha * 6;
}

class LexiconBuilder {
public:
    void add_sentence(const std::vector<std::string_view>& words) {
        const bool caps = sentence_all_caps(words);
        for (std::size_t i = 0; i < words.size(); ++i) {
            const std::string_view w = words[i];
            if (!has_letter(w)) continue;
            CaseCounts& c = m_counts[ascii_lower(w)];
            ++c.total;
            if (caps || i == 0) continue;
            const std::string_view prev = words[i - 1];
            if (prev == "\"" || prev == ":" || prev == "(" || prev == "-" || prev == "--" || prev == "'") continue;
            ++c.case_total;
            const bool upper0 = w[0] >= 'A' && w[0] <= 'Z';
            const bool any_lower = std::any_of(w.begin(), w.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; });
            if (upper0) ++c.capitalised;
            if (upper0 && !any_lower && w.size() >= 2) ++c.all_caps;
        }
    }

    std::vector<std::pair<std::uint64_t, std::uint8_t>> build() const {
        std::vector<std::pair<std::uint64_t, std::uint8_t>> out;
        for (const auto& [word, c] : m_counts) {
            if (c.total < 2) continue;
            std::uint8_t v = 0;
            if (c.case_total > 0) {
                const double r = static_cast<double>(c.capitalised) / c.case_total;
                v = r < 0.05 ? 1 : r < 0.3 ? 2 : r < 0.7 ? 3 : r < 0.95 ? 4 : 5;
                if (c.case_total >= 2 && c.all_caps * 2 >= c.case_total) v |= lexicon_bits::k_acronym;
            }
            const int freq = std::min(15, static_cast<int>(std::log2(static_cast<double>(c.total) + 1.0)));
            v |= static_cast<std::uint8_t>(freq << lexicon_bits::k_freq_shift);
            out.emplace_back(hash_bytes(word), v);
        }
        std::sort(out.begin(), out.end());
        return out;
    }
    std::size_t size() const { return m_counts.size(); }

private:
    std::unordered_map<std::string, CaseCounts> m_counts;
};

class GazetteerBuilder {
public:
    void add(std::string_view name, EntityType type) {
        std::string joined;
        std::size_t n = 0;
        for (const Sentence& s : tokenize(name)) {
            for (const Token& t : s.tokens) {
                if (!joined.empty()) joined += ' ';
                joined += ascii_lower(t.text);
                ++n;
            }
        }
        if (n == 0 || n > 6) return;
        m_max_len = std::max<std::uint32_t>(m_max_len, static_cast<std::uint32_t>(n));
        m_masks[hash_bytes(joined)] |= static_cast<std::uint8_t>(1u << static_cast<int>(type));
    }
    void add_iso_codes(const fs::path& dir) {
        static const std::regex name_re("\"(name|common_name|official_name)\"\\s*:\\s*\"([^\"]+)\"");
        for (const char* file : {"iso_3166-1.json", "iso_3166-2.json"}) {
            const fs::path p = dir / file;
            if (!fs::exists(p)) throw Error(p.string() + ": iso-codes file not found (apt-get install iso-codes)");
            const std::string text = read_file(p);
            for (std::sregex_iterator it(text.begin(), text.end(), name_re), end; it != end; ++it) {
                const std::string name = (*it)[2];
                add(name, EntityType::Place);
                // "Iran, Islamic Republic of" -> also "Iran"
                if (const auto comma = name.find(','); comma != std::string::npos) add(name.substr(0, comma), EntityType::Place);
            }
        }
    }
    void add_reuters_list(const fs::path& p, EntityType type) {
        std::istringstream in(read_file(p));
        std::string line;
        while (std::getline(in, line)) {
            std::replace(line.begin(), line.end(), '-', ' ');
            if (!line.empty()) add(line, type);
        }
    }
    std::vector<std::pair<std::uint64_t, std::uint8_t>> build() const {
        std::vector<std::pair<std::uint64_t, std::uint8_t>> out(m_masks.begin(), m_masks.end());
        return out;  // std::map keeps them sorted
    }
    std::uint32_t max_len() const { return m_max_len; }
    std::size_t size() const { return m_masks.size(); }

private:
    std::map<std::uint64_t, std::uint8_t> m_masks;
    std::uint32_t m_max_len = 0;
};

/// Unlabelled sentences of a corpus directory, files in sorted order.
std::vector<std::vector<std::string>> read_corpus(const fs::path& dir, GazetteerBuilder& gaz) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file()) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    std::vector<std::vector<std::string>> sentences;
    for (const fs::path& p : files) {
        const std::string name = p.filename().string();
        std::vector<std::string> texts;
        if (p.extension() == ".xml") {
            const std::string doc = read_file(p);
            extract_elements(doc, "<headline", "</headline>", texts);
            extract_elements(doc, "<p", "</p>", texts);
        } else if (p.extension() == ".sgm") {
            const std::string doc = read_file(p);
            extract_elements(doc, "<TITLE", "</TITLE>", texts);
            extract_elements(doc, "<BODY", "</BODY>", texts);
        } else if (name == "all-places-strings.lc.txt") {
            gaz.add_reuters_list(p, EntityType::Place);
        } else if (name == "all-people-strings.lc.txt") {
            gaz.add_reuters_list(p, EntityType::Person);
        } else if (name == "all-orgs-strings.lc.txt" || name == "all-exchanges-strings.lc.txt") {
            gaz.add_reuters_list(p, EntityType::Org);
        }
        for (const std::string& t : texts) {
            for (const Sentence& s : tokenize(t)) {
                std::vector<std::string> words;
                words.reserve(s.tokens.size());
                for (const Token& tok : s.tokens) words.push_back(tok.text);
                sentences.push_back(std::move(words));
            }
        }
    }
    return sentences;
}

std::vector<std::string_view> views(const std::vector<std::string>& words) {
    return std::vector<std::string_view>(words.begin(), words.end());
}

/// A training unit: a document's sentences, or a lone case-augmented copy of one sentence.
struct Unit {
    std::vector<const ConllSentence*> sentences;
    std::vector<std::vector<std::string>> words;  // per sentence
    SentenceKind kind = SentenceKind::Body;
};

std::string to_upper(std::string_view w) {
    std::string out(w);
    for (char& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    return out;
}

std::string to_title(std::string_view w) {
    static const std::vector<std::string_view> small = {"a", "an", "the", "of", "in", "on", "at", "to",
                                                        "for", "and", "or", "by", "with", "as"};
    std::string out(w);
    if (!out.empty() && out[0] >= 'a' && out[0] <= 'z' && std::find(small.begin(), small.end(), w) == small.end())
        out[0] = static_cast<char>(out[0] - 32);
    return out;
}

class Rng {
public:
    explicit Rng(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    template <typename T>
    void shuffle(std::vector<T>& v) {
        for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[next() % i]);
    }

private:
    std::uint64_t m_state;
};

/// Quantised weights of one trained stage.
struct Stage {
    float scale = 1.0f;
    std::vector<std::int16_t> weights;
    TransitionTable transitions{};
    [[nodiscard]] StageView view() const { return StageView{weights.data(), scale != 0 ? 1.0f / scale : 0.0f, &transitions}; }
};

/// What stage one said about a training unit, as stage two will see it.
struct StackInput {
    std::vector<std::vector<Tag>> tags;
    DocHistory document;
};

using TransitionSums = std::array<double, std::tuple_size_v<TransitionTable>>;

/// Averaged perceptron state: w the current weights, u the time-weighted updates, so that the average
/// over all steps is w - u / c (Daume's trick), without touching every weight at every step.
class Perceptron {
public:
    explicit Perceptron(std::size_t table) : m_w(table, 0.0f), m_u(table, 0.0) {}

    void train_unit(const FeatureExtractor& extractor, const Unit& unit, const StackInput* stack, SentenceFeatures& feats,
                    long& mistakes, long& tokens) {
        DocHistory history;
        for (std::size_t si = 0; si < unit.sentences.size(); ++si) {
            const std::vector<Tag>& gold = unit.sentences[si]->tags;
            const auto words = views(unit.words[si]);
            const std::size_t n = words.size();
            if (stack) {
                const StackContext ctx{&stack->tags[si], &stack->document};
                extractor.extract(words, unit.kind, history, feats, &ctx);
            } else {
                extractor.extract(words, unit.kind, history, feats);
            }
            m_emission.assign(n * k_num_tags, 0.0f);
            for (std::size_t i = 0; i < n; ++i)
                for (std::uint32_t f = feats.offsets[i]; f < feats.offsets[i + 1]; ++f)
                    for (int t = 0; t < k_num_tags; ++t) m_emission[i * k_num_tags + t] += m_w[feats.rows[f] + t];
            for (std::size_t k = 0; k < m_trans.size(); ++k) m_trans[k] = static_cast<float>(m_tw[k]);
            viterbi(m_emission, n, m_trans, m_pred);
            tokens += static_cast<long>(n);
            if (m_pred != gold) {
                for (std::size_t i = 0; i < n; ++i) {
                    const std::size_t gp = i == 0 ? k_num_tags : gold[i - 1];
                    const std::size_t pp = i == 0 ? k_num_tags : m_pred[i - 1];
                    m_tw[gp * k_num_tags + gold[i]] += 1;
                    m_tu[gp * k_num_tags + gold[i]] += m_c;
                    m_tw[pp * k_num_tags + m_pred[i]] -= 1;
                    m_tu[pp * k_num_tags + m_pred[i]] -= m_c;
                    if (gold[i] == m_pred[i]) continue;
                    ++mistakes;
                    for (std::uint32_t f = feats.offsets[i]; f < feats.offsets[i + 1]; ++f) {
                        const std::uint32_t r = feats.rows[f];
                        m_w[r + gold[i]] += 1.0f;
                        m_u[r + gold[i]] += m_c;
                        m_w[r + m_pred[i]] -= 1.0f;
                        m_u[r + m_pred[i]] -= m_c;
                    }
                }
            }
            history.record(feats.keys, feats.capitalised, m_pred);
            m_c += 1;
        }
    }

    /// The averaged weights, quantised to int16.
    [[nodiscard]] Stage averaged() const {
        Stage st;
        std::vector<float> avg(m_w.size());
        float max_abs = 0;
        for (std::size_t i = 0; i < m_w.size(); ++i) {
            avg[i] = static_cast<float>(m_w[i] - m_u[i] / m_c);
            max_abs = std::max(max_abs, std::fabs(avg[i]));
        }
        st.scale = max_abs > 0 ? 32000.0f / max_abs : 1.0f;
        st.weights.resize(m_w.size());
        for (std::size_t i = 0; i < m_w.size(); ++i)
            st.weights[i] = static_cast<std::int16_t>(std::lround(avg[i] * st.scale));
        for (std::size_t i = 0; i < m_tw.size(); ++i) st.transitions[i] = static_cast<float>(m_tw[i] - m_tu[i] / m_c);
        return st;
    }

private:
    std::vector<float> m_w;
    std::vector<double> m_u;
    TransitionSums m_tw{}, m_tu{};
    TransitionTable m_trans{};
    double m_c = 1;
    std::vector<float> m_emission;
    std::vector<Tag> m_pred;
};

/// Trains one stage on the units listed in subset; on_epoch (may be empty) sees each epoch's averaged stage.
Stage train_stage(const FeatureExtractor& extractor, std::uint32_t bucket_bits, const std::vector<Unit>& units,
                  std::vector<std::size_t> subset, const std::vector<StackInput>* stack, int epochs, std::uint64_t seed,
                  const std::function<void(int, long, long, const Stage*)>& on_epoch, bool eval_each_epoch) {
    Perceptron p((std::size_t{1} << bucket_bits) * k_num_tags);
    Rng rng(seed);
    SentenceFeatures feats;
    for (int epoch = 1; epoch <= epochs; ++epoch) {
        rng.shuffle(subset);
        long mistakes = 0, tokens = 0;
        for (std::size_t ui : subset) p.train_unit(extractor, units[ui], stack ? &(*stack)[ui] : nullptr, feats, mistakes, tokens);
        if (on_epoch) {
            if (eval_each_epoch || epoch == epochs) {
                const Stage st = p.averaged();
                on_epoch(epoch, mistakes, tokens, &st);
            } else {
                on_epoch(epoch, mistakes, tokens, nullptr);
            }
        }
    }
    return p.averaged();
}

StackInput predict_unit(const FeatureExtractor& extractor, const Stage& stage, const Unit& unit) {
    std::vector<std::vector<std::string_view>> sentences;
    for (const auto& w : unit.words) sentences.push_back(views(w));
    const std::vector<SentenceKind> kinds(sentences.size(), unit.kind);
    StackInput in;
    run_stage(extractor, stage.view(), sentences, kinds, nullptr, nullptr, in.tags, &in.document);
    return in;
}

/// CPU time of the calling thread: tagging speed on one core, whatever else the machine is doing.
double thread_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

EvalResult evaluate(const Tagger& tagger, const std::vector<ConllDocument>& docs) {
    EvalResult r;
    std::vector<std::vector<std::string_view>> sentences;
    for (const ConllDocument& doc : docs) {
        sentences.clear();
        for (const ConllSentence& s : doc.sentences) sentences.push_back(views(s.words));
        const double start = thread_cpu_seconds();
        const auto tags = tagger.tag_document(sentences);
        r.seconds += thread_cpu_seconds() - start;
        for (std::size_t i = 0; i < doc.sentences.size(); ++i) r.scorer.add(doc.sentences[i].tags, tags[i]);
    }
    return r;
}

ModelData train_model(const TrainOptions& opt, std::ostream* log) {
    const auto t0 = std::chrono::steady_clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
    auto say = [&](const std::string& line) {
        if (log) *log << "[" << std::fixed << std::setprecision(1) << elapsed() << "s] " << line << std::endl;
    };

    const std::vector<ConllDocument> train = read_conll(opt.train_file);
    std::vector<ConllDocument> dev;
    if (!opt.dev_file.empty()) dev = read_conll(opt.dev_file);

    // Resources.
    LexiconBuilder lexicon;
    GazetteerBuilder gazetteer;
    std::vector<std::vector<std::string>> unlabelled;
    for (const fs::path& dir : opt.corpus_dirs) {
        if (!fs::is_directory(dir)) throw Error(dir.string() + ": corpus directory not found");
        auto s = read_corpus(dir, gazetteer);
        say("corpus " + dir.string() + ": " + std::to_string(s.size()) + " sentences");
        std::move(s.begin(), s.end(), std::back_inserter(unlabelled));
    }
    if (!opt.iso_codes_dir.empty()) gazetteer.add_iso_codes(opt.iso_codes_dir);
    for (const auto& s : unlabelled) lexicon.add_sentence(views(s));
    for (const ConllDocument& d : train)
        for (const ConllSentence& s : d.sentences) lexicon.add_sentence(views(s.words));

    ModelData base;
    base.bucket_bits = opt.bucket_bits;
    base.lexicon = lexicon.build();
    base.gazetteer = gazetteer.build();
    base.gazetteer_max_len = gazetteer.max_len();
    say("lexicon " + std::to_string(base.lexicon.size()) + " words, gazetteer " + std::to_string(base.gazetteer.size()) +
        " names");
    if (opt.cluster_count > 0) {
        for (const ConllDocument& d : train)
            for (const ConllSentence& s : d.sentences) unlabelled.push_back(s.words);
        ClusterOptions co;
        co.fine = opt.cluster_count;
        base.clusters = learn_clusters(unlabelled, co, log);
        say("clusters for " + std::to_string(base.clusters.size()) + " words");
    }
    unlabelled.clear();
    unlabelled.shrink_to_fit();

    // Training units: the documents, plus all-capitals and title-case copies of some sentences.
    std::vector<Unit> units;
    std::size_t sentence_no = 0;
    for (const ConllDocument& d : train) {
        Unit u;
        for (const ConllSentence& s : d.sentences) {
            u.sentences.push_back(&s);
            u.words.push_back(s.words);
            ++sentence_no;
            if (s.words.size() < 3) continue;
            if (sentence_no % 8 == 3 || sentence_no % 16 == 7) {
                const bool upper = sentence_no % 8 == 3;
                Unit copy;
                copy.sentences.push_back(&s);
                copy.words.emplace_back();
                for (const std::string& w : s.words) copy.words.back().push_back(upper ? to_upper(w) : to_title(w));
                copy.kind = upper ? SentenceKind::Body : SentenceKind::Headline;
                units.push_back(std::move(copy));
            }
        }
        units.push_back(std::move(u));
    }

    const Resources res = Resources::from(base);
    const FeatureExtractor extractor(res, opt.bucket_bits);
    std::vector<std::size_t> all(units.size()), even, odd;
    for (std::size_t i = 0; i < units.size(); ++i) {
        all[i] = i;
        (i % 2 == 0 ? even : odd).push_back(i);
    }
    auto progress = [&](const std::string& what, const ModelData* with_stage_one) {
        return [&, what, with_stage_one](int epoch, long mistakes, long tokens, const Stage* st) {
            std::ostringstream line;
            line << what << " epoch " << epoch << ": token errors " << mistakes << "/" << tokens;
            if (st && !dev.empty()) {
                ModelData m = with_stage_one ? *with_stage_one : base;
                if (with_stage_one) {
                    m.stack_scale = st->scale;
                    m.stack_weights = st->weights;
                    m.stack_transitions = st->transitions;
                } else {
                    m.scale = st->scale;
                    m.weights = st->weights;
                    m.transitions = st->transitions;
                }
                const EvalResult r = evaluate(Tagger::from_data(std::move(m)), dev);
                line << std::fixed << std::setprecision(2) << ", dev F1 " << r.scorer.overall().f1();
            }
            say(line.str());
        };
    };

    // Stage one on everything: the model's first pass.
    const Stage first = train_stage(extractor, opt.bucket_bits, units, all, nullptr, opt.epochs, opt.seed,
                                    progress("stage 1", nullptr), true);
    ModelData model = base;
    model.scale = first.scale;
    model.weights = first.weights;
    model.transitions = first.transitions;

    if (opt.stacked) {
        // Stage two learns from stage one's output on text stage one did not see (two-fold jackknife),
        // so that it does not learn to trust stage one more than it deserves on new text.
        std::vector<StackInput> stack(units.size());
        for (int fold = 0; fold < 2; ++fold) {
            const auto& train_on = fold == 0 ? even : odd;
            const auto& predict = fold == 0 ? odd : even;
            const Stage half = train_stage(extractor, opt.bucket_bits, units, train_on, nullptr, opt.epochs,
                                           opt.seed + 1 + static_cast<std::uint64_t>(fold), {}, false);
            for (std::size_t ui : predict) stack[ui] = predict_unit(extractor, half, units[ui]);
            say("jackknife fold " + std::to_string(fold + 1) + " done");
        }
        const Stage second = train_stage(extractor, opt.bucket_bits, units, all, &stack, opt.stack_epochs, opt.seed + 3,
                                         progress("stage 2", &model), true);
        model.stack_scale = second.scale;
        model.stack_weights = second.weights;
        model.stack_transitions = second.transitions;
    }

    std::ostringstream info;
    info << "averaged perceptron, " << (opt.stacked ? "two stages" : "one stage") << ", " << opt.epochs << "+"
         << (opt.stacked ? opt.stack_epochs : 0) << " epochs, 2^" << opt.bucket_bits << " buckets, seed " << opt.seed << ", clusters " << opt.cluster_count
         << ", trained on " << opt.train_file.filename().string();
    model.info = info.str();
    say("done");
    return model;
}

}  // namespace morgue::ner
