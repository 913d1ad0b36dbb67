/** @file newsml_reader.cpp
 *  @brief NewsML newsitems scanned with markup.h; the whole file is read (files are small, bounded).
 */
#include "corpus/newsml_reader.h"

#include "common/error.h"
#include "common/text.h"
#include "corpus/clean.h"
#include "corpus/date_parse.h"
#include "corpus/input_stream.h"
#include "corpus/markup.h"

#include <algorithm>
#include <cctype>

namespace morgue::corpus {

namespace {

long line_of(std::string_view doc, std::size_t offset) {
    return 1 + static_cast<long>(std::count(doc.begin(), doc.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

}  // namespace

bool looks_like_newsml(std::string_view head) noexcept {
    std::size_t i = 0;
    if (head.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
    while (i < head.size() && std::isspace(static_cast<unsigned char>(head[i]))) ++i;
    head.remove_prefix(i);
    if (head.rfind("<?xml", 0) != 0 && head.rfind("<newsitem", 0) != 0 && head.rfind("<NewsML", 0) != 0) return false;
    return head.find("<newsitem") != std::string_view::npos;
}

Article parse_newsitem(std::string_view item, bool latin1, const std::string& name, long line) {
    const CleanOptions opts{.latin1_only = latin1};
    const auto open_end = item.find('>');
    if (open_end == std::string_view::npos) throw InputError(name, line, "newsitem has no end of tag");
    const std::string_view open_tag = item.substr(0, open_end + 1);
    const std::string itemid = clean_line(markup::attribute(open_tag, "itemid"), opts);
    if (itemid.empty()) throw InputError(name, line, "newsitem without an itemid");
    Article a;
    a.id = "rcv1:" + itemid;
    a.origin = name + ":" + std::to_string(line);
    a.language = text::to_lower(markup::attribute(open_tag, "xml:lang"));

    a.title = clean_line(markup::element_text(item, "headline"), opts);
    if (a.title.empty()) {
        std::string title = clean_line(markup::element_text(item, "title"), opts);
        // "HONG KONG: Hong Kong sees ..." -> drop the upper-case place prefix.
        if (const auto colon = title.find(": "); colon != std::string::npos && colon < 40 &&
                                                 text::to_lower(title.substr(0, colon)) != title.substr(0, colon))
            title.erase(0, colon + 2);
        a.title = std::move(title);
    }
    a.dateline = clean_line(markup::element_text(item, "dateline"), opts);
    std::string byline = clean_line(markup::element_text(item, "byline"), opts);
    if (byline.size() > 3 && (byline.rfind("By ", 0) == 0 || byline.rfind("by ", 0) == 0)) byline.erase(0, 3);
    if (!byline.empty()) a.authors.push_back(byline);

    std::string raw_body;
    const std::string_view txt = markup::element_text(item, "text");
    bool any_p = false;
    markup::for_each_element(txt, "p", [&](const markup::Element& p) {
        raw_body.append(markup::remove_tags(p.content));
        raw_body += '\n';
        any_p = true;
    });
    if (!any_p) raw_body = markup::remove_tags(txt);
    // XML entities are decoded before whitespace is tidied; a paragraph's own newlines are spaces.
    std::string flattened;
    for (std::size_t pos = 0; pos < raw_body.size();) {
        const auto nl = raw_body.find('\n', pos);
        const std::string_view one = std::string_view(raw_body).substr(pos, nl - pos);
        if (any_p) {
            flattened += clean_line(one, opts);
            flattened += '\n';
        } else {
            flattened.append(one);
            flattened += '\n';
        }
        if (nl == std::string::npos) break;
        pos = nl + 1;
    }
    a.body = clean_block(flattened, CleanOptions{.entities = !any_p, .latin1_only = latin1 && !any_p});

    std::string published, source;
    const std::string_view metadata = markup::element_text(item, "metadata");
    markup::for_each_element(metadata, "codes", [&](const markup::Element& codes) {
        const std::string cls = markup::attribute(codes.open_tag, "class");
        const bool places = cls.find("countries") != std::string::npos || cls.find("regions") != std::string::npos;
        const bool topics = cls.find("topics") != std::string::npos || cls.find("industries") != std::string::npos;
        markup::for_each_element(codes.content, "code", [&](const markup::Element& code) {
            const std::string value = clean_line(markup::attribute(code.open_tag, "code"), opts);
            if (value.empty()) return;
            if (places) a.entities.push_back(given_entity(EntityKind::Place, value));
            else if (topics) a.topics.push_back(value);
        });
    });
    std::size_t from = 0;
    while (auto dc = markup::find_element(metadata, "dc", from)) {
        const std::string element = markup::attribute(dc->open_tag, "element");
        const std::string value = clean_line(markup::attribute(dc->open_tag, "value"), opts);
        if (element == "dc.date.published" && published.empty()) published = value;
        if (element == "dc.source" && source.empty()) source = value;
        from = dc->end;
    }
    a.source = source.empty() ? "Reuters" : source;
    a.date = parse_date(markup::attribute(open_tag, "date"));
    if (!a.date && !published.empty()) a.date = parse_date(published);
    if (a.title.empty() && a.body.empty() && a.entities.empty() && a.topics.empty())
        throw InputError(name, line, "newsitem has neither title nor text");
    return a;
}

void read_newsml(std::istream& in, const std::string& name, const Sink& sink) {
    std::string doc;
    std::string chunk(1 << 16, '\0');
    for (;;) {
        in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        if (got == 0) break;
        doc.append(chunk, 0, got);
        if (doc.size() > kMaxRecordBytes) {
            sink.reject(Reject{name, 1, "XML file larger than " + std::to_string(kMaxRecordBytes >> 20) + " MB",
                               doc.substr(0, 4096)});
            return;
        }
    }
    // <?xml version="1.0" encoding="iso-8859-1" ?>: 8-bit declared encodings are read byte by byte.
    bool latin1 = false;
    if (doc.rfind("<?xml", 0) == 0) {
        const std::string decl = text::to_lower(doc.substr(0, doc.find("?>")));
        latin1 = decl.find("8859") != std::string::npos || decl.find("latin") != std::string::npos ||
                 decl.find("1252") != std::string::npos;
    }
    std::size_t from = 0;
    std::size_t found = 0;
    while (auto item = markup::find_element(doc, "newsitem", from)) {
        const std::size_t at = static_cast<std::size_t>(item->open_tag.data() - doc.data());
        const long line = line_of(doc, at);
        const std::string_view whole(doc.data() + at, item->end - at);
        ++found;
        try {
            sink.article(parse_newsitem(whole, latin1, name, line));
        } catch (const InputError& e) {
            sink.reject(Reject{name, line, e.reason(), std::string(whole.substr(0, 1 << 16))});
        }
        from = item->end;
    }
    const std::string err = stream_error(in);
    if (const std::size_t open = doc.find("<newsitem", from); open != std::string::npos) {
        sink.reject(Reject{name, line_of(doc, open),
                           "newsitem not closed before the end of the file" + (err.empty() ? "" : " (" + err + ")"),
                           doc.substr(open, 1 << 16)});
    } else if (!err.empty()) {
        sink.reject(Reject{name, line_of(doc, doc.size()), err, {}});
    } else if (found == 0) {
        sink.reject(Reject{name, 1, "XML file without a newsitem", doc.substr(0, 4096)});
    }
}

}  // namespace morgue::corpus
