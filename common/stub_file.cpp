/** @file stub_file.cpp
 *  @brief Stub-file parsing with Xapian 1.4's rules, and atomic writing.
 */
#include "common/stub_file.h"

#include "common/error.h"

#include <charconv>
#include <fstream>

namespace morgue {

namespace {

std::string trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string_view::npos) return {};
    const auto e = s.find_last_not_of(" \t\r");
    return std::string(s.substr(b, e - b + 1));
}

/// "host:port" -> entry, or an empty reason on success.
std::string split_address(std::string_view text, StubEntry& out) {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return "expected HOST:PORT";
    out.kind = StubEntry::Kind::Tcp;
    out.host = std::string(text.substr(0, colon));
    if (out.host.empty()) return "a TCP shard needs its host (HOST:PORT; Xapian reads ':X' as a program)";
    if (out.host.find(' ') != std::string::npos) return "a host name has no spaces";
    const std::string_view port = text.substr(colon + 1);
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535)
        return "bad port '" + std::string(port) + "' (1..65535)";
    out.port = value;
    return {};
}

}  // namespace

std::string StubEntry::name() const {
    switch (kind) {
        case Kind::Tcp: return host + ":" + std::to_string(port);
        case Kind::Program: return args.empty() ? path : path + " " + args;
        case Kind::Local: break;
    }
    return resolved_path.empty() ? path : resolved_path;
}

std::string StubEntry::stub_line() const {
    switch (kind) {
        case Kind::Tcp: return "remote " + host + ":" + std::to_string(port);
        case Kind::Program: return "remote :" + path + (args.empty() ? "" : " " + args);
        case Kind::Local: break;
    }
    return backend + " " + path;
}

StubEntry parse_remote_address(std::string_view text) {
    StubEntry e;
    const std::string reason = split_address(trim(text), e);
    if (!reason.empty()) throw UsageError("'" + std::string(text) + "': " + reason);
    return e;
}

std::vector<StubEntry> read_stub(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw ArchiveError(file.string() + ": cannot read the stub file");
    const std::filesystem::path base = std::filesystem::absolute(file).parent_path();
    std::vector<StubEntry> out;
    int line_no = 0;
    for (std::string raw; std::getline(in, raw);) {
        ++line_no;
        // Xapian skips empty lines and lines starting with '#'; so do we.
        if (raw.empty() || raw[0] == '#') continue;
        if (!raw.empty() && raw.back() == '\r') raw.pop_back();
        const auto where = [&](const std::string& reason) {
            return ArchiveError(file.string() + ":" + std::to_string(line_no) + ": " + reason);
        };
        const auto space = raw.find(' ');
        const std::string type = raw.substr(0, space);
        const std::string rest = space == std::string::npos ? std::string() : raw.substr(space + 1);
        StubEntry e;
        e.line = line_no;
        if (type == "glass" || type == "chert" || type == "auto") {
            if (rest.empty()) throw where("'" + type + "' needs a path");
            e.backend = type;
            e.path = rest;
            const std::filesystem::path p(rest);
            e.resolved_path = (p.is_absolute() ? p : base / p).lexically_normal().string();
        } else if (type == "remote") {
            if (!rest.empty() && rest[0] == ':') {
                const auto sp = rest.find(' ');
                e.kind = StubEntry::Kind::Program;
                e.path = rest.substr(1, sp == std::string::npos ? std::string::npos : sp - 1);
                if (sp != std::string::npos) e.args = rest.substr(sp + 1);
                if (e.path.empty()) throw where("'remote :' needs a program");
            } else {
                const std::string reason = split_address(rest, e);
                if (!reason.empty()) throw where("remote shard: " + reason);
            }
        } else {
            throw where("unknown database type '" + type + "' (glass, auto, chert or remote)");
        }
        out.push_back(std::move(e));
    }
    return out;
}

void write_stub_file(const std::filesystem::path& file, const std::vector<StubEntry>& entries,
                     const std::string& comment) {
    auto tmp = file;
    tmp += ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        if (!out) throw ArchiveError(tmp.string() + ": cannot write the stub file");
        if (!comment.empty()) out << "# " << comment << '\n';
        for (const auto& e : entries) out << e.stub_line() << '\n';
        out.flush();
        if (!out) throw ArchiveError(tmp.string() + ": cannot write the stub file");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, file, ec);
    if (ec) throw ArchiveError(file.string() + ": cannot replace the stub file: " + ec.message());
}

}  // namespace morgue
