/** @file add_command.cpp
 *  @brief The add pipeline: reader -> worker threads -> one in-order writer, with rejects kept aside.
 *
 *  main thread   reads the inputs (corpus::read_path), numbers the articles and
 *                hands them on in batches through a bounded queue; before the
 *                archive has a zstd dictionary, the first dict_samples articles
 *                are held back and a dictionary is trained on them.
 *  workers (N)   enrich (the ArticleEnricher hook, e.g. NER), hash, look the id
 *                and the fingerprint up in the start-of-run snapshot, compress
 *                and build the document; unchanged articles are never built.
 *  writer        applies the batches in input order (ArchiveWriter) and commits
 *                at checkpoints. Memory is bounded by the queues, the reorder
 *                window and the checkpoint interval, whatever the input size.
 */
#include "indexer/add_command.h"

#include "common/date.h"
#include "common/error.h"
#include "common/schema.h"
#include "common/text.h"
#include "indexer/archive_writer.h"
#include "indexer/glass_compression.h"
#include "indexer/write_lock.h"

#include <nlohmann/json.hpp>
#include <sys/resource.h>

#include <chrono>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <exception>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <ostream>
#include <sstream>
#include <thread>

namespace morgue::indexer {

namespace {

using Clock = std::chrono::steady_clock;

/// Thrown inside the sink to stop a --strict run at the first reject.
struct StrictStop {
    std::string message;
};
/// Thrown inside the sink when the run is asked to stop (signal) or a thread failed.
struct StopReading {};

constexpr std::size_t k_batch = 64;

struct Batch {
    std::uint64_t index = 0;
    std::uint64_t first_seq = 0;
    std::vector<Article> articles;
};

/// A bounded FIFO; pop returns nullopt once closed and drained.
template <class T>
class BoundedQueue {
  public:
    explicit BoundedQueue(std::size_t capacity) : m_capacity(capacity) {}
    void push(T item) {
        std::unique_lock lock(m_mutex);
        m_not_full.wait(lock, [&] { return m_items.size() < m_capacity || m_closed; });
        if (m_closed) return;  // stopping: nobody will take it
        m_items.push_back(std::move(item));
        m_not_empty.notify_one();
    }
    std::optional<T> pop() {
        std::unique_lock lock(m_mutex);
        m_not_empty.wait(lock, [&] { return !m_items.empty() || m_closed; });
        if (m_items.empty()) return std::nullopt;
        T item = std::move(m_items.front());
        m_items.pop_front();
        m_not_full.notify_one();
        return item;
    }
    void close() {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        m_not_empty.notify_all();
        m_not_full.notify_all();
    }

  private:
    std::size_t m_capacity;
    std::deque<T> m_items;
    bool m_closed = false;
    std::mutex m_mutex;
    std::condition_variable m_not_full, m_not_empty;
};

/// Finished batches waiting for their turn at the writer (bounded: a worker
/// waits unless its batch is the one the writer needs next).
class ReorderBuffer {
  public:
    explicit ReorderBuffer(std::size_t capacity) : m_capacity(capacity) {}
    void put(std::uint64_t index, std::vector<PreparedArticle> items) {
        std::unique_lock lock(m_mutex);
        m_cv.wait(lock, [&] { return index == m_next || m_ready.size() < m_capacity || m_aborted; });
        m_ready.emplace(index, std::move(items));
        m_cv.notify_all();
    }
    /// The next batch in order, or nullopt when all `total` batches are done (total set by finish()).
    std::optional<std::vector<PreparedArticle>> take() {
        std::unique_lock lock(m_mutex);
        m_cv.wait(lock, [&] { return m_ready.count(m_next) > 0 || (m_total && m_next >= *m_total) || m_aborted; });
        if (m_aborted) return std::nullopt;
        auto it = m_ready.find(m_next);
        if (it == m_ready.end()) return std::nullopt;
        auto items = std::move(it->second);
        m_ready.erase(it);
        ++m_next;
        m_cv.notify_all();
        return items;
    }
    void finish(std::uint64_t total) {
        std::lock_guard lock(m_mutex);
        m_total = total;
        m_cv.notify_all();
    }
    void abort() {
        std::lock_guard lock(m_mutex);
        m_aborted = true;
        m_cv.notify_all();
    }

