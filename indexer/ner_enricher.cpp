/** @file ner_enricher.cpp
 *  @brief NER in the add pipeline's worker threads.
 */
#include "indexer/ner_enricher.h"

#include "indexer/ner/entities.h"

namespace morgue::indexer {

namespace {

EntityKind kind_of(ner::EntityType type) noexcept {
    switch (type) {
        case ner::EntityType::Person: return EntityKind::Person;
        case ner::EntityType::Org: return EntityKind::Org;
        case ner::EntityType::Place: return EntityKind::Place;
        case ner::EntityType::Misc: return EntityKind::Misc;
    }
    return EntityKind::Misc;
}

}  // namespace

void add_tagged_entities(const ner::Tagger& tagger, Article& article) {
    // Captions name people and places too ("... in Pyongyang, North Korea"): they are
    // tagged after the body, so they count as mentions but never as the lead.
    std::string text = article.body;
    for (const auto& caption : article.captions) {
        text += "\n\n";
        text += caption;
    }
    const std::vector<ner::Entity> found = ner::extract_entities(tagger, article.title, text);
    const std::size_t given = article.entities.size();
    for (const auto& e : found) {
        if (e.key.empty()) continue;
        const EntityKind kind = kind_of(e.type);
        bool merged = false;
        for (std::size_t i = 0; i < given; ++i) {
            ArticleEntity& g = article.entities[i];
            if (g.kind != kind || g.key != e.key) continue;
            g.mentions = std::max(g.mentions, e.mentions);
            g.in_title = g.in_title || e.in_title;
            g.in_lead = g.in_lead || e.in_lead;
            merged = true;
            break;
        }
        if (merged) continue;
        ArticleEntity a;
        a.kind = kind;
        a.name = e.name;
        a.key = e.key;
        a.mentions = std::max(1, e.mentions);
        a.in_title = e.in_title;
        a.in_lead = e.in_lead;
        a.given = false;
        article.entities.push_back(std::move(a));
    }
}

ArticleEnricher make_ner_enricher(std::shared_ptr<const ner::Tagger> tagger) {
    return [tagger = std::move(tagger)](Article& article) { add_tagged_entities(*tagger, article); };
}

}  // namespace morgue::indexer
