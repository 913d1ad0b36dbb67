/** @file archive_layout.cpp
 *  @brief Shard naming, discovery and the stub file.
 */
#include "common/archive_layout.h"

#include "common/error.h"

#include <algorithm>
#include <fstream>

namespace morgue {

std::string ArchiveLayout::shard_name_for(std::optional<UnixTime> date) {
    return date ? format_year_month(*date) : std::string(kUndatedShard);
}

std::vector<std::string> ArchiveLayout::list_shards() const {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(m_dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || name[0] == '.') continue;
        if (entry.is_directory(ec) && std::filesystem::exists(entry.path() / "iamglass", ec)) out.push_back(name);
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::string> ArchiveLayout::read_stub() const {
    std::vector<std::string> out;
    std::ifstream in(stub());
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        const auto space = line.find(' ');
        if (space == std::string::npos) continue;
        std::string name = line.substr(space + 1);
        while (!name.empty() && (name.back() == '\r' || name.back() == ' ')) name.pop_back();
        if (!name.empty()) out.push_back(std::move(name));
    }
    return out;
}

void ArchiveLayout::write_stub(const std::vector<std::string>& shards) const {
    const auto tmp = m_dir / ".XAPIANDB.tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        if (!out) throw ArchiveError(tmp.string() + ": cannot write the archive stub");
        out << "# Morgue archive stub: one line per shard (Xapian stub-file syntax).\n";
        for (const auto& s : shards) out << "glass " << s << '\n';
        out.flush();
        if (!out) throw ArchiveError(tmp.string() + ": cannot write the archive stub");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, stub(), ec);
    if (ec) throw ArchiveError(stub().string() + ": cannot replace the archive stub: " + ec.message());
}

}  // namespace morgue
