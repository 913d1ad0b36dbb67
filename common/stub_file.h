/** @file stub_file.h
 *  @brief Reading and writing Xapian stub files, remote shards included.
 *
 *  A stub file lists databases, one a line, in Xapian 1.4's own syntax, so that
 *  Xapian::Database(stub), quest and xapian-delve open it too:
 *
 *    # comment
 *    glass 2021-01                 a local glass database (relative to the stub's folder)
 *    auto /srv/replica/2021-02     a local database of any kind (a replica is a stub folder)
 *    remote db3.example:33333      a database served by xapian-tcpsrv over TCP
 *    remote :ssh db4 xapian-progsrv /srv/a   a program speaking the remote protocol on stdin/stdout
 *
 *  Note Xapian's rule: `remote :X` (leading colon) runs the program X; a TCP
 *  shard always needs its host (`remote 127.0.0.1:33333`). A `remote` line with
 *  no colon at all is silently skipped by Xapian; we reject it.
 */
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace morgue {

struct StubEntry {
    enum class Kind { Local, Tcp, Program };
    Kind kind = Kind::Local;
    std::string backend = "auto";  ///< Local: "glass", "chert" or "auto"
    std::string path;              ///< Local: as written; Program: the program
    std::string resolved_path;     ///< Local: path made absolute against the stub's folder
    std::string host;              ///< Tcp
    unsigned port = 0;             ///< Tcp
    std::string args;              ///< Program: its arguments
    int line = 0;                  ///< line in the stub file, 0 if not read from one

    [[nodiscard]] bool remote() const noexcept { return kind != Kind::Local; }
    /// How errors name the shard: "host:port", "prog args" or the local path.
    [[nodiscard]] std::string name() const;
    /// The stub-file line for this entry (without newline).
    [[nodiscard]] std::string stub_line() const;
};

/// Parses "HOST:PORT" (host required, port 1..65535); throws UsageError naming the text.
[[nodiscard]] StubEntry parse_remote_address(std::string_view text);

/// Reads a stub file. Throws ArchiveError "FILE:LINE: reason" on a line Xapian
/// would reject or silently ignore.
[[nodiscard]] std::vector<StubEntry> read_stub(const std::filesystem::path& file);

/// Writes a stub file atomically (temporary file, then rename), with a comment header.
void write_stub_file(const std::filesystem::path& file, const std::vector<StubEntry>& entries,
                     const std::string& comment);

}  // namespace morgue
