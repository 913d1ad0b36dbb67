/** @file archive_writer.cpp
 *  @brief Shard routing, idempotent replace, explicit commits.
 */
#include "indexer/archive_writer.h"

#include "common/error.h"
#include "common/schema.h"

#include <iostream>

namespace morgue::indexer {

ArchiveWriter::ArchiveWriter(const std::filesystem::path& archive_dir, WriterOptions options)
    : m_layout(archive_dir), m_options(options), m_builder(options.zstd_level) {
    std::error_code ec;
    std::filesystem::create_directories(m_layout.state_dir(), ec);
    if (ec) throw ArchiveError(m_layout.dir().string() + ": cannot create archive directory: " + ec.message());
    if (!std::filesystem::exists(m_layout.stub())) m_layout.write_stub(m_layout.list_shards());
}

ArchiveWriter::~ArchiveWriter() {
    try {
        commit();
    } catch (const std::exception& e) {
        std::cerr << "morgue: commit at close failed: " << e.what() << '\n';
    } catch (const Xapian::Error& e) {
        std::cerr << "morgue: commit at close failed: " << e.get_description() << '\n';
    }
}

Xapian::WritableDatabase& ArchiveWriter::shard(const std::string& name) {
    auto it = m_shards.find(name);
    if (it != m_shards.end()) return it->second;
    const auto path = m_layout.shard_path(name);
    const bool fresh = !std::filesystem::exists(path / "iamglass");
    try {
        Xapian::WritableDatabase db(path.string(), Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
        if (fresh) {
            db.set_metadata(std::string(schema::kSchemaVersionKey), std::to_string(schema::kSchemaVersion));
            db.commit();
            auto shards = m_layout.list_shards();
            m_layout.write_stub(shards);
        } else {
            const std::string version = db.get_metadata(std::string(schema::kSchemaVersionKey));
            if (version != std::to_string(schema::kSchemaVersion))
                throw ArchiveError(path.string() + ": shard has schema version '" + version + "', expected " +
                                   std::to_string(schema::kSchemaVersion));
        }
        return m_shards.emplace(name, std::move(db)).first->second;
    } catch (const Xapian::Error& e) {
        throw ArchiveError(path.string() + ": " + e.get_description());
    }
}

AddOutcome ArchiveWriter::add(const Article& article) {
    const std::string name = ArchiveLayout::shard_name_for(article.date);
    Xapian::WritableDatabase& db = shard(name);
    try {
        Xapian::Document doc = m_builder.build(article);
        const std::string id_term = schema::make_term(schema::kPrefixId, article.id);
        AddOutcome outcome = AddOutcome::Added;
        auto pl = db.postlist_begin(id_term);
        if (pl != db.postlist_end(id_term)) {
            const Xapian::Document old = db.get_document(*pl);
            if (old.get_value(schema::kSlotHash) == doc.get_value(schema::kSlotHash)) return AddOutcome::Unchanged;
            outcome = AddOutcome::Replaced;
        }
        if (m_options.spelling) add_spelling_words(doc, db);
        db.replace_document(id_term, doc);
        if (++m_pending[name] >= m_options.commit_every) {
            db.commit();
            m_pending[name] = 0;
        }
        return outcome;
    } catch (const Xapian::Error& e) {
        throw ArchiveError(m_layout.shard_path(name).string() + ": " + e.get_description());
    }
}

void ArchiveWriter::commit() {
    for (auto& [name, db] : m_shards) {
        try {
            db.commit();
            m_pending[name] = 0;
        } catch (const Xapian::Error& e) {
            throw ArchiveError(m_layout.shard_path(name).string() + ": " + e.get_description());
        }
    }
}

}  // namespace morgue::indexer
