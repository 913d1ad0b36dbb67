/** @file sgml_reader.cpp
 *  @brief Reuters-21578: story elements streamed line by line, fields scanned with markup.h.
 */
#include "corpus/sgml_reader.h"

#include "common/error.h"
#include "common/text.h"
#include "corpus/clean.h"
#include "corpus/date_parse.h"
#include "corpus/input_stream.h"
#include "corpus/markup.h"

#include <algorithm>
#include <vector>

namespace morgue::corpus {

namespace {

const CleanOptions k_latin1{.latin1_only = true};

std::vector<std::string> category_values(std::string_view story, std::string_view element) {
    std::vector<std::string> out;
    const auto e = markup::find_element(story, element);
    if (!e) return out;
    markup::for_each_element(e->content, "D", [&](const markup::Element& d) {
        std::string v = clean_line(d.content, k_latin1);
        if (!v.empty()) out.push_back(std::move(v));
    });
    return out;
}

/// Reuters wraps lines at ~70 columns and starts paragraphs with an indent: join wrapped lines,
/// break at indents and blank lines (tables, whose rows are indented, keep one row per paragraph).
std::string reflow(std::string_view raw) {
    std::string out;
    bool paragraph_open = false;
    std::size_t pos = 0;
    while (pos <= raw.size()) {
        std::size_t nl = raw.find('\n', pos);
        if (nl == std::string_view::npos) nl = raw.size();
        const std::string_view line = raw.substr(pos, nl - pos);
        pos = nl + 1;
        if (text::trim(line).empty()) {
            paragraph_open = false;
            continue;
        }
        const bool indented = line.front() == ' ' || line.front() == '\t';
        if (paragraph_open && !indented) {
            out += ' ';
        } else if (!out.empty()) {
            out += '\n';
        }
        out.append(text::trim(line));
        paragraph_open = true;
    }
    return out;
}

}  // namespace

bool looks_like_reuters_sgml(std::string_view head) noexcept {
    std::size_t i = 0;
    while (i < head.size() && std::isspace(static_cast<unsigned char>(head[i]))) ++i;
    head.remove_prefix(i);
    return head.rfind("<!DOCTYPE lewis", 0) == 0 || head.rfind("<REUTERS ", 0) == 0 ||
           head.rfind("<REUTERS>", 0) == 0;
}

Article parse_reuters_story(std::string_view story, const std::string& name, long line) {
    const auto open_end = story.find('>');
    if (open_end == std::string_view::npos) throw InputError(name, line, "REUTERS element has no end of tag");
    const std::string_view open_tag = story.substr(0, open_end + 1);
    const std::string newid = markup::attribute(open_tag, "NEWID");
    if (newid.empty() || newid.find_first_not_of("0123456789") != std::string::npos)
        throw InputError(name, line, "REUTERS element without a numeric NEWID");
    Article a;
    a.id = "reuters21578:" + newid;
    a.source = "Reuters";
    a.language = "en";
    a.origin = name + ":" + std::to_string(line);

    a.date = parse_date(clean_line(markup::element_text(story, "DATE"), k_latin1));
    for (auto& t : category_values(story, "TOPICS")) a.topics.push_back(std::move(t));
    // Category values are hyphenated names ("el-salvador", "james-baker"): as names they have spaces, so that
    // place:"el salvador" finds them the way it finds a tagged "El Salvador".
    auto named = [](std::string code) {
        std::replace(code.begin(), code.end(), '-', ' ');
        return code;
    };
    for (const auto& v : category_values(story, "PLACES")) a.entities.push_back(given_entity(EntityKind::Place, named(v)));
    for (const auto& v : category_values(story, "PEOPLE"))
        a.entities.push_back(given_entity(EntityKind::Person, named(v)));
    for (const auto& v : category_values(story, "ORGS")) a.entities.push_back(given_entity(EntityKind::Org, named(v)));
    for (const auto& v : category_values(story, "EXCHANGES"))
        a.entities.push_back(given_entity(EntityKind::Org, named(v)));

    const auto text_el = markup::find_element(story, "TEXT");
    if (!text_el) return a;  // metadata only: still an article
    const std::string_view txt = text_el->content;
    a.title = clean_line(markup::element_text(txt, "TITLE"), k_latin1);
    a.dateline = clean_line(markup::element_text(txt, "DATELINE"), k_latin1);
    // Trim the dateline's trailing dash: "SALVADOR, Feb 26 -" -> "SALVADOR, Feb 26".
    while (!a.dateline.empty() && (a.dateline.back() == '-' || a.dateline.back() == ' ')) a.dateline.pop_back();
    std::string raw_body;
    if (const auto body = markup::find_element(txt, "BODY")) {
        raw_body = std::string(body->content);
    } else {
        // No BODY: whatever text there is outside TITLE and DATELINE.
        std::string rest(txt);
        for (const char* el : {"TITLE", "DATELINE"}) {
            if (const auto e = markup::find_element(rest, el)) {
                const std::size_t at = static_cast<std::size_t>(e->open_tag.data() - rest.data());
                rest.erase(at, e->end - at);
            }
        }
        raw_body = markup::remove_tags(rest);
    }
    // Entities first (they hide the control characters), then the line structure.
    const std::string decoded = drop_controls(decode_entities(to_utf8(raw_body, true)));
    std::string body = clean_block(reflow(decoded), CleanOptions{.entities = false});
    if (a.title.empty() && !body.empty()) {
        // UNPROC stories: the first line is the headline when it is short enough to be one.
        const auto nl = body.find("\n\n");
        const std::string first = body.substr(0, nl);
        if (first.size() <= 150) {
            a.title = first;
            body = nl == std::string::npos ? std::string{} : body.substr(nl + 2);
        }
    }
    a.body = std::move(body);
    return a;
}

void read_reuters_sgml(std::istream& in, const std::string& name, const Sink& sink) {
    LineReader lines(in, kMaxRecordBytes);
    std::string line;
    std::string story;
    long story_line = 0;
    bool inside = false;
    auto deliver = [&] {
        try {
            sink.article(parse_reuters_story(story, name, story_line));
        } catch (const InputError& e) {
            sink.reject(Reject{name, story_line, e.reason(), story.substr(0, 1 << 16)});
        }
        story.clear();
        inside = false;
    };
    while (lines.next(line)) {
        if (lines.oversize()) {
            sink.reject(Reject{name, lines.line_no(), "line larger than " + std::to_string(kMaxRecordBytes >> 20) + " MB",
                               line});
            story.clear();
            inside = false;
            continue;
        }
        std::size_t pos = 0;
        while (pos <= line.size()) {
            if (!inside) {
                const std::size_t open = line.find("<REUTERS", pos);
                if (open == std::string::npos) break;
                inside = true;
                story_line = lines.line_no();
                pos = open;
            }
            const std::size_t close = line.find("</REUTERS>", pos);
            if (close == std::string::npos) {
                story.append(line, pos, std::string::npos);
                story += '\n';
                break;
            }
            story.append(line, pos, close + 10 - pos);
            deliver();
            pos = close + 10;
        }
        if (story.size() > kMaxRecordBytes) {
            sink.reject(Reject{name, story_line, "story larger than " + std::to_string(kMaxRecordBytes >> 20) + " MB",
                               story.substr(0, 4096)});
            story.clear();
            inside = false;
        }
    }
    const std::string err = stream_error(in);
    if (inside) {
        sink.reject(Reject{name, story_line,
                           "REUTERS element not closed before the end of the file" + (err.empty() ? "" : " (" + err + ")"),
                           story.substr(0, 1 << 16)});
    } else if (!err.empty()) {
        sink.reject(Reject{name, lines.line_no() + 1, err, {}});
    }
}

}  // namespace morgue::corpus