  private:
    std::size_t m_capacity;
    std::map<std::uint64_t, std::vector<PreparedArticle>> m_ready;
    std::uint64_t m_next = 0;
    std::optional<std::uint64_t> m_total;
    bool m_aborted = false;
    std::mutex m_mutex;
    std::condition_variable m_cv;
};

/// The run record in .morgue/run.json: a killed run is resumed (same number),
/// so that articles it already wrote keep their ORDER and a rerun settles
/// duplicates exactly as an uninterrupted run does.
struct RunRecord {
    unsigned run = 1;
    bool resumed = false;
};

std::string inputs_key(const std::vector<std::string>& inputs) {
    std::string all;
    for (const auto& i : inputs) all += std::filesystem::absolute(i).lexically_normal().string() + '\n';
    return text::hex64(text::hash64(all));
}

void write_json_atomically(const std::filesystem::path& path, const nlohmann::json& j) {
    const auto tmp = path.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << j.dump() << '\n';
        if (!out) throw ArchiveError(tmp + ": cannot write");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) throw ArchiveError(path.string() + ": cannot write: " + ec.message());
}

RunRecord start_run(const ArchiveLayout& layout, const std::string& key) {
    RunRecord r;
    std::ifstream in(layout.run_file());
    if (in) {
        try {
            const auto j = nlohmann::json::parse(in);
            const unsigned last = j.value("run", 0u);
            if (!j.value("finished", true) && j.value("inputs", std::string()) == key) {
                r.run = last;
                r.resumed = true;
            } else {
                r.run = last + 1;
            }
        } catch (const nlohmann::json::exception&) {
            r.run = 1;
        }
    }
    write_json_atomically(layout.run_file(), {{"run", r.run}, {"inputs", key}, {"finished", false},
                                              {"started", format_iso8601(static_cast<UnixTime>(std::time(nullptr)))}});
    return r;
}

void finish_run(const ArchiveLayout& layout, const RunRecord& r, const std::string& key) {
    write_json_atomically(layout.run_file(), {{"run", r.run}, {"inputs", key}, {"finished", true},
                                              {"ended", format_iso8601(static_cast<UnixTime>(std::time(nullptr)))}});
}

/// The writer's current dictionary: .morgue/dict/current names it.
struct Dictionary {
    unsigned id = 0;
    std::string bytes;
};

Dictionary load_dictionary(const ArchiveLayout& layout) {
    Dictionary d;
    std::ifstream cur(layout.dict_dir() / "current");
    unsigned id = 0;
    if (!(cur >> id) || id == 0) return d;
    std::ifstream in(layout.dict_dir() / (std::to_string(id) + ".zdict"), std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    if (ZstdCodec::dictionary_id(buf.str()) != id)
        throw ArchiveError((layout.dict_dir() / (std::to_string(id) + ".zdict")).string() + ": missing or corrupt dictionary");
    d.id = id;
    d.bytes = buf.str();
    return d;
}

void save_dictionary(const ArchiveLayout& layout, const Dictionary& d) {
    std::filesystem::create_directories(layout.dict_dir());
    const auto file = layout.dict_dir() / (std::to_string(d.id) + ".zdict");
    {
        std::ofstream out(file.string() + ".tmp", std::ios::binary | std::ios::trunc);
        out << d.bytes;
        if (!out) throw ArchiveError(file.string() + ": cannot write");
    }
    std::filesystem::rename(file.string() + ".tmp", file);
    {
        std::ofstream out((layout.dict_dir() / "current.tmp").string(), std::ios::trunc);
        out << d.id << '\n';
        if (!out) throw ArchiveError((layout.dict_dir() / "current").string() + ": cannot write");
    }
    std::filesystem::rename(layout.dict_dir() / "current.tmp", layout.dict_dir() / "current");
}

std::uint64_t input_bytes(const std::vector<std::string>& inputs) {
    std::uint64_t total = 0;
    std::error_code ec;
    for (const auto& i : inputs) {
        if (i == "-") return 0;
        if (std::filesystem::is_directory(i, ec)) {
            for (std::filesystem::recursive_directory_iterator it(i, ec), end; !ec && it != end; it.increment(ec))
                if (it->is_regular_file(ec)) total += it->file_size(ec);
        } else {
            total += std::filesystem::file_size(i, ec);
        }
    }
    return total;
}

/// Counters the progress reporter reads while the run goes on.
struct LiveCounters {
    std::atomic<std::size_t> read{0};
    std::atomic<std::size_t> written{0};
    std::atomic<std::size_t> rejected{0};
    std::atomic<std::size_t> raw_bytes{0};
};

std::string progress_line(const LiveCounters& c, double seconds, std::uint64_t total_bytes) {
    const double done = static_cast<double>(c.written.load());
    const double mb = static_cast<double>(c.raw_bytes.load()) / 1e6;
    char buf[256];
    int n = std::snprintf(buf, sizeof buf, "%zu read, %zu indexed, %.0f articles/s, %.1f MB/s, %zu rejects",
                          c.read.load(), c.written.load(), seconds > 0 ? done / seconds : 0.0,
                          seconds > 0 ? mb / seconds : 0.0, c.rejected.load());
    // ETA from the share of the input read (article JSON is close to JSONL size).
    if (total_bytes > 0 && c.raw_bytes.load() > 0 && seconds > 1) {
        const double share = std::min(0.999, static_cast<double>(c.raw_bytes.load()) / static_cast<double>(total_bytes));
        const double eta = seconds / share - seconds;
        if (n > 0 && static_cast<std::size_t>(n) < sizeof buf)
            std::snprintf(buf + n, sizeof buf - static_cast<std::size_t>(n), ", ~%.0f%%, ETA %.0f s", share * 100, eta);
    }
    return buf;
}

}  // namespace

double peak_rss_mb() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_maxrss) / 1024.0;  // KB on Linux
}

