/** @file document_builder.cpp
 *  @brief Indexes every schema field of an Article, in the table's order.
 */
#include "indexer/document_builder.h"

#include "common/error.h"
#include "common/free_text.h"
#include "common/schema.h"
#include "common/stored_article.h"
#include "common/text.h"

#include <algorithm>
#include <cstdint>

namespace morgue::indexer {

namespace {

std::vector<std::string> values_for(const Article& a, schema::Source source, EntityKind* kind_out) {
    using schema::Source;
    switch (source) {
        case Source::Id: return {a.id};
        case Source::Url: return a.url.empty() ? std::vector<std::string>{} : std::vector<std::string>{a.url};
        case Source::Host: {
            std::string h = schema::url_host(a.url);
            return h.empty() ? std::vector<std::string>{} : std::vector<std::string>{h};
        }
        case Source::Language:
            return a.language.empty() ? std::vector<std::string>{} : std::vector<std::string>{a.language};
        case Source::SourceName:
            return a.source.empty() ? std::vector<std::string>{} : std::vector<std::string>{a.source};
        case Source::Topics: return a.topics;
        case Source::Person: *kind_out = EntityKind::Person; return {};
        case Source::Org: *kind_out = EntityKind::Org; return {};
        case Source::Place: *kind_out = EntityKind::Place; return {};
        case Source::Misc: *kind_out = EntityKind::Misc; return {};
        default: return {};
    }
}

}  // namespace

/// English stems through a cache of the words already stemmed (most words of an
/// article were seen before), which also notes, while `recording` is on, the words
/// of the article being built that this builder has not handed out before: the new
/// spelling words, without tokenising twice, and without the writer looking every
/// word of every article up in the word list.
class RecordingStemmer : public Xapian::StemImplementation {
  public:
    bool recording = false;

    RecordingStemmer() : m_slots(std::size_t{1} << k_initial_bits, 0) {}

    std::string operator()(const std::string& word) override {
        // Numbers and words with apostrophes are not words to suggest, and mostly
        // one-offs (figures): stemmed as they come, never cached.
        if (word.find_first_of("'0123456789") != std::string::npos) return m_english(word);
        Entry& e = find_or_add(word);
        if (recording && !e.given) {
            e.given = true;
            m_fresh.push_back(static_cast<std::uint32_t>(&e - m_entries.data()));
        }
        return e.stem;
    }
    [[nodiscard]] std::string get_description() const override { return "Xapian::Stem(english), cached"; }

    /// The words noted since the last call (or reset), each with its Z term; they are
    /// not noted again by this builder.
    std::vector<std::pair<std::string, std::string>> take() {
        std::vector<std::pair<std::string, std::string>> out;
        out.reserve(m_fresh.size());
        for (const std::uint32_t i : m_fresh) {
            std::string term("Z");
            term += m_entries[i].stem;
            out.emplace_back(m_entries[i].word, std::move(term));
        }
        m_fresh.clear();
        return out;
    }
    /// Forgets the words noted and not taken (a build whose words nobody wanted):
    /// they are noted again the next time they are seen.
    void reset() {
        for (const std::uint32_t i : m_fresh) m_entries[i].given = false;
        m_fresh.clear();
        if (m_entries.size() > k_max_cached) {  // bounded memory on any input
            m_entries.clear();
            std::fill(m_slots.begin(), m_slots.end(), 0);
        }
    }

  private:
    static constexpr std::size_t k_max_cached = 1u << 17;  // ~10 MB per builder
    static constexpr unsigned k_initial_bits = 12;
    struct Entry {
        std::string word;
        std::string stem;
        std::uint64_t hash = 0;
        bool given = false;  ///< handed out by take()
    };

    /// The word's entry, stemmed on first sight. An open-addressing table of indexes into
    /// m_entries (0: empty), at most half full: one probe for most words, and no division
    /// (std::unordered_map's prime modulus and node chase were most of this stemmer's time).
    Entry& find_or_add(const std::string& word) {
        const std::uint64_t h = text::hash64(word) * 0x9E3779B97F4A7C15ULL;
        const std::size_t mask = m_slots.size() - 1;
        for (std::size_t pos = h >> m_shift;; pos = (pos + 1) & mask) {
            const std::uint32_t slot = m_slots[pos];
            if (slot == 0) {
                m_entries.push_back(Entry{word, m_english(word), h, false});
                m_slots[pos] = static_cast<std::uint32_t>(m_entries.size());
                if (m_entries.size() * 2 > m_slots.size()) grow();
                return m_entries.back();
            }
            Entry& e = m_entries[slot - 1];
            if (e.hash == h && e.word == word) return e;
        }
    }
    void grow() {
        std::vector<std::uint32_t> slots(m_slots.size() * 2, 0);
        --m_shift;
        const std::size_t mask = slots.size() - 1;
        for (std::size_t i = 0; i < m_entries.size(); ++i) {
            std::size_t pos = m_entries[i].hash >> m_shift;
            while (slots[pos] != 0) pos = (pos + 1) & mask;
            slots[pos] = static_cast<std::uint32_t>(i + 1);
        }
        m_slots.swap(slots);
    }

    Xapian::Stem m_english{"english"};
    std::vector<Entry> m_entries;
    std::vector<std::uint32_t> m_slots;
    unsigned m_shift = 64 - k_initial_bits;
    std::vector<std::uint32_t> m_fresh;  ///< indexes into m_entries
};

DocumentBuilder::DocumentBuilder(int zstd_level) : DocumentBuilder(BuildOptions{zstd_level, true, false}) {}

DocumentBuilder::DocumentBuilder(const BuildOptions& options) : m_codec(options.zstd_level) {
    m_stemmer = new RecordingStemmer;
    m_termgen.set_stemmer(Xapian::Stem(m_stemmer));
    // Every word once, stemmed, with Omega's Z mark: half the terms of STEM_SOME
    // (which adds each word unstemmed too), and quest/Omega's default STEM_SOME
    // queries still find the Z terms (schema.h).
    m_termgen.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL_Z);
    m_positions = options.positions;
}

