/** @file add_command.h
 *  @brief `morgue-index add`: read inputs, index them, report a summary.
 */
#pragma once

#include "corpus/reader.h"
#include "indexer/month_filter.h"

#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace morgue::indexer {

struct AddOptions {
    std::filesystem::path archive;
    std::vector<std::string> inputs;
    corpus::Format format = corpus::Format::Auto;
    std::vector<corpus::FieldMapping> field_map;  ///< --map FIELD=PATH (JSON inputs)
    bool remove_debris = true;                    ///< learn and drop crawl debris (corpus/debris.h)
    bool strict = false;  ///< stop at the first rejected record
    bool quiet = false;
    std::optional<MonthFilter> months;  ///< only these shards are written; other articles are skipped
};

struct AddSummary {
    std::size_t read = 0;
    std::size_t added = 0;
    std::size_t replaced = 0;
    std::size_t unchanged = 0;
    std::size_t rejected = 0;
    std::size_t skipped_files = 0;
    std::size_t outside_months = 0;  ///< articles skipped because their shard is outside --months
    double seconds = 0;
};

/// Runs an add. Rejected records go to `log` as `FILE:LINE: reason` lines and to
/// the archive's rejects file; the summary counts them.
[[nodiscard]] AddSummary run_add(const AddOptions& options, std::ostream& log);

/// One-line human summary and the JSON form.
[[nodiscard]] std::string summary_text(const AddSummary& s);
[[nodiscard]] std::string summary_json(const AddSummary& s);

}  // namespace morgue::indexer
