/** @file test_mapped_reads.cpp
 *  @brief Xapian's block reads from memory maps (searcher/mapped_reads.h): the same answers
 *         as pread, reads past a map's end (a writer grew the file) still correct, maps
 *         dropped on close, and nothing mapped outside a scope or for a writer.
 */
#include "searcher/mapped_reads.h"
#include "test_helpers.h"

#include <doctest/doctest.h>
#include <xapian.h>

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <string>
#include <vector>

using namespace morgue;
using searcher::MappedReadsScope;
using searcher::mapped_read_counts;

namespace {

/// Adds documents first..last-1 (each with a few shared words and one of its own) and commits.
void add_docs(Xapian::WritableDatabase& db, int first, int last) {
    for (int i = first; i < last; ++i) {
        Xapian::Document doc;
        doc.set_data("document " + std::to_string(i) + std::string(200, 'x'));
        doc.add_term("Qdoc" + std::to_string(i));
        doc.add_term(i % 2 == 0 ? "even" : "odd");
        doc.add_term(i % 7 == 0 ? "seventh" : "other");
        for (int w = 0; w < 30; ++w) {
            std::string word("w");  // (not "w" + ...: g++ 12 warns falsely of an overlap)
            word += std::to_string((i * 31 + w) % 997);
            doc.add_term(word, static_cast<Xapian::termcount>(1 + (i + w) % 3));
        }
        db.add_document(doc);
    }
    db.commit();
}

/// A new glass database of `count` documents in a fresh scratch directory.
std::filesystem::path new_database(const std::string& name, int count) {
    const auto dir = test::scratch(name);
    Xapian::WritableDatabase w(dir.string(), Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
    add_docs(w, 0, count);
    return dir;
}

/// Every answer a reader gives that touches the posting, term and data tables.
std::vector<std::string> answers(const Xapian::Database& db) {
    std::vector<std::string> out;
    out.push_back(std::to_string(db.get_doccount()) + " " + std::to_string(db.get_termfreq("even")));
    Xapian::Enquire e(db);
    e.set_query(Xapian::Query(Xapian::Query::OP_AND, Xapian::Query("seventh"), Xapian::Query("w5")));
    const Xapian::MSet m = e.get_mset(0, 20);
    out.push_back(std::to_string(m.get_matches_estimated()));
    for (auto it = m.begin(); it != m.end(); ++it) out.push_back(std::to_string(*it) + ":" + it.get_document().get_data());
    auto t = db.termlist_begin(1234);
    out.push_back(*t);
    return out;
}

}  // namespace

TEST_CASE("reads from memory maps answer exactly as pread, and follow a writer that grows the files") {
    const auto dir = new_database("mapped_reads", 6000);
    // Without a scope nothing is mapped.
    const auto c0 = mapped_read_counts();
    std::vector<std::string> plain;
    {
        const Xapian::Database db(dir.string());
        plain = answers(db);
    }
    const auto c1 = mapped_read_counts();
    CHECK(c1.files == c0.files);
    CHECK(c1.mapped == c0.mapped);
    CHECK(c1.passed > c0.passed);

    const MappedReadsScope scope;
    std::vector<std::string> mapped;
    {
        const Xapian::Database db(dir.string());
        mapped = answers(db);
    }
    const auto c2 = mapped_read_counts();
    CHECK(c2.files > c1.files);    // the table files big enough to map
    CHECK(c2.mapped > c1.mapped);  // and the blocks read from them
    CHECK(mapped == plain);

    // A writer (never mapped) grows the files under an open, mapped reader; after reopen the
    // reader reads blocks past its maps' ends with pread and sees every new document.
    Xapian::Database reader(dir.string());
    const auto before_reopen = answers(reader);
    CHECK(before_reopen == plain);
    const auto c3 = mapped_read_counts();
    {
        Xapian::WritableDatabase w(dir.string(), Xapian::DB_OPEN);
        CHECK(mapped_read_counts().files == c3.files);
        add_docs(w, 6000, 20000);
    }
    reader.reopen();
    const auto grown = answers(reader);
    CHECK(reader.get_doccount() == 20000);
    CHECK(grown.front() == "20000 10000");
    CHECK(mapped_read_counts().passed > c3.passed);
    // A reader opened now maps the grown files whole, and agrees.
    {
        const Xapian::Database fresh(dir.string());
        CHECK(answers(fresh) == grown);
    }
}

TEST_CASE("a closed database's maps go with it: open and close many times") {
    const auto dir = new_database("mapped_reads_reopen", 3000);
    const MappedReadsScope scope;
    const auto c0 = mapped_read_counts();
    std::vector<std::string> first;
    for (int round = 0; round < 50; ++round) {
        const Xapian::Database db(dir.string());
        const auto a = answers(db);
        if (round == 0) first = a;
        CHECK(a == first);
    }
    const auto c1 = mapped_read_counts();
    CHECK((c1.files - c0.files) % 50 == 0);  // the same files mapped again each round
    CHECK(c1.files > c0.files);
}

TEST_CASE("a mapped table cut short beneath its reader: Xapian's error, as with pread, not a crash") {
    const auto dir = new_database("mapped_reads_truncated", 6000);
    const MappedReadsScope scope;
    const auto c0 = mapped_read_counts();
    Xapian::Database db(dir.string());
    CHECK(db.get_doccount() == 6000);
    CHECK(mapped_read_counts().files > c0.files);
    // In place, as `cp` over the file would: the map now reaches past the file's end.
    const auto postlist = dir / "postlist.glass";
    REQUIRE(std::filesystem::file_size(postlist) > 64 * 1024);
    std::filesystem::resize_file(postlist, 16 * 1024);
    std::string error;
    try {
        for (int i = 0; i < 997; ++i) {
            Xapian::Enquire e(db);
            std::string word("w");
            word += std::to_string(i);
            e.set_query(Xapian::Query(word));
            (void)e.get_mset(0, 10);
        }
    } catch (const Xapian::Error& e) {
        error = e.get_description();
    }
    INFO("Xapian said: " << error);
    CHECK_FALSE(error.empty());
    CHECK(mapped_read_counts().faults > c0.faults);
}

TEST_CASE("a SIGBUS that is no copy out of a map still kills, as by default") {
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        signal(SIGBUS, SIG_DFL);  // (not the test framework's handler)
        const MappedReadsScope scope;
        raise(SIGBUS);
        _exit(0);
    }
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGBUS);
}
