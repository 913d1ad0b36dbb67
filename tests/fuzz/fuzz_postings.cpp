/** @file fuzz_postings.cpp
 *  @brief libFuzzer target: a shard's `morgue.postings` as a damaged disk could hold it.
 *
 *  The searcher maps the file and walks its lists (common/postings_file.h): bad bytes must end
 *  in morgue::Error, never a crash or a read outside the file. The input is written to a file,
 *  opened, and every list it names is looked up, walked to its end and sought through.
 */
#include "common/error.h"
#include "common/postings_file.h"

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path = "/tmp/fuzz_postings." + std::to_string(getpid());
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    try {
        const auto file = morgue::PostingsFile::open(path);
        if (!file) return 0;
        for (std::uint64_t i = 0; i < file->terms() && i < 64; ++i) {
            const auto list = file->find(file->term_at(i));
            if (!list) continue;
            morgue::PostingsCursor walk(*list);
            std::uint64_t sum = 0;
            for (std::uint32_t n = 0; !walk.at_end() && n < 100000; walk.next(), ++n) sum += walk.docid() + walk.wdf();
            morgue::PostingsCursor seek(*list);
            for (Xapian::docid target = 1; target < 5000 && !seek.at_end(); target += 1 + static_cast<Xapian::docid>(sum % 97))
                if (seek.seek(target)) sum += seek.wdf();
        }
    } catch (const morgue::Error&) {
    }
    return 0;
}
