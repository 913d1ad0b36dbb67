/** @file text_reader.cpp
 *  @brief Headline, optional header block, body; content-based recognition of article text.
 */
#include "corpus/text_reader.h"

#include "common/error.h"
#include "common/text.h"
#include "corpus/clean.h"
#include "corpus/date_parse.h"
#include "corpus/input_stream.h"

#include <cctype>
#include <vector>

namespace morgue::corpus {

namespace {

/// "Key: value" with a known header key; sets key (lower-case) and value.
bool header_line(std::string_view line, std::string& key, std::string& value) {
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon > 12) return false;
    key = text::to_lower(text::trim(line.substr(0, colon)));
    static constexpr const char* k_keys[] = {"date", "url", "source", "author", "authors", "title", "language",
                                             "lang", "id", "dateline", "published"};
    for (const char* k : k_keys) {
        if (key == k) {
            value = std::string(text::trim(line.substr(colon + 1)));
            return true;
        }
    }
    return false;
}

std::vector<std::string_view> split_lines(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t pos = 0;
    while (pos < s.size()) {
        std::size_t nl = s.find('\n', pos);
        if (nl == std::string_view::npos) nl = s.size();
        out.push_back(s.substr(pos, nl - pos));
        pos = nl + 1;
    }
    return out;
}

bool blank(std::string_view s) { return text::trim(s).empty(); }

}  // namespace

Article parse_text_article(std::string_view bytes, const std::string& name, const std::string& relative_id) {
    // Clean first (encoding, entities, controls, NFC) but keep the line structure.
    const std::string utf8 = nfc(drop_controls(decode_entities(to_utf8(bytes))));
    const auto lines = split_lines(utf8);
    std::size_t i = 0;
    std::vector<std::pair<std::string, std::string>> headers;
    auto skip_blank = [&] {
        while (i < lines.size() && blank(lines[i])) ++i;
    };
    // A header block: one or more header lines, then a blank line (or the end).
    auto read_headers = [&] {
        std::size_t j = i;
        std::vector<std::pair<std::string, std::string>> found;
        std::string key, value;
        while (j < lines.size() && header_line(lines[j], key, value)) {
            found.emplace_back(key, value);
            ++j;
        }
        if (found.empty() || (j < lines.size() && !blank(lines[j]))) return;
        headers.insert(headers.end(), found.begin(), found.end());
        i = j;
    };
    skip_blank();
    read_headers();
    skip_blank();
    const CleanOptions plain{.entities = false};  // decoded once, above
    Article a;
    std::string title_header;
    for (const auto& [key, value] : headers)
        if (key == "title") title_header = value;
    if (title_header.empty() && i < lines.size()) {
        a.title = clean_line(lines[i], plain);
        ++i;
        skip_blank();
        if (headers.empty()) {
            read_headers();
            skip_blank();
        }
    } else {
        a.title = clean_line(title_header, plain);
    }
    std::string body;
    for (; i < lines.size(); ++i) {
        body.append(lines[i]);
        body += '\n';
    }
    a.body = clean_block(body, plain);
    for (const auto& [key, value] : headers) {
        if (key == "date" || key == "published") {
            a.date = parse_date(value);
        } else if (key == "url") {
            a.url = value;
        } else if (key == "source") {
            a.source = clean_line(value, plain);
        } else if (key == "author" || key == "authors") {
            std::string_view rest = value;
            while (!rest.empty()) {
                const auto cut = rest.find(key == "authors" ? ',' : '\n');
                std::string one = clean_line(rest.substr(0, cut), plain);
                if (!one.empty()) a.authors.push_back(std::move(one));
                rest = cut == std::string_view::npos ? std::string_view{} : rest.substr(cut + 1);
            }
        } else if (key == "language" || key == "lang") {
            a.language = text::to_lower(clean_line(value, plain));
        } else if (key == "dateline") {
            a.dateline = clean_line(value, plain);
        } else if (key == "id") {
            a.id = clean_line(value, plain);
        }
    }
    if (a.title.empty() && a.body.empty()) throw InputError(name, 1, "record has neither title nor text");
    if (a.id.empty()) a.id = a.url.empty() ? relative_id : canonical_url(a.url);
    a.origin = name;
    return a;
}

void read_text(std::istream& in, const std::string& name, const std::string& relative_id, const Sink& sink) {
    std::string bytes(64 * 1024, '\0');
    std::size_t used = 0;
    for (;;) {
        if (used == bytes.size()) bytes.resize(bytes.size() * 2);
        in.read(bytes.data() + used, static_cast<std::streamsize>(bytes.size() - used));
        const auto got = static_cast<std::size_t>(in.gcount());
        if (got == 0) break;
        used += got;
        if (used > kMaxRecordBytes) {
            sink.reject(Reject{name, 1, "record larger than " + std::to_string(kMaxRecordBytes >> 20) + " MB",
                               bytes.substr(0, 4096)});
            return;
        }
    }
    bytes.resize(used);
    if (const std::string err = stream_error(in); !err.empty()) {
        sink.reject(Reject{name, 1, err, bytes.substr(0, 4096)});
        return;
    }
    if (bytes.find('\0') != std::string::npos) {
        sink.reject(Reject{name, 1, "binary data in a text article", bytes.substr(0, 4096)});
        return;
    }
    try {
        sink.article(parse_text_article(bytes, name, relative_id));
    } catch (const InputError& e) {
        sink.reject(Reject{name, e.line(), e.reason(), bytes.substr(0, 4096)});
    }
}

bool looks_like_text_article(std::string_view head) noexcept {
    if (head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);
    std::size_t controls = 0, letters = 0, printable = 0;
    for (unsigned char c : head) {
        if (c == 0) return false;
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') ++controls;
        if (std::isalpha(c) || c >= 0x80) ++letters;
        if (c > 0x20) ++printable;
    }
    if (printable == 0 || controls * 100 > head.size()) return false;
    if (letters * 10 < printable * 6) return false;  // tables, code, numbers
    // First non-blank line: not markup or data, headline-sized.
    std::size_t i = 0;
    while (i < head.size() && std::isspace(static_cast<unsigned char>(head[i]))) ++i;
    if (i == head.size()) return false;
    const char first = head[i];
    if (first == '<' || first == '{' || first == '[' || first == '#' || first == '%' || first == '/' ||
        first == ';' || first == '=' || first == '-' || first == '*' || first == '|')
        return false;
    // Some prose: a line of 8+ words with a sentence end somewhere in the head.
    std::size_t words = 0, best = 0;
    bool sentence_end = false;
    bool in_word = false;
    for (std::size_t k = i; k < head.size(); ++k) {
        const char c = head[k];
        if (c == '\n') {
            best = std::max(best, words);
            words = 0;
            in_word = false;
            continue;
        }
        if ((c == '.' || c == '?' || c == '!') && (k + 1 == head.size() || std::isspace(static_cast<unsigned char>(head[k + 1]))))
            sentence_end = true;
        const bool space = c == ' ' || c == '\t';
        if (!space && !in_word) ++words;
        in_word = !space;
    }
    best = std::max(best, words);
    return best >= 8 && sentence_end;
}

}  // namespace morgue::corpus