AddSummary run_add(const AddOptions& options, std::ostream& log) {
    const auto start = Clock::now();
    // No zlib for the shards' tags while adding (glass_compression.h): compaction
    // compresses the term lists of closed months once.
    const GlassCompressionScope compression(GlassCompression::None);
    AddSummary summary;
    const ArchiveLayout layout(options.archive);
    std::error_code ec;
    std::filesystem::create_directories(layout.state_dir(), ec);
    if (ec) throw ArchiveError(layout.dir().string() + ": cannot create archive directory: " + ec.message());
    // The lock comes before any input is read.
    const WriteLock lock(layout, "morgue-index add", options.wait, [&](const std::string& holder) {
        log << "morgue-index: waiting for the archive's writer (" << holder << ")\n";
        log.flush();
    });
    if (!std::filesystem::exists(layout.stub())) layout.write_stub({});
    if (const std::size_t healed = heal_moves(layout); healed > 0)
        log << "morgue-index: removed " << healed << " stale copies of articles a killed run was moving\n";
    const std::string key = inputs_key(options.inputs);
    const RunRecord run = start_run(layout, key);
    summary.run = run.run;
    summary.resumed = run.resumed;

    Dictionary dict = load_dictionary(layout);
    const unsigned threads = options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    summary.threads = threads;
    const std::vector<std::string> live = layout.read_stub();

    std::ofstream rejects;
    auto keep_reject = [&](const corpus::Reject& r) {
        if (!rejects.is_open()) {
            rejects.open(layout.rejects_file(), std::ios::app | std::ios::binary);
            if (!rejects) throw ArchiveError(layout.rejects_file().string() + ": cannot write rejects");
        }
        nlohmann::json j{{"file", r.file}, {"line", r.line}, {"reason", r.reason}, {"raw", r.raw},
                         {"time", format_iso8601(static_cast<UnixTime>(std::time(nullptr)))}};
        // Bytes that are not UTF-8 (binary junk, a cut compressed tail) are kept exactly, in base64.
        if (!text::is_valid_utf8(r.raw)) j["raw_base64"] = text::base64_encode(r.raw);
        rejects << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
        rejects.flush();
    };

    // ---- threads ----
    LiveCounters counters;
    // Deep enough that the workers keep going while the writer commits a checkpoint
    // (CPU use 1.82 -> 1.84 cores on 50,000 articles, against 3 and 3 + 2).
    BoundedQueue<Batch> queue(threads * 8);
    ReorderBuffer reorder(threads * 16 + 2);
    std::mutex error_mutex;
    std::exception_ptr error;
    std::atomic<bool> failed{false};
    auto fail = [&](std::exception_ptr e) {
        std::lock_guard l(error_mutex);
        if (!error) error = e;
        failed = true;
        queue.close();
        reorder.abort();
    };

    // Articles numbered below this were enriched before the dictionary was trained on them;
    // held_hashes[seq] is the content hash of each as read (before enrichment).
    std::uint64_t enriched_below = 0;
    std::vector<std::string> held_hashes;
    std::vector<std::thread> workers;
    auto start_workers = [&] {
        for (unsigned t = 0; t < threads; ++t) {
            workers.emplace_back([&] {
                try {
                    ArchiveSnapshot snapshot(layout);
                    DocumentBuilder builder(options.build);
                    if (dict.id != 0) builder.set_dictionary(dict.bytes);
                    while (auto batch = queue.pop()) {
                        std::vector<PreparedArticle> out;
                        out.reserve(batch->articles.size());
                        std::uint64_t seq = batch->first_seq;
                        for (auto& a : batch->articles) {
                            PreparedArticle p;
                            p.id = a.id;
                            p.id_term = schema::make_term(schema::kPrefixId, a.id);
                            p.target = route_shard(a.date, live);
                            // The hash is of the article as read, before tagging: an unchanged
                            // article is recognised without running the NER on it.
                            p.enriched = seq < enriched_below || !options.enricher;
                            if (seq < enriched_below) {
                                p.hash = held_hashes[seq];
                            } else {
                                const std::string read_json = article_to_json(a);
                                p.hash = DocumentBuilder::content_hash(read_json);
                                p.raw_bytes = read_json.size();
                            }
                            p.order = order_value(run.run, seq++);
                            p.found = snapshot.find(p.id_term, p.target);
                            if (p.found.shards.size() == 1 && p.found.shards.front() == p.target && p.found.hash == p.hash) {
                                p.article = std::move(a);  // unchanged, unless this run changes it first
                            } else {
                                if (!p.enriched) options.enricher(a);
                                p.enriched = true;
                                const std::string json = article_to_json(a);
                                p.raw_bytes = json.size();
                                p.fingerprint = fingerprint(a.body);
                                if (p.fingerprint)
                                    p.snapshot_match = snapshot.earliest_duplicate(*p.fingerprint, p.order, p.found.docids);
                                p.doc = builder.build(a, json, BuildExtras{p.fingerprint, p.order, p.hash});
                                if (options.spelling) p.spelling = builder.take_spelling_words();
                                p.stored_bytes = p.doc->get_data().size();
                            }
                            out.push_back(std::move(p));
                        }
                        reorder.put(batch->index, std::move(out));
                    }
                } catch (const Xapian::Error& e) {
                    fail(std::make_exception_ptr(ArchiveError(layout.dir().string() + ": " + e.get_description())));
                } catch (...) {
                    fail(std::current_exception());
                }
            });
        }
    };

    DocumentBuilder writer_builder(options.build);
    std::atomic<bool> writer_stopped{false};
    std::thread writer_thread;
    auto start_writer = [&] {
        if (dict.id != 0) writer_builder.set_dictionary(dict.bytes);
        writer_thread = std::thread([&] {
            try {
                WriterOptions wo;
                wo.commit_every = options.commit_every;
                wo.spelling = options.spelling;
                wo.enricher = options.enricher;
                ArchiveWriter writer(layout, live, wo, writer_builder, dict.id, dict.bytes);
                while (auto items = reorder.take()) {
                    if (options.stop != nullptr && options.stop->load()) {
                        // Stop now: what is written is committed below; a rerun does the rest.
                        writer_stopped = true;
                        queue.close();
                        reorder.abort();
                        break;
                    }
                    for (auto& p : *items) {
                        summary.raw_bytes += p.raw_bytes;
                        summary.stored_bytes += p.stored_bytes;
                        const WriteResult r = writer.write(std::move(p));
                        switch (r.outcome) {
                            case AddOutcome::Added: ++summary.added; break;
                            case AddOutcome::Replaced: ++summary.replaced; break;
                            case AddOutcome::Unchanged: ++summary.unchanged; break;
                        }
                        if (r.duplicate) ++summary.duplicates;
                        ++counters.written;
                    }
                }
                writer.commit();
            } catch (const Xapian::Error& e) {
                fail(std::make_exception_ptr(ArchiveError(layout.dir().string() + ": " + e.get_description())));
            } catch (...) {
                fail(std::current_exception());
            }
        });
    };

    // ---- progress ----
    std::mutex progress_mutex;
    std::condition_variable progress_cv;
    bool progress_done = false;
    const std::uint64_t total_bytes = input_bytes(options.inputs);
    std::thread progress_thread;
    if (options.progress != Progress::None) {
        progress_thread = std::thread([&] {
            const auto interval = std::chrono::duration<double>(options.progress == Progress::Live ? 0.5 : options.log_interval);
            std::unique_lock l(progress_mutex);
            while (!progress_cv.wait_for(l, interval, [&] { return progress_done; })) {
                const double secs = std::chrono::duration<double>(Clock::now() - start).count();
                if (options.progress == Progress::Live)
                    log << '\r' << progress_line(counters, secs, total_bytes) << "\x1b[K" << std::flush;
                else
                    log << "morgue-index: " << progress_line(counters, secs, total_bytes) << std::endl;
            }
            if (options.progress == Progress::Live) log << "\r\x1b[K" << std::flush;
        });
    }

    // ---- reading (this thread) ----
    std::uint64_t seq = 0;
    std::uint64_t batches = 0;
    Batch current;
    std::vector<Article> held;  // held back to train a dictionary
    bool started = false;
    auto dispatch = [&](Batch&& b) {
        b.index = batches++;
        queue.push(std::move(b));
    };
    auto push_article = [&](Article&& a) {
        if (current.articles.empty()) current.first_seq = seq;
        ++seq;
        current.articles.push_back(std::move(a));
        if (current.articles.size() >= k_batch) {
            dispatch(std::move(current));
            current = Batch{};
        }
    };
    auto start_pipeline = [&] {
        if (dict.id == 0 && held.size() >= 64) {
            // Train on what will be stored: the articles with their entities.
            if (options.enricher) {
                std::vector<std::thread> taggers;
                std::vector<std::exception_ptr> errors(threads);
                held_hashes.assign(held.size(), std::string());
                for (unsigned t = 0; t < threads; ++t)
                    taggers.emplace_back([&, t] {
                        try {
                            for (std::size_t i = t; i < held.size(); i += threads) {
                                held_hashes[i] = DocumentBuilder::content_hash(article_to_json(held[i]));
                                options.enricher(held[i]);
                            }
                        } catch (...) {
                            errors[t] = std::current_exception();
                        }
                    });
                for (auto& t : taggers) t.join();
                for (const auto& e : errors)
                    if (e) std::rethrow_exception(e);
                enriched_below = held.size();
            }
            std::vector<std::string> samples;
            samples.reserve(held.size());
            for (const auto& a : held) samples.push_back(article_to_json(a));
            Dictionary trained;
            trained.bytes = ZstdCodec::train_dictionary(samples, options.dict_bytes);
            trained.id = ZstdCodec::dictionary_id(trained.bytes);
            if (trained.id != 0) {
                save_dictionary(layout, trained);
                dict = std::move(trained);
            }
        }
        summary.dictionary_id = dict.id;
        start_workers();
        start_writer();
        started = true;
        for (auto& a : held) push_article(std::move(a));
        held.clear();
        held.shrink_to_fit();
    };
    // An archive that has its dictionary writes from the first article; only a new one holds
    // articles back to train one.
    if (dict.id != 0) start_pipeline();

    corpus::Sink sink;
    sink.article = [&](Article&& a) {
        if (failed || (options.stop != nullptr && options.stop->load())) throw StopReading{};
        ++summary.read;
        ++counters.read;
        if (options.months && !options.months->accepts(ArchiveLayout::shard_name_for(a.date))) {
            ++summary.outside_months;
            return;
        }
        counters.raw_bytes += a.title.size() + a.body.size() + a.url.size() + a.id.size() + 64;
        if (!started) {
            held.push_back(std::move(a));
            if (held.size() >= options.dict_samples) start_pipeline();
            return;
        }
        push_article(std::move(a));
    };
    sink.reject = [&](corpus::Reject&& r) {
        ++summary.rejected;
        ++counters.rejected;
        const std::string where = r.line > 0 ? r.file + ":" + std::to_string(r.line) : r.file;
        log << where << ": " << r.reason << '\n';
        keep_reject(r);
        if (options.strict) throw StrictStop{where + ": " + r.reason};
    };
    sink.skipped = [&](const std::string& file, const std::string& reason) {
        ++summary.skipped_files;
        log << file << ": skipped: " << reason << '\n';
    };

    std::optional<std::string> strict_message;
    std::exception_ptr read_error;
    try {
        corpus::ReadOptions read_options;
        read_options.format = options.format;
        read_options.field_map = options.field_map;
        read_options.remove_debris = options.remove_debris;
        read_options.stop = options.stop;
        corpus::read_inputs(options.inputs, read_options, sink);
        // A signal while waiting on a streamed stdin ends the input rather than a record.
        if (options.stop != nullptr && options.stop->load() && !failed) summary.interrupted = true;
    } catch (const StrictStop& stop) {
        strict_message = stop.message;
    } catch (const StopReading&) {
        if (!failed) summary.interrupted = true;
    } catch (...) {
        read_error = std::current_exception();
    }
    // Drain: whatever was read is indexed and committed, even on a stop.
    try {
        if (!started) start_pipeline();
        if (!current.articles.empty()) dispatch(std::move(current));
    } catch (...) {
        if (!read_error) read_error = std::current_exception();
    }
    queue.close();
    for (auto& w : workers) w.join();
    reorder.finish(batches);
    if (writer_thread.joinable()) writer_thread.join();
    {
        std::lock_guard l(progress_mutex);
        progress_done = true;
    }
    progress_cv.notify_all();
    if (progress_thread.joinable()) progress_thread.join();

    if (writer_stopped) summary.interrupted = true;
    if (error) std::rethrow_exception(error);
    if (read_error) std::rethrow_exception(read_error);
    if (strict_message) throw InputError(*strict_message, 0, "rejected (--strict); everything before it was indexed");
    if (!summary.interrupted) finish_run(layout, run, key);
    summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    summary.peak_rss_mb = peak_rss_mb();
    return summary;
}

std::string summary_text(const AddSummary& s) {
    const double rate = s.seconds > 0 ? static_cast<double>(s.read) / s.seconds : 0.0;
    char buf[512];
    std::snprintf(buf, sizeof buf,
                  "%sadded %zu, replaced %zu, unchanged %zu, rejected %zu, duplicates %zu, skipped files %zu in %.2f s "
                  "(%.0f articles/s, %u threads, peak memory %.0f MB)",
                  s.interrupted ? "interrupted: committed what was read; run the same command again to finish. " : "",
                  s.added, s.replaced, s.unchanged, s.rejected, s.duplicates, s.skipped_files, s.seconds, rate,
                  s.threads, s.peak_rss_mb);
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
                     {"articles_per_second", s.seconds > 0 ? static_cast<double>(s.read) / s.seconds : 0.0},
                     {"duplicates", s.duplicates}, {"raw_bytes", s.raw_bytes},
                     {"stored_bytes", s.stored_bytes}, {"peak_rss_mb", s.peak_rss_mb},
                     {"threads", s.threads}, {"run", s.run}, {"resumed", s.resumed},
                     {"interrupted", s.interrupted}, {"dictionary_id", s.dictionary_id}};
    return j.dump();
}

}  // namespace morgue::indexer
