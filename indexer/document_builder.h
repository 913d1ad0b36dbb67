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

namespace morgue::indexer {

/// What the nightly pipeline adds to a document besides the Article itself.
struct BuildExtras {
    std::optional<Fingerprint> fingerprint;  ///< slot SIMHASH and the XSH band terms
    std::string order;                       ///< slot ORDER (empty: none)
};

/// Index-time choices measured in docs/BENCHMARKS.md; the defaults are the schema's.
struct BuildOptions {
    int zstd_level = 3;
    bool stem_all = false;   ///< STEM_ALL instead of STEM_SOME (benchmarks only: queries expect STEM_SOME)
    bool positions = true;   ///< false: no positional information (benchmarks only: phrases need it)
};

/// Builds documents; owns a TermGenerator and a zstd codec, so one per thread.
class DocumentBuilder {
  public:
    explicit DocumentBuilder(int zstd_level = 3);
    explicit DocumentBuilder(const BuildOptions& options);

    /// Compresses stored articles with this trained dictionary from now on (empty: none).
    void set_dictionary(std::string_view dictionary);

    /// The full document: terms, values and compressed data.
    [[nodiscard]] Xapian::Document build(const Article& article);
    /// The same, from the article's JSON (article_to_json) already made, plus extras.
    [[nodiscard]] Xapian::Document build(const Article& article, const std::string& json, const BuildExtras& extras);

    /// Sets the cluster key (slot CLUSTER) and, for an article folded under
    /// another, the XDUP term.
    static void set_cluster(Xapian::Document& doc, const std::string& cluster_key, bool duplicate);

    /// Hash of what the document stores, as kept in schema::kSlotHash: equal
    /// hashes mean re-indexing would change nothing.
    [[nodiscard]] static std::string content_hash(const std::string& stored_json);

  private:
    Xapian::TermGenerator m_termgen;
    ZstdCodec m_codec;
    bool m_positions = true;
};

/// Adds a built document's words to db's spelling table (the searcher's "did you
/// mean"). Called by the one thread that writes db, so builders stay db-free.
void add_spelling_words(const Xapian::Document& doc, Xapian::WritableDatabase& db);

}  // namespace morgue::indexer