void DocumentBuilder::set_dictionary(std::string_view dictionary) { m_codec.set_dictionary(dictionary); }

void DocumentBuilder::set_cluster(Xapian::Document& doc, const std::string& cluster_key, bool duplicate) {
    doc.add_value(schema::kSlotCluster, cluster_key);
    if (duplicate) {
        doc.add_boolean_term(std::string(schema::kTermDuplicate));
        doc.add_boolean_term(schema::make_term(schema::kPrefixCluster, cluster_key));
    }
}

Xapian::Document DocumentBuilder::build(const Article& a) { return build(a, article_to_json(a), BuildExtras{}); }

std::string DocumentBuilder::content_hash(const std::string& stored_json) {
    return text::hex64(text::hash64(stored_json));
}

Xapian::Document DocumentBuilder::build(const Article& a, const std::string& json, const BuildExtras& extras) {
    Xapian::Document doc;
    m_stemmer->reset();

    // Title, authors and body, the way the searcher's phrase check reads them too, into a
    // scratch document: the words' wdfs are normalised by the article's length below.
    Xapian::Document words;
    m_termgen.set_document(words);
    // (With positions, always: the word sketch stored with the article is made from them.)
    const auto spans = index_free_text(a, m_termgen, true, [this](const schema::Field& field, bool before) {
        // The title is indexed twice (S field, and weighted plain words): its words count once.
        const bool counted = field.source == schema::Source::Body ||
                             (field.source == schema::Source::Title && !field.prefix.empty());
        m_stemmer->recording = before && counted;
    });
    Xapian::termcount length = 0;
    for (auto t = words.termlist_begin(); t != words.termlist_end(); ++t) length += t.get_wdf();
    for (auto t = words.termlist_begin(); t != words.termlist_end(); ++t) {
        if (m_positions)
            for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) doc.add_posting(*t, *p, 0);
        doc.add_term(*t, schema::normalised_wdf(t.get_wdf(), length));
    }

    for (const auto& field : schema::fields()) {
        switch (field.kind) {
            case schema::FieldKind::FreeText: break;
            case schema::FieldKind::Boolean: {
                EntityKind unused = EntityKind::Misc;
                for (const auto& v : values_for(a, field.source, &unused)) {
                    // Ids and URLs are exact; names are looked up by their normalised key.
                    const bool exact = field.source == schema::Source::Id || field.source == schema::Source::Url;
                    doc.add_boolean_term(schema::make_term(field.prefix, exact ? v : schema::boolean_key(v)));
                }
                break;
            }
            case schema::FieldKind::Entity: {
                EntityKind kind = EntityKind::Misc;
                (void)values_for(a, field.source, &kind);
                for (const auto& e : a.entities) {
                    if (e.kind != kind || e.key.empty()) continue;
                    // wdf = mentions, plus a bonus where the entity is central.
                    // (Scaled as the words' wdfs are: schema::kWdfScale.)
                    const unsigned salience = static_cast<unsigned>(std::max(1, e.mentions)) + (e.in_title ? 5u : 0u) +
                                              (e.in_lead ? 2u : 0u);
                    const auto wdf = static_cast<Xapian::termcount>(salience * schema::kWdfScale);
                    doc.add_term(schema::make_term(field.prefix, e.key), wdf);
                    // A person is also found by surname: person:biden finds "Joe Biden".
                    if (kind == EntityKind::Person) {
                        const auto space = e.key.rfind(' ');
                        if (space != std::string::npos && e.key.size() - space > 3)
                            doc.add_term(schema::make_term(schema::kPrefixSurname, e.key.substr(space + 1)), wdf);
                    }
                }
                break;
            }
        }
    }

    if (a.date) {
        const std::string ymd = format_yyyymmdd(*a.date);
        doc.add_value(schema::kSlotDate, ymd);
        doc.add_value(schema::kSlotTime, Xapian::sortable_serialise(static_cast<double>(*a.date)));
        doc.add_boolean_term(std::string(schema::kPrefixDay) + ymd);
        doc.add_boolean_term(std::string(schema::kPrefixMonth) + ymd.substr(0, 6));
        doc.add_boolean_term(std::string(schema::kPrefixYear) + ymd.substr(0, 4));
    } else {
        doc.add_boolean_term(std::string(schema::kTermUndated));
    }
    if (!a.source.empty()) doc.add_value(schema::kSlotSource, schema::boolean_key(a.source));
    doc.add_value(schema::kSlotSortKey, schema::sort_key(a.date, a.id));

    if (extras.fingerprint) {
        doc.add_value(schema::kSlotSimhash, simhash_hex(extras.fingerprint->simhash));
        for (const auto& t : band_terms(extras.fingerprint->simhash)) doc.add_boolean_term(t);
    }
    if (!extras.order.empty()) doc.add_value(schema::kSlotOrder, extras.order);
    doc.add_value(schema::kSlotHash, extras.hash.empty() ? content_hash(json) : extras.hash);
    doc.set_data(encode_stored_article(json, m_codec, word_sketch(words, spans)));
    return doc;
}

std::vector<std::pair<std::string, std::string>> DocumentBuilder::take_spelling_words() { return m_stemmer->take(); }

void add_legacy_spelling_words(const Article& article, Xapian::WritableDatabase& db) {
    DocumentBuilder builder;
    (void)builder.build(article);
    for (const auto& [word, term] : builder.take_spelling_words()) db.add_spelling(word);
}

}  // namespace morgue::indexer
