/** @file document_builder.h
 *  @brief Article -> Xapian::Document, driven by the schema table (common/schema.h).
 */
#pragma once

#include "common/article.h"
#include "common/zstd_codec.h"
#include "indexer/simhash.h"

#include <xapian.h>

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace morgue::indexer {

/// What the nightly pipeline adds to a document besides the Article itself.
struct BuildExtras {
    std::optional<Fingerprint> fingerprint;  ///< slot SIMHASH and the XSH band terms
    std::string order;                       ///< slot ORDER (empty: none)
    std::string hash;                        ///< slot HASH (empty: content_hash of the stored JSON)
};

/// The nightly writer's zstd level. Level 3 takes a fifth of level 7's CPU per article (10 against
/// 56 µs with the 256 KB dictionary) for a store 10% larger while a month is open; compaction
/// compresses every closed shard again at level 12 with its own dictionary (recompress.h), so
/// the archive that is kept is the same. Measured: docs/BENCHMARKS.md, session 9.
inline constexpr int kNightlyZstdLevel = 3;

/// Index-time choices measured in docs/BENCHMARKS.md; the defaults are the schema's.
struct BuildOptions {
    int zstd_level = kNightlyZstdLevel;
    /// Ignored since schema 2, where every word is indexed once, stemmed (STEM_ALL_Z); kept for old callers.
    bool stem_all = true;
    /// Also write Xapian's term positions (benchmarks only: since schema 3 the searcher checks
    /// phrases and NEAR against the stored text, common/free_text.h, and never reads them).
    bool positions = false;
};

class RecordingStemmer;

/// Builds documents; owns a TermGenerator and a zstd codec, so one per thread.
class DocumentBuilder {
  public:
    explicit DocumentBuilder(int zstd_level = kNightlyZstdLevel);
    explicit DocumentBuilder(const BuildOptions& options);

    /// Compresses stored articles with this trained dictionary from now on (empty: none).
    void set_dictionary(std::string_view dictionary);

    /// The full document: terms, values and compressed data.
    [[nodiscard]] Xapian::Document build(const Article& article);
    /// The same, from the article's JSON (article_to_json) already made, plus extras.
    [[nodiscard]] Xapian::Document build(const Article& article, const std::string& json, const BuildExtras& extras);

    /// The words of the title and body of the article of the last build() as the
    /// archive's word list keeps them (lower case, unstemmed; none with digits or
    /// apostrophes) that this builder has not given before, each with its Z term.
    /// Gathered while the article was indexed (the stemmer sees every word): no
    /// second pass. Words of a build that were not taken are given again later; a
    /// builder forgets what it gave when its stem cache is full (then gives it again).
    [[nodiscard]] std::vector<std::pair<std::string, std::string>> take_spelling_words();

    /// Sets the cluster key (slot CLUSTER) and, for an article folded under
    /// another, the XDUP term.
    static void set_cluster(Xapian::Document& doc, const std::string& cluster_key, bool duplicate);

    /// Hash of what the document stores, as kept in schema::kSlotHash: equal
    /// hashes mean re-indexing would change nothing.
    [[nodiscard]] static std::string content_hash(const std::string& stored_json);

  private:
    Xapian::TermGenerator m_termgen;
    RecordingStemmer* m_stemmer;    ///< m_termgen's stemmer (owned by it, reference counted)
    ZstdCodec m_codec;
    bool m_positions = false;
};

/// Adds an article's words to db's own spelling table, as shards of schema 3 written
/// before the archive's word list (common/word_list.h) hold them: tests of the
/// searcher's reading of such archives only.
void add_legacy_spelling_words(const Article& article, Xapian::WritableDatabase& db);

}  // namespace morgue::indexer
