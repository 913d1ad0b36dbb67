/** @file ner_enricher.h
 *  @brief The indexer's entity stage: tags each article with the NER model and merges what it finds
 *         with the entities the collection itself gave (Reuters, NewsML metadata).
 */
#pragma once

#include "indexer/add_command.h"
#include "indexer/ner/tagger.h"

#include <memory>

namespace morgue::indexer {

/// Adds the tagger's entities to article.entities. An entity the collection already
/// gave (same kind and key) keeps its given flag and gains the tagger's mentions and
/// title/lead flags; the rest are appended, most salient first.
void add_tagged_entities(const ner::Tagger& tagger, Article& article);

/// An ArticleEnricher (thread-safe) sharing one loaded tagger.
[[nodiscard]] ArticleEnricher make_ner_enricher(std::shared_ptr<const ner::Tagger> tagger);

}  // namespace morgue::indexer
