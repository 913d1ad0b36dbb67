/** @file test_remote_units.cpp
 *  @brief Stub files with remote shards, --months filters, and the stub command.
 */
#include "common/error.h"
#include "common/stub_file.h"
#include "indexer/month_filter.h"
#include "indexer/stub_command.h"
#include "test_helpers.h"

#include <doctest/doctest.h>

#include <fstream>

using namespace morgue;

namespace {

void write(const std::filesystem::path& p, const std::string& text) {
    std::ofstream out(p);
    out << text;
}

}  // namespace

TEST_CASE("a stub file lists local and remote shards in Xapian's syntax") {
    const auto dir = test::scratch("stub_read");
    write(dir / "s", "# joined\n\nglass 2021-01\nauto /srv/replica/2021-02\nremote db3.example:33333\n"
                     "remote :ssh db4 xapian-progsrv /srv/a\n");
    const auto e = read_stub(dir / "s");
    REQUIRE(e.size() == 4);
    CHECK(e[0].kind == StubEntry::Kind::Local);
    CHECK(e[0].backend == "glass");
    CHECK(e[0].resolved_path == (dir / "2021-01").string());
    CHECK(e[0].line == 3);
    CHECK(e[1].resolved_path == "/srv/replica/2021-02");
    CHECK(e[2].kind == StubEntry::Kind::Tcp);
    CHECK(e[2].name() == "db3.example:33333");
    CHECK(e[2].stub_line() == "remote db3.example:33333");
    CHECK(e[3].kind == StubEntry::Kind::Program);
    CHECK(e[3].path == "ssh");
    CHECK(e[3].args == "db4 xapian-progsrv /srv/a");
    CHECK(e[3].stub_line() == "remote :ssh db4 xapian-progsrv /srv/a");
}

TEST_CASE("bad stub lines are named by file and line") {
    const auto dir = test::scratch("stub_bad");
    const auto check = [&](const std::string& text, const std::string& want) {
        write(dir / "s", text);
        try {
            (void)read_stub(dir / "s");
            FAIL("no error for: " << text);
        } catch (const ArchiveError& e) {
            CHECK_MESSAGE(std::string(e.what()).find(want) != std::string::npos, e.what());
        }
    };
    check("glass a\nremote dbhost\n", "s:2: remote shard: expected HOST:PORT");  // Xapian ignores it silently
    check("remote h:0\n", "s:1: remote shard: bad port '0'");
    check("remote h:99999\n", "bad port");
    check("remote h:12x\n", "bad port");
    check("inmemory\n", "s:1: unknown database type 'inmemory'");
    check("glass\n", "s:1: 'glass' needs a path");
    CHECK_THROWS_AS((void)read_stub(dir / "missing"), ArchiveError);
    CHECK_THROWS_AS((void)parse_remote_address(":4000"), UsageError);
    CHECK(parse_remote_address("127.0.0.1:4000").port == 4000);
}

TEST_CASE("--months picks shards by name") {
    const auto f = indexer::MonthFilter::parse("1987-01..1987-03,1990-07,1999-11..,undated");
    CHECK(f.accepts("1987-01"));
    CHECK(f.accepts("1987-03"));
    CHECK_FALSE(f.accepts("1987-04"));
    CHECK_FALSE(f.accepts("1986-12"));
    CHECK(f.accepts("1990-07"));
    CHECK_FALSE(f.accepts("1990-08"));
    CHECK(f.accepts("2030-01"));
    CHECK(f.accepts("undated"));
    CHECK_FALSE(indexer::MonthFilter::parse("..1987-02").accepts("undated"));
    CHECK(indexer::MonthFilter::parse("..1987-02").accepts("1900-01"));
    for (const char* bad : {"", "1987", "1987-13", "1987-03..1987-01", "..", "1987-01..x", "1987-1"})
        CHECK_THROWS_AS((void)indexer::MonthFilter::parse(bad), UsageError);
}

TEST_CASE("morgue-index stub joins shard folders, replicas and remote servers") {
    const auto dir = test::scratch("stub_cmd");
    std::filesystem::create_directories(dir / "a" / "1987-01");
    write(dir / "a" / "1987-01" / "iamglass", "");
    std::filesystem::create_directories(dir / "replica" / "1987-02");
    write(dir / "replica" / "1987-02" / "XAPIANDB", "auto replica_1\n");
    std::filesystem::create_directories(dir / "replica" / "1987-03");
    write(dir / "replica" / "1987-03" / "iamglass", "");
    indexer::StubOptions o;
    o.out = dir / "all.stub";
    o.local = {(dir / "a" / "1987-01").string(), (dir / "replica").string()};
    o.remote = {"10.0.0.7:33333"};
    (void)indexer::run_stub(o);
    const auto e = read_stub(o.out);
    REQUIRE(e.size() == 4);
    CHECK(e[0].stub_line() == "glass a/1987-01");
    CHECK(e[1].stub_line() == "auto replica/1987-02");
    CHECK(e[2].stub_line() == "glass replica/1987-03");
    CHECK(e[3].stub_line() == "remote 10.0.0.7:33333");
    o.local = {"/nonexistent-morgue"};
    CHECK_THROWS_AS((void)indexer::run_stub(o), ArchiveError);
    o.local.clear();
    o.remote = {"nohost"};
    CHECK_THROWS_AS((void)indexer::run_stub(o), UsageError);
    o.remote.clear();
    CHECK_THROWS_AS((void)indexer::run_stub(o), UsageError);
}
