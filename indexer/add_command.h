/** @file add_command.h
 *  @brief `morgue-index add`: read inputs, index them on every core, report progress and a summary.
 */
#pragma once

#include "common/article.h"
#include "corpus/reader.h"
#include "indexer/document_builder.h"
#include "indexer/month_filter.h"

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <iosfwd>
#include <string>
#include <vector>

namespace morgue::indexer {

/// A stage run on every article in the worker threads, before its document is
/// built (entity tagging plugs in here). Called concurrently from several
/// threads on different articles: it must be thread-safe.
using ArticleEnricher = std::function<void(Article&)>;

enum class Progress {
    None,  ///< nothing until the summary
    Live,  ///< one line rewritten in place (a terminal)
    Log,   ///< a line every few seconds (cron, files)
};

struct AddOptions {
    std::filesystem::path archive;
    std::vector<std::string> inputs;
    corpus::Format format = corpus::Format::Auto;
    std::vector<corpus::FieldMapping> field_map;  ///< --map FIELD=PATH (JSON inputs)
    bool remove_debris = true;                    ///< learn and drop crawl debris (corpus/debris.h)
    bool strict = false;  ///< stop at the first rejected record
    bool quiet = false;
    std::optional<MonthFilter> months;  ///< only these shards are written; other articles are skipped
    bool wait = false;    ///< wait for another writer instead of failing
    unsigned threads = 0; ///< worker threads; 0 = one per core
    std::size_t commit_every = 2000;  ///< documents between checkpoints (all shards)
    bool spelling = true;             ///< fill each shard's spelling table (searcher's "did you mean")
    BuildOptions build;               ///< zstd level, stemming, positions
    std::size_t dict_samples = 4000;  ///< articles a new zstd dictionary is trained on
    std::size_t dict_bytes = 256 * 1024;  ///< measured: docs/BENCHMARKS.md, session 3
    Progress progress = Progress::None;
    double log_interval = 5.0;        ///< seconds between Log lines
    ArticleEnricher enricher;         ///< optional worker stage (NER)
    /// Set (e.g. by a SIGINT handler) to stop reading: what was read is indexed
    /// and committed, and the summary says interrupted.
    const std::atomic<bool>* stop = nullptr;
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
    std::size_t duplicates = 0;      ///< articles written this run folded under an earlier one
    std::size_t raw_bytes = 0;       ///< article JSON read, before compression
    std::size_t stored_bytes = 0;    ///< document data written (zstd frames)
    double peak_rss_mb = 0;
    unsigned threads = 0;
    unsigned run = 0;                ///< add-run number (a resumed run keeps its number)
    bool resumed = false;            ///< continued a run that was killed or interrupted
    bool interrupted = false;        ///< stopped early by `stop`; rerun to finish
    unsigned dictionary_id = 0;
};

/// Runs an add. Rejected records go to `log` as `FILE:LINE: reason` lines and to
/// the archive's rejects file; the summary counts them. Progress lines go to `log`.
[[nodiscard]] AddSummary run_add(const AddOptions& options, std::ostream& log);

/// One-line human summary and the JSON form.
[[nodiscard]] std::string summary_text(const AddSummary& s);
[[nodiscard]] std::string summary_json(const AddSummary& s);

/// Peak resident memory of this process so far, in MB (getrusage).
[[nodiscard]] double peak_rss_mb();

}  // namespace morgue::indexer
