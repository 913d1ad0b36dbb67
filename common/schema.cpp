/** @file schema.cpp
 *  @brief The field table and the helpers that turn values into terms.
 */
#include "common/schema.h"

#include "common/date.h"
#include "common/text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace morgue::schema {

namespace {

constexpr std::array<Field, 14> k_fields{{
    {"title", "S", FieldKind::FreeText, Source::Title, 1, "words of the headline"},
    {"author", "A", FieldKind::FreeText, Source::Authors, 1, "words of an author's name"},
    {"source", "XSOURCE:", FieldKind::Boolean, Source::SourceName, 0, "the publisher, e.g. source:reuters"},
    {"site", "H", FieldKind::Boolean, Source::Host, 0, "the URL's host, e.g. site:apnews.com"},
    {"lang", "L", FieldKind::Boolean, Source::Language, 0, "language code, e.g. lang:en"},
    {"topic", "XTOPIC:", FieldKind::Boolean, Source::Topics, 0, "collection topic code, e.g. topic:acq"},
    {"person", "XPERSON:", FieldKind::Entity, Source::Person, 0, "a person, e.g. person:\"Kim Jong Un\""},
    {"org", "XORG:", FieldKind::Entity, Source::Org, 0, "an organisation, e.g. org:\"Associated Press\""},
    {"place", "XPLACE:", FieldKind::Entity, Source::Place, 0, "a place, e.g. place:Pyongyang"},
    {"misc", "XMISC:", FieldKind::Entity, Source::Misc, 0, "another named thing, e.g. misc:olympics"},
    {"id", "Q", FieldKind::Boolean, Source::Id, 0, "the article's id as given"},
    {"url", "U", FieldKind::Boolean, Source::Url, 0, "the article's exact URL"},
    // Not user-facing: the body is the default field of a query.
    {"", "", FieldKind::FreeText, Source::Body, 1, "words of the article"},
    {"", "", FieldKind::FreeText, Source::Title, 3, "headline words, weighted above body words"},
}};

}  // namespace

std::span<const Field> fields() noexcept { return k_fields; }

Xapian::termcount normalised_wdf(Xapian::termcount tf, Xapian::termcount words) noexcept {
    const double norm = 1.0 - kLengthB + kLengthB * static_cast<double>(words) / kNominalWords;
    const double wdf = std::round(kWdfScale * static_cast<double>(tf) / norm);
    return wdf < 1.0 ? 1 : static_cast<Xapian::termcount>(std::min(wdf, 1e9));
}

Xapian::BM25Weight ranking_weight(int schema_version) {
    if (schema_version <= 2) return Xapian::BM25Weight();
    // k1 = 1 on the unscaled frequencies; k2 = 0, k3 = 1 as Xapian's defaults; b = 0: no lengths.
    return Xapian::BM25Weight(kWdfScale, 0, 1, 0, 0.5);
}

bool readable_schema_version(std::string_view version) noexcept {
    for (int v = kOldestReadableSchemaVersion; v <= kSchemaVersion; ++v)
        if (version == std::to_string(v)) return true;
    return false;
}

const Field* find_field(std::string_view name) noexcept {
    if (name.empty()) return nullptr;
    for (const auto& f : k_fields) {
        if (f.name == name) return &f;
    }
    return nullptr;
}

std::string make_term(std::string_view prefix, std::string_view value) {
    std::string term(prefix);
    if (prefix.size() + value.size() <= kMaxTermBytes) {
        term += value;
        return term;
    }
    // Keep a readable head, cut at a UTF-8 boundary, then a hash of the whole value.
    char hash[24];
    std::snprintf(hash, sizeof hash, "#%016llx", static_cast<unsigned long long>(text::hash64(value)));
    std::size_t keep = kMaxTermBytes - prefix.size() - 17;
    while (keep > 0 && (static_cast<unsigned char>(value[keep]) & 0xC0) == 0x80) --keep;
    term.append(value.substr(0, keep));
    term += hash;
    return term;
}

std::string boolean_key(std::string_view value) {
    return text::collapse_spaces(text::to_lower(value));
}

std::string sort_key(std::optional<std::int64_t> unix_time, std::string_view id) {
    std::string key = "00000000000000";
    if (unix_time) {
        const std::int64_t t = *unix_time;
        const std::int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
        const std::int64_t secs = t - days * 86400;
        const CivilDate d = civil_from_days(days);
        char buf[32];
        std::snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d%02d", d.year, d.month, d.day,
                      static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
        key = buf;
    }
    key += id;
    return key;
}

std::string url_host(std::string_view url) {
    const auto scheme = url.find("://");
    if (scheme == std::string_view::npos) return {};
    std::string_view rest = url.substr(scheme + 3);
    const auto end = rest.find_first_of("/?#");
    std::string_view host = rest.substr(0, end);
    if (const auto at = host.rfind('@'); at != std::string_view::npos) host.remove_prefix(at + 1);
    if (const auto colon = host.rfind(':'); colon != std::string_view::npos && host.find(']') == std::string_view::npos)
        host = host.substr(0, colon);
    std::string h = text::to_lower(host);
    if (h.rfind("www.", 0) == 0) h.erase(0, 4);
    return h;
}

}  // namespace morgue::schema
