/** @file fuzz_query.cpp
 *  @brief libFuzzer target: query text through the checks, QueryParser, ranking, snippets and facets.
 *
 *  Any query text must end in results or a morgue::Error (QueryError for a bad query), never a
 *  crash, a sanitizer report or another exception. The archive is a small in-memory database
 *  built once from articles with dates, sources and entities, so dates, fields, wildcards,
 *  entity fields and spelling all have something to look up.
 */
#include "common/error.h"
#include "common/schema.h"
#include "indexer/document_builder.h"
#include "searcher/search.h"

#include <xapian.h>

#include <cstddef>
#include <cstdlib>
#include <cstdint>
#include <string>

#include <unistd.h>

namespace {

const Xapian::Database& archive() {
    static const Xapian::Database db = [] {
        // A glass database in a fresh temporary directory (the in-memory backend is deprecated).
        char dir[] = "/tmp/morgue-fuzz-query-XXXXXX";
        if (!mkdtemp(dir)) std::abort();
        Xapian::WritableDatabase w(std::string(dir) + "/db", Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
        w.set_metadata(std::string(morgue::schema::kSchemaVersionKey), std::to_string(morgue::schema::kSchemaVersion));
        morgue::indexer::DocumentBuilder builder;
        const char* titles[] = {"Dock strike halts cargo", "Floods force evacuations", "Kim Jong Un visits factory",
                                "Budget vote delayed", "Ferry sinking off the coast"};
        for (int i = 0; i < 5; ++i) {
            morgue::Article a;
            a.id = "doc-" + std::to_string(i);
            a.title = titles[i];
            a.body = std::string(titles[i]) + ". Officials said the sanctions would stay. Heavy rain fell again.";
            a.source = i % 2 ? "Harbor Wire" : "Reuters";
            if (i != 4) a.date = morgue::UnixTime{1609459200 + i * 86400 * 40};
            morgue::ArticleEntity e;
            e.kind = morgue::EntityKind::Person;
            e.name = "Kim Jong Un";
            e.key = morgue::schema::boolean_key(e.name);
            e.mentions = i + 1;
            a.entities.push_back(e);
            Xapian::Document doc = builder.build(a);
            if (i < 2) doc.add_value(morgue::schema::kSlotCluster, "cluster");
            morgue::indexer::add_legacy_spelling_words(a, w);
            w.replace_document(morgue::schema::make_term(morgue::schema::kPrefixId, a.id), doc);
        }
        w.commit();
        return Xapian::Database(w);
    }();
    return db;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > 4096) return 0;
    const std::string text(reinterpret_cast<const char*>(data), size);
    morgue::searcher::SearchRequest request;
    request.query = text;
    request.limit = 3;
    request.facets = (size % 3) == 0;
    request.sort = static_cast<morgue::searcher::SortOrder>(size % 3);
    if (size % 5 == 0) request.recency_half_life_days = 30;
    try {
        (void)morgue::searcher::search(archive(), request);
        (void)morgue::searcher::count_matches(archive(), text);
    } catch (const morgue::Error&) {
        // A bad query, said so: fine.
    }
    // The same text as a date bound (--from / --to).
    request.query = "strike";
    request.from = text;
    try {
        (void)morgue::searcher::count_matches(archive(), request);
    } catch (const morgue::Error&) {
    }
    return 0;
}
