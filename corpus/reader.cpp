/** @file reader.cpp
 *  @brief Format detection, the directory walk, the finishing steps and the two-pass read_inputs.
 */
#include "corpus/reader.h"

#include "common/entity_key.h"

#include "common/error.h"
#include "common/schema.h"
#include "common/text.h"
#include "corpus/clean.h"
#include "corpus/date_parse.h"
#include "corpus/debris.h"
#include "corpus/input_stream.h"
#include "corpus/jsonl_reader.h"
#include "corpus/newsml_reader.h"
#include "corpus/sgml_reader.h"
#include "corpus/text_reader.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <streambuf>
#include <thread>
#include <vector>

namespace morgue::corpus {

namespace fs = std::filesystem;

Format parse_format(std::string_view name) {
    if (name == "auto") return Format::Auto;
    if (name == "jsonl" || name == "json") return Format::Jsonl;
    if (name == "text" || name == "txt") return Format::Text;
    if (name == "reuters-sgml" || name == "sgml" || name == "reuters") return Format::ReutersSgml;
    if (name == "newsml" || name == "xml" || name == "rcv1") return Format::NewsML;
    throw UsageError("unknown --format '" + std::string(name) +
                     "' (expected auto, jsonl, text, reuters-sgml or newsml)");
}

std::string_view format_name(Format format) noexcept {
    switch (format) {
        case Format::Auto: return "auto";
        case Format::Jsonl: return "jsonl";
        case Format::Text: return "text";
        case Format::ReutersSgml: return "reuters-sgml";
        case Format::NewsML: return "newsml";
    }
    return "auto";
}

FieldMapping parse_field_mapping(std::string_view rule) {
    const auto eq = rule.find('=');
    if (eq == std::string_view::npos || eq == 0 || eq + 1 == rule.size())
        throw UsageError("--map '" + std::string(rule) + "': expected FIELD=PATH, e.g. body=article.text");
    FieldMapping m{std::string(text::trim(rule.substr(0, eq))), std::string(text::trim(rule.substr(eq + 1)))};
    if (!is_mappable_field(m.field))
        throw UsageError("--map '" + std::string(rule) + "': unknown field '" + m.field +
                         "' (expected id, url, title, body, description, date, source, authors, language, dateline "
                         "or topics)");
    return m;
}

Format detect_format(std::string_view head, std::string_view name) noexcept {
    std::size_t i = 0;
    if (head.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
    while (i < head.size() && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) ++i;
    const std::string_view body = head.substr(i);
    if (body.empty()) return Format::Auto;
    if (body.front() == '{') return Format::Jsonl;
    // A JSON array of records ("[{", "[\n  {"), or JSON Lines whose first record is a stray array.
    if (body.front() == '[') {
        const std::size_t next = body.find_first_not_of(" \t\r\n", 1);
        if (next != std::string_view::npos && body[next] == '{') return Format::Jsonl;
        const std::size_t nl = body.find('\n');
        const std::size_t second = nl == std::string_view::npos ? nl : body.find_first_not_of(" \t\r\n", nl);
        if (second != std::string_view::npos && body[second] == '{') return Format::Jsonl;
    }
    if (looks_like_reuters_sgml(body)) return Format::ReutersSgml;
    if (looks_like_newsml(body)) return Format::NewsML;
    // Names that announce code, markup or data are never articles, whatever their text looks like.
    const std::string file = text::to_lower(fs::path(name).filename().string());
    static constexpr const char* k_not_articles[] = {".md", ".dtd", ".csv", ".tsv", ".json", ".xml", ".sgm", ".html",
                                                     ".htm", ".py", ".sh", ".c", ".h", ".cpp", ".js", ".css",
                                                     ".yaml", ".yml", ".toml", ".ini", ".cfg", ".log", ".tex"};
    for (const char* ext : k_not_articles) {
        const std::string_view e(ext);
        if (file.size() > e.size() && file.compare(file.size() - e.size(), e.size(), e) == 0) return Format::Auto;
    }
    for (const char* stem : {"readme", "license", "licence", "copying", "changelog", "authors", "install"})
        if (file.rfind(stem, 0) == 0) return Format::Auto;
    if (looks_like_text_article(body)) return Format::Text;
    return Format::Auto;
}

ArticleEntity given_entity(EntityKind kind, std::string_view name) {
    ArticleEntity e;
    e.kind = kind;
    e.name = std::string(name);
    e.key = entity_key(name);  // the NER's key, and what the searcher's entity fields look up
    e.given = true;
    return e;
}

std::string canonical_url(std::string_view url) {
    url = text::trim(url);
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return std::string(url);
    std::string out = text::to_lower(url.substr(0, scheme_end + 3));
    std::string_view rest = url.substr(scheme_end + 3);
    if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
    const auto host_end = rest.find_first_of("/?");
    out += text::to_lower(rest.substr(0, host_end));
    if (host_end == std::string_view::npos) return out;
    rest.remove_prefix(host_end);
    const auto q = rest.find('?');
    out += rest.substr(0, q);
    if (q == std::string_view::npos) return out;
    std::string_view query = rest.substr(q + 1);
    std::string kept;
    while (!query.empty()) {
        const auto amp = query.find('&');
        std::string_view param = query.substr(0, amp);
        const bool tracking = param.rfind("utm_", 0) == 0 || param.rfind("fbclid", 0) == 0 ||
                              param.rfind("gclid", 0) == 0 || param.rfind("mc_cid", 0) == 0 ||
                              param.rfind("mc_eid", 0) == 0;
        if (!param.empty() && !tracking) {
            kept += kept.empty() ? "?" : "&";
            kept += param;
        }
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return out + kept;
}

namespace {

/// A dateline written at the head of the body: "WASHINGTON, Jan. 8, 2021 (AP) — The ...".
std::string_view leading_dateline(std::string_view body) {
    const std::string_view head = body.substr(0, std::min<std::size_t>(body.size(), 100));
    std::size_t cut = std::string_view::npos;
    for (const char* dash : {" \xE2\x80\x94 ", " \xE2\x80\x93 ", " - ", " -- "}) cut = std::min(cut, head.find(dash));
    return cut == std::string_view::npos || cut > 80 ? std::string_view{} : head.substr(0, cut);
}

}  // namespace

void finish_article(Article& a) {
    split_captions(a);
    if (!a.date && !a.url.empty()) a.date = date_from_url(a.url);
    if (!a.date && !a.dateline.empty()) a.date = date_from_dateline(a.dateline);
    if (!a.date && a.dateline.empty()) {
        if (const auto lead = leading_dateline(a.body); !lead.empty()) a.date = date_from_dateline(lead);
    }
    if (a.id.empty()) a.id = fallback_id(a);
}

namespace {

/// Reads an opened stream in a known format, finishing each article (captions, fallback date and id).
void read_format(std::istream& in, Format format, const std::string& display, const std::string& relative_id,
                 const ReadOptions& options, const Sink& sink) {
    Sink finishing = sink;
    finishing.article = [&sink](Article&& a) {
        finish_article(a);
        sink.article(std::move(a));
    };
    switch (format) {
        case Format::Jsonl: read_jsonl(in, display, finishing, options.field_map); break;
        case Format::Text: read_text(in, display, relative_id, finishing); break;
        case Format::ReutersSgml: read_reuters_sgml(in, display, finishing); break;
        case Format::NewsML: read_newsml(in, display, finishing); break;
        case Format::Auto: break;
    }
}

/// Says why a stream no reader recognises is not read: one that is compressed but does not even
/// start to decode is a bad record (kept with its first raw bytes); anything else is skipped with
/// a note. `what` names the stream ("file", "input").
void report_unrecognised(const std::string& head, const std::string& error, const std::string& display,
                         const std::string& what, const Sink& sink, const std::function<std::string()>& raw_head) {
    if (head.empty() && !error.empty()) {
        sink.reject(Reject{display, 1, error, raw_head()});
        return;
    }
    if (!sink.skipped) return;
    sink.skipped(display, head.empty() ? "empty " + what : "no reader recognises this " + what + " as articles");
}

/// Reads one file. `display` names it in rejects; `relative_id` is the text reader's path id.
void read_file(const fs::path& file, const std::string& display, const std::string& relative_id,
               const ReadOptions& options, const Sink& sink) {
    Format format = options.format;
    if (format == Format::Auto) {
        auto probe = open_input(file);
        const std::string head = read_head(*probe, 64 * 1024);
        format = detect_format(head, file.filename().string());
        if (format == Format::Auto) {
            report_unrecognised(head, stream_error(*probe), display, "file", sink, [&] {
                std::ifstream raw(file, std::ios::binary);
                return read_head(raw, 4096);
            });
            return;
        }
    }
    auto in = open_input(file);
    read_format(*in, format, display, relative_id, options, sink);
}

/// Standard input read as it arrives (no spool): what `morgue-index add --keep-debris -` does,
/// so that a crawler piping into the indexer has its articles indexed and committed as they come.
void read_stdin_streaming(const ReadOptions& options, const Sink& sink) {
    auto raw = open_fd(STDIN_FILENO, options.stop);
    Format format = options.format;
    std::string head;
    if (format == Format::Auto) {
        head = read_head(*raw, 64 * 1024);
        format = detect_format(head, "stdin");
        if (format == Format::Auto) {
            report_unrecognised(head, stream_error(*raw), "<stdin>", "input", sink, [] { return std::string(); });
            return;
        }
    }
    auto in = replaying(std::move(head), *raw);
    read_format(*in, format, "<stdin>", "stdin", options, sink);
}

void read_one(const std::string& path, const std::string& display, const ReadOptions& options, const Sink& sink) {
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) throw InputError(display, 0, "no such file or directory");
    if (fs::is_directory(status)) {
        std::vector<fs::path> files;
        for (fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end;
             !ec && it != end; it.increment(ec)) {
            if (it->is_regular_file(ec)) files.push_back(it->path());
        }
        if (ec) throw InputError(display, 0, "cannot walk directory: " + ec.message());
        std::sort(files.begin(), files.end());  // the same order every run
        for (const auto& f : files) {
            const std::string rel = fs::relative(f, path, ec).generic_string();
            read_file(f, f.string(), ec || rel.empty() ? f.filename().string() : rel, options, sink);
        }
        return;
    }
    read_file(path, display, fs::path(display).filename().string(), options, sink);
}

/// Standard input, copied to a temporary file (removed on destruction) so it can be read twice.
class StdinSpool {
  public:
    StdinSpool() {
        std::string tmpl = (fs::temp_directory_path() / "morgue-stdin-XXXXXX").string();
        const int fd = ::mkstemp(tmpl.data());
        if (fd < 0) throw InputError("<stdin>", 0, "cannot create a temporary file to hold standard input");
        ::close(fd);
        m_path = tmpl;
        std::ofstream out(m_path, std::ios::binary | std::ios::trunc);
        out << std::cin.rdbuf();
        out.close();
        if (!out) throw InputError("<stdin>", 0, "cannot spool standard input to " + m_path.string());
    }
    ~StdinSpool() {
        std::error_code ec;
        fs::remove(m_path, ec);
    }
    StdinSpool(const StdinSpool&) = delete;
    StdinSpool& operator=(const StdinSpool&) = delete;
    [[nodiscard]] const fs::path& path() const noexcept { return m_path; }

  private:
    fs::path m_path;
};

/// At most `limit` bytes of a stream, through a buffer: one half of a file read apart.
class RangeBuf : public std::streambuf {
  public:
    RangeBuf(std::istream& src, std::uintmax_t limit) : m_src(src), m_left(limit) {}

  protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        if (m_left == 0) return traits_type::eof();
        m_src.read(m_buf.data(), static_cast<std::streamsize>(std::min<std::uintmax_t>(m_buf.size(), m_left)));
        const auto got = static_cast<std::size_t>(m_src.gcount());
        if (got == 0) return traits_type::eof();
        m_left -= got;
        setg(m_buf.data(), m_buf.data(), m_buf.data() + got);
        return traits_type::to_int_type(*gptr());
    }

  private:
    std::istream& m_src;
    std::uintmax_t m_left;
    std::array<char, 1 << 16> m_buf{};
};

/// Files at least this large (plain JSON Lines) are learnt from in two halves side by side.
constexpr std::uintmax_t k_halves_from = 16u << 20;

/// Pass one over a large plain (uncompressed) JSON Lines file in two halves read side by side,
/// the second from the first line that starts past the middle, each into its own model, merged
/// after: the counts are sums, so the model decides as one pass over the whole file would, and
/// the first pass, which had one core to itself while the other waited, takes half as long.
/// False (nothing read) when the file is not such a file.
bool learn_in_halves(const fs::path& file, const std::string& display, const std::string& relative_id,
                     const ReadOptions& options, DebrisModel& model) {
    std::error_code ec;
    const std::uintmax_t size = fs::file_size(file, ec);
    if (ec || size < k_halves_from) return false;
    std::ifstream probe(file, std::ios::binary);
    const std::string head = read_head(probe, 64 * 1024);
    if (detect_compression(head) != Compression::None) return false;
    const Format format = options.format == Format::Auto ? detect_format(head, file.filename().string()) : options.format;
    if (format != Format::Jsonl) return false;
    probe.clear();
    probe.seekg(static_cast<std::streamoff>(size / 2));
    std::uintmax_t split = size / 2;
    for (char c = 0; probe.get(c);) {
        ++split;
        if (c == '\n') break;
    }
    if (!probe || split >= size) return false;
    const std::pair<std::uintmax_t, std::uintmax_t> halves[2] = {{0, split}, {split, size}};
    DebrisModel parts[2];
    std::exception_ptr errors[2];
    auto learn_half = [&](int i) {
        try {
            std::ifstream raw(file, std::ios::binary);
            raw.seekg(static_cast<std::streamoff>(halves[i].first));
            RangeBuf buf(raw, halves[i].second - halves[i].first);
            std::istream in(&buf);
            Sink learn;
            learn.article = [&parts, i](Article&& a) { parts[i].learn(a); };
            learn.reject = [](Reject&&) {};
            learn.skipped = nullptr;
            read_format(in, Format::Jsonl, display, relative_id, options, learn);
        } catch (...) {
            errors[i] = std::current_exception();
        }
    };
    std::thread second(learn_half, 1);
    learn_half(0);
    second.join();
    for (const auto& e : errors)
        if (e) std::rethrow_exception(e);
    model.merge(std::move(parts[0]));
    model.merge(std::move(parts[1]));
    return true;
}

}  // namespace

void read_path(const std::string& path, Format format, const Sink& sink) {
    ReadOptions options;
    options.format = format;
    read_path(path, options, sink);
}

void read_path(const std::string& path, const ReadOptions& options, const Sink& sink) {
    if (path == "-") {
        StdinSpool spool;
        read_file(spool.path(), "<stdin>", "stdin", options, sink);
        return;
    }
    read_one(path, path, options, sink);
}

void read_inputs(const std::vector<std::string>& inputs, const ReadOptions& options, const Sink& sink) {
    std::unique_ptr<StdinSpool> spool;
    // Every input through s; with `learning`, a large JSON Lines file is learnt from in halves instead.
    auto each = [&](const Sink& s, DebrisModel* learning) {
        for (const auto& input : inputs) {
            if (input == "-") {
                if (!spool) spool = std::make_unique<StdinSpool>();
                if (!learning || !learn_in_halves(spool->path(), "<stdin>", "stdin", options, *learning))
                    read_file(spool->path(), "<stdin>", "stdin", options, s);
            } else {
                std::error_code ec;
                if (!learning || !fs::is_regular_file(input, ec) ||
                    !learn_in_halves(input, input, fs::path(input).filename().string(), options, *learning))
                    read_one(input, input, options, s);
            }
        }
    };
    if (!options.remove_debris) {
        // One pass: standard input streams rather than waiting for its end.
        for (const auto& input : inputs) {
            if (input == "-") {
                read_stdin_streaming(options, sink);
            } else {
                read_one(input, input, options, sink);
            }
        }
        return;
    }
    DebrisModel model;
    Sink learn;
    learn.article = [&model](Article&& a) { model.learn(a); };
    learn.reject = [](Reject&&) {};
    learn.skipped = nullptr;
    each(learn, &model);
    model.finish();
    Sink clean = sink;
    clean.article = [&](Article&& a) {
        model.apply(a);
        sink.article(std::move(a));
    };
    each(clean, nullptr);
}

}  // namespace morgue::corpus
