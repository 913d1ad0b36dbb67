/** @file test_glass_compression.cpp
 *  @brief Which glass tags zlib compresses under each GlassCompressionScope (the archive-level
 *         check, add then compact, is in test_nightly.cpp).
 */
#include "common/stored_article.h"
#include "common/zstd_codec.h"
#include "indexer/glass_compression.h"
#include "test_helpers.h"

#include <doctest/doctest.h>
#include <xapian.h>

#include <filesystem>

using namespace morgue;
using indexer::GlassCompression;
using indexer::GlassCompressionScope;

namespace {

/// One document with a long, very compressible data tag and many terms, in a new database at dir.
void write_one(const std::filesystem::path& dir, const std::string& data) {
    Xapian::WritableDatabase db(dir.string(), Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
    Xapian::Document doc;
    doc.set_data(data);
    for (int i = 0; i < 400; ++i) doc.add_term("Zword" + std::to_string(i));
    db.add_document(doc);
    db.commit();
}

std::string read_one(const std::filesystem::path& dir) {
    const Xapian::Database db(dir.string());
    return db.get_document(1).get_data();
}

std::string long_text() {
    std::string text;
    while (text.size() < 40000) text += "The dockers of Halifax met again on Tuesday to talk about the strike. ";
    return text;
}

}  // namespace

TEST_CASE("glass tags: the scope decides what zlib sees, and every tag reads back") {
    const auto dir = test::scratch("glass_compression");
    const std::string text = long_text();

    const auto before = indexer::glass_deflate_counts();
    write_one(dir / "xapian", text);
    const auto after_xapian = indexer::glass_deflate_counts();
    CHECK(after_xapian.passed >= before.passed + 2);  // the data and the term list
    CHECK(after_xapian.skipped == before.skipped);
    {
        const GlassCompressionScope none(GlassCompression::None);
        write_one(dir / "none", text);
    }
    const auto after_none = indexer::glass_deflate_counts();
    CHECK(after_none.passed == after_xapian.passed);
    CHECK(after_none.skipped >= after_xapian.skipped + 2);
    // Stored as they are: the uncompressed data takes blocks the compressed did not.
    CHECK(std::filesystem::file_size(dir / "none" / "docdata.glass") >
          std::filesystem::file_size(dir / "xapian" / "docdata.glass"));
    CHECK(read_one(dir / "none") == text);
    CHECK(read_one(dir / "xapian") == text);
    {
        const Xapian::Database db((dir / "none").string());
        CHECK(db.get_doclength(1) == 400);
        CHECK(db.get_termfreq("Zword399") == 1);
    }

    // Not stored articles: Morgue's document data skips zlib, anything else does not.
    ZstdCodec codec(3);
    const std::string stored = encode_stored_article("{\"id\":\"a1\",\"body\":\"" + text + "\"}", codec, "sketch");
    const auto before_stored = indexer::glass_deflate_counts();
    {
        const GlassCompressionScope scope(GlassCompression::NotStoredArticles);
        write_one(dir / "stored", stored);
        const auto mid = indexer::glass_deflate_counts();
        CHECK(mid.skipped == before_stored.skipped + 1);  // the data
        CHECK(mid.passed >= before_stored.passed + 1);    // the term list
        write_one(dir / "plain", text);
        CHECK(indexer::glass_deflate_counts().skipped == mid.skipped);
    }
    CHECK(read_one(dir / "stored") == stored);
    CHECK(decode_stored_article(read_one(dir / "stored"), codec).id == "a1");
    // The scope ends: Xapian decides again.
    const auto end = indexer::glass_deflate_counts();
    write_one(dir / "again", text);
    CHECK(indexer::glass_deflate_counts().skipped == end.skipped);
}
