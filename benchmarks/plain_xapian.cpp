/** @file plain_xapian.cpp
 *  @brief A plain Xapian writer: TermGenerator, add_document, commit every N.
 */
#include "benchmarks/plain_xapian.h"

#include "common/error.h"
#include "indexer/compact.h"

#include <nlohmann/json.hpp>
#include <sys/resource.h>
#include <xapian.h>

#include <chrono>
#include <filesystem>
#include <fstream>

namespace morgue::bench {

namespace {

double cpu_now() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace

PlainXapianReport run_plain_xapian(const std::string& input, const std::string& path, std::uint64_t limit,
                                   std::uint64_t commit_every) {
    if (std::filesystem::exists(path) && !std::filesystem::is_empty(path))
        throw UsageError("plain-xapian: " + path + " is not empty: the run would not measure a fresh build");
    std::ifstream in(input, std::ios::binary);
    if (!in) throw InputError(input, 0, "cannot open");
    PlainXapianReport r;
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = cpu_now();
    try {
        Xapian::WritableDatabase db(path, Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
        Xapian::TermGenerator tg;
        tg.set_stemmer(Xapian::Stem("english"));
        std::uint64_t line_no = 0;
        for (std::string line; (limit == 0 || r.articles < limit) && std::getline(in, line);) {
            ++line_no;
            if (line.empty()) continue;
            nlohmann::json j;
            try {
                j = nlohmann::json::parse(line);
            } catch (const nlohmann::json::exception& e) {
                throw InputError(input, line_no, std::string("not JSON: ") + e.what());
            }
            const std::string title = j.value("title", ""), body = j.value("body", "");
            Xapian::Document doc;
            tg.set_document(doc);
            tg.index_text(title, 1, "S");
            tg.index_text(title);
            tg.increase_termpos();
            tg.index_text(body);
            doc.set_data(line);
            db.add_document(doc);
            ++r.articles;
            r.raw_text_bytes += title.size() + body.size();
            if (r.articles % commit_every == 0) db.commit();
        }
        db.commit();
    } catch (const Xapian::Error& e) {
        throw ArchiveError(path + ": " + e.get_description());
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    r.cpu_seconds = cpu_now() - c0;
    r.database_bytes = indexer::directory_bytes(path);
    return r;
}

std::string plain_xapian_json(const PlainXapianReport& r) {
    return nlohmann::json{{"articles", r.articles},
                          {"raw_text_bytes", r.raw_text_bytes},
                          {"seconds", r.seconds},
                          {"cpu_seconds", r.cpu_seconds},
                          {"articles_per_s", r.seconds > 0 ? static_cast<double>(r.articles) / r.seconds : 0.0},
                          {"database_bytes", r.database_bytes}}
        .dump();
}

}  // namespace morgue::bench
