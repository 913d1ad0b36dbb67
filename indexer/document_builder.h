/** @file document_builder.h
 *  @brief Article -> Xapian::Document, driven by the schema table (common/schema.h).
 */
#pragma once

#include "common/article.h"
#include "common/zstd_codec.h"

#include <xapian.h>

#include <string>

namespace morgue::indexer {

/// Builds documents; owns a TermGenerator and a zstd codec, so one per thread.
class DocumentBuilder {
  public:
    explicit DocumentBuilder(int zstd_level = 3);

    /// The full document: terms, values and compressed data.
    [[nodiscard]] Xapian::Document build(const Article& article);

    /// Hash of what the document stores, as kept in schema::kSlotHash: equal
    /// hashes mean re-indexing would change nothing.
    [[nodiscard]] static std::string content_hash(const std::string& stored_json);

  private:
    Xapian::TermGenerator m_termgen;
    ZstdCodec m_codec;
};

/// Adds a built document's words to db's spelling table (the searcher's "did you
/// mean"). Called by the one thread that writes db, so builders stay db-free.
void add_spelling_words(const Xapian::Document& doc, Xapian::WritableDatabase& db);

}  // namespace morgue::indexer
