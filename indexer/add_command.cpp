/** @file add_command.cpp
 *  @brief The add pipeline: readers -> ArchiveWriter, with rejects kept aside.
 */
#include "indexer/add_command.h"

#include "common/date.h"
#include "common/error.h"
#include "common/text.h"
#include "indexer/archive_writer.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>
#include <fstream>
#include <ostream>

namespace morgue::indexer {

namespace {

/// Thrown inside the sink to stop a --strict run at the first reject.
struct StrictStop {
    std::string message;
};

}  // namespace

AddSummary run_add(const AddOptions& options, std::ostream& log) {
    const auto start = std::chrono::steady_clock::now();
    AddSummary summary;
    ArchiveWriter writer(options.archive);
    std::ofstream rejects;
    auto keep_reject = [&](const corpus::Reject& r) {
        if (!rejects.is_open()) {
            rejects.open(writer.layout().rejects_file(), std::ios::app | std::ios::binary);
            if (!rejects) throw ArchiveError(writer.layout().rejects_file().string() + ": cannot write rejects");
        }
        nlohmann::json j{{"file", r.file}, {"line", r.line}, {"reason", r.reason}, {"raw", r.raw},
                         {"time", format_iso8601(static_cast<UnixTime>(std::time(nullptr)))}};
        // Bytes that are not UTF-8 (binary junk, a cut compressed tail) are kept exactly, in base64.
        if (!text::is_valid_utf8(r.raw)) j["raw_base64"] = text::base64_encode(r.raw);
        rejects << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
        rejects.flush();
    };

    corpus::Sink sink;
    sink.article = [&](Article&& a) {
        ++summary.read;
        if (options.months && !options.months->accepts(ArchiveLayout::shard_name_for(a.date))) {
            ++summary.outside_months;
            return;
        }
        switch (writer.add(a)) {
            case AddOutcome::Added: ++summary.added; break;
            case AddOutcome::Replaced: ++summary.replaced; break;
            case AddOutcome::Unchanged: ++summary.unchanged; break;
        }
    };
    sink.reject = [&](corpus::Reject&& r) {
        ++summary.rejected;
        const std::string where = r.line > 0 ? r.file + ":" + std::to_string(r.line) : r.file;
        log << where << ": " << r.reason << '\n';
        keep_reject(r);
        if (options.strict) throw StrictStop{where + ": " + r.reason};
    };
    sink.skipped = [&](const std::string& file, const std::string& reason) {
        ++summary.skipped_files;
        log << file << ": skipped: " << reason << '\n';
    };

    try {
        corpus::ReadOptions read_options;
        read_options.format = options.format;
        read_options.field_map = options.field_map;
        read_options.remove_debris = options.remove_debris;
        corpus::read_inputs(options.inputs, read_options, sink);
    } catch (const StrictStop& stop) {
        writer.commit();
        throw InputError(stop.message, 0, "rejected (--strict); everything before it was indexed");
    }
    writer.commit();
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
}

std::string summary_text(const AddSummary& s) {
    const double rate = s.seconds > 0 ? static_cast<double>(s.read) / s.seconds : 0.0;
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "added %zu, replaced %zu, unchanged %zu, rejected %zu, skipped files %zu in %.2f s (%.0f articles/s)",
                  s.added, s.replaced, s.unchanged, s.rejected, s.skipped_files, s.seconds, rate);
    std::string out = buf;
    if (s.outside_months > 0) out += ", " + std::to_string(s.outside_months) + " outside --months (skipped)";
    return out;
}

std::string summary_json(const AddSummary& s) {
    nlohmann::json j{{"read", s.read},         {"added", s.added},
                     {"replaced", s.replaced}, {"unchanged", s.unchanged},
                     {"rejected", s.rejected}, {"skipped_files", s.skipped_files},
                     {"outside_months", s.outside_months},
                     {"seconds", s.seconds},
                     {"articles_per_second", s.seconds > 0 ? static_cast<double>(s.read) / s.seconds : 0.0}};
    return j.dump();
}

}  // namespace morgue::indexer
