/** @file article.h
 *  @brief Article: one news story as every module sees it, and its stored form.
 *
 *  Readers in corpus/ produce Articles; the indexer turns them into Xapian
 *  documents and keeps the whole Article, serialised and zstd-compressed, as the
 *  document data; the searcher decodes it again for display and snippets.
 */
#pragma once

#include "common/date.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace morgue {

/// The kinds of named entity Morgue indexes (CoNLL's PER, ORG, LOC, MISC).
enum class EntityKind { Person, Org, Place, Misc };

/// User-facing name of a kind: "person", "org", "place", "misc".
[[nodiscard]] std::string_view entity_kind_name(EntityKind kind) noexcept;
/// Inverse of entity_kind_name; nullopt for anything else.
[[nodiscard]] std::optional<EntityKind> entity_kind_from_name(std::string_view name) noexcept;

/// A named entity of one article, after in-document resolution.
struct ArticleEntity {
    EntityKind kind = EntityKind::Misc;
    std::string name;    ///< display form, as first written in full
    std::string key;     ///< canonical key (see common/entity_key.h once present; lower-case otherwise)
    int mentions = 1;    ///< how often the article mentions it
    bool in_title = false;
    bool in_lead = false;
    bool given = false;  ///< from the collection's own metadata rather than the tagger
};

struct Article {
    std::string id;        ///< stable id: the record's own, else canonical URL, else a content hash
    std::string url;
    std::string title;
    std::string body;
    std::optional<UnixTime> date;  ///< publication time, UTC; nullopt when undated
    std::string source;    ///< publisher or collection ("Reuters", "example-wire")
    std::vector<std::string> authors;
    std::string language;  ///< ISO 639-1 where known ("en")
    std::string dateline;  ///< e.g. "WASHINGTON, Feb 26 -"
    std::vector<std::string> captions;  ///< photo captions and credits, kept apart from the body
    std::vector<std::string> topics;    ///< collection topic codes (Reuters TOPICS, RCV1 codes)
    std::vector<ArticleEntity> entities;
    std::string origin;    ///< "file:line" it was read from; not stored
};

/// Serialises an Article (all fields but origin) to compact JSON text.
[[nodiscard]] std::string article_to_json(const Article& article);
/// The same text through nlohmann's DOM (which replaces invalid UTF-8 with U+FFFD): what
/// article_to_json falls back to for invalid UTF-8, and what the tests compare it with.
[[nodiscard]] std::string article_to_json_reference(const Article& article);
/// Inverse of article_to_json; throws morgue::Error on malformed input.
[[nodiscard]] Article article_from_json(std::string_view json);

}  // namespace morgue
