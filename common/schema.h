/** @file schema.h
 *  @brief The archive schema: one table of fields driving both indexing and query parsing.
 *
 *  Everything an archive holds, in one place (Omega's prefix conventions, so that
 *  `quest`, `xapian-delve` and Omega read a Morgue archive):
 *
 *  TERMS
 *    Z<stem>    body and title words, each indexed once: its English stem
 *               marked "Z" (TermGenerator::STEM_ALL_Z; no unstemmed copy), so
 *               phrases match stems; title words carry extra wdf, and every
 *               word's wdf is normalised by the article's length (see
 *               normalised_wdf below: BM25 without length lookups). No term
 *               positions since schema 3: the searcher checks phrases and NEAR
 *               against the stored text (searcher/positional.h), whose words it
 *               numbers as common/free_text.h says (title and body a term
 *               position gap apart, so that no phrase spans two fields).
 *               Omega's and quest's default (STEM_SOME) queries look plain words
 *               up as these Z terms (their phrases match as all their words);
 *               wildcards expand over stems (`evac*` finds Zevacu).
 *    ZS<stem>   title words (stemmed)                         field `title:`
 *    ZA<stem>   author names (stemmed)                        field `author:`
 *    Q<id>      the article's unique id (boolean); the document is written with
 *               replace_document("Q"+id) so re-adding replaces  field `id:`
 *    U<url>     URL (boolean; hashed past 240 bytes, see make_term)
 *    H<host>    URL host, lower-case, without "www."          field `site:`
 *    L<lang>    ISO 639-1 language                            field `lang:`
 *    XSOURCE:<key>  publisher/source, normalised key          field `source:`
 *    XTOPIC:<code>  collection topic code (Reuters, RCV1)     field `topic:`
 *    XPERSON:<key> XORG:<key> XPLACE:<key> XMISC:<key>
 *               named entities by canonical key (common/entity_key.h), from the
 *               NER tagger (indexer/ner/) and the collection's own metadata; the
 *               wdf is the number of mentions (plus a bonus for the title and
 *               lead) times kWdfScale, so that entity queries can rank by it
 *    XSURNAME:<key>  last word (4+ bytes) of a person's key of several words, same
 *               wdf: `person:biden` looks up XPERSON:biden OR XSURNAME:biden and
 *               so finds "Joe Biden"; facets count XPERSON: terms only
 *                                             fields `person:` `org:` `place:` `misc:` (`entity:` = any)
 *    D<YYYYMMDD> M<YYYYMM> Y<YYYY>  publication day, month, year (UTC), Omega-style
 *    XUNDATED   present on articles without a date           `date:none`
 *    XSH<b>:<hhhh>  near-duplicate fingerprint bands: the 64-bit simhash of the
 *               body's word shingles cut into 4 bands of 16 bits (b = 0..3,
 *               4 hex digits each); two fingerprints within Hamming distance 3
 *               share a band. Absent when the body is too short to fingerprint
 *    XDUP       present on an article folded under an earlier one (its cluster
 *               key is another article's id); termfreq = duplicates
 *    XCLUSTER:<id>  on the same folded articles: the cluster key (slot 2) as a term,
 *               so that a cluster's copies are Q<id> OR XCLUSTER:<id>, two short
 *               posting lists (the searcher's "and N similar" count)
 *    XDICT      present on the article that carries a zstd dictionary (slot 8)
 *    XDICT:<id> the article of this shard carrying zstd dictionary <id> in slot 8
 *               (one per shard and dictionary; no extra documents, so that
 *               document counts and BM25 statistics are the articles' alone)
 *
 *  VALUE SLOTS
 *    0 DATE       YYYYMMDD (8 ASCII digits, UTC), read by Xapian::DateRangeProcessor
 *    1 TIME       Xapian::sortable_serialise(seconds since epoch), for sorting and recency
 *    2 CLUSTER    near-duplicate cluster key: the id of the first article indexed
 *                 of its cluster (its own id if it is the first), for
 *                 Enquire::set_collapse_key(kSlotCluster)
 *    3 SOURCE     normalised source key (facets via ValueCountMatchSpy)
 *    4 HASH       16 hex digits, a hash of the article as read, before entity
 *                 tagging (its stored JSON without the tagger's entities), so that
 *                 a re-run recognises an unchanged article without tagging it
 *    5 SORTKEY    YYYYMMDDhhmmss (UTC; 00000000000000 when undated) then the id: one
 *                 value that orders by time and breaks ties by id, so that pages,
 *                 runs and shards agree (see sort_key; remote shards sort by a value
 *                 but not by a KeyMaker)
 *    6 SIMHASH    16 hex digits, the body's 64-bit simhash (absent if too short)
 *    7 ORDER      18 hex digits: add-run number (8) then the article's sequence
 *                 in that run's input (10); "indexed before" for duplicates
 *    8 DICTIONARY the raw zstd dictionary, on the one article per shard and
 *                 dictionary that carries it (term XDICT:<id>); empty elsewhere
 *
 *  DOCUMENT DATA
 *    One byte of format version (kDataFormat, 2), a varint length and the
 *    article's word sketch (one byte per word of title, authors and body, a hash
 *    of its stem: the searcher rules out candidates for a phrase without
 *    decompressing them; common/free_text.h), then a zstd frame of the Article
 *    serialised as JSON (common/article.h, article_to_json). The frame names
 *    the trained zstd dictionary it needs (dictionary id), which the same shard
 *    holds (common/dictionary_cache.h). The nightly writer compresses at zstd
 *    level 3 with a 256 KB dictionary trained on the first 4,000 articles of a
 *    new archive, entities included. An entity whose key is its name in ASCII
 *    lower case stores the key as 0 (rebuilt on reading).
 *
 *  SPELLING
 *    The words of title and body, lower case and unstemmed (none with digits or
 *    apostrophes), go into the archive's word list (common/word_list.h), each
 *    once, for the searcher's "did you mean". Shards written before it (until
 *    session 8) hold them in their own spelling table, which the searcher reads too.
 *
 *  METADATA KEYS
 *    morgue.schema_version   kSchemaVersion as decimal text; checked on open
 *    morgue.created          ISO 8601 UTC time the database was created
 *    morgue.zstd_dict.<id>   the raw zstd dictionary <id> used by this shard
 */
#pragma once

#include <xapian.h>

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace morgue::schema {

/// 3: no term positions in Xapian (phrases are checked against the stored text);
/// 2: words indexed once, as Z stems, with positions; 1: STEM_SOME, stems and unstemmed words.
inline constexpr int kSchemaVersion = 3;
/// The searcher also reads schema 2 shards: the same terms, values and data, plus positions it
/// does not need. The indexer writes only kSchemaVersion.
inline constexpr int kOldestReadableSchemaVersion = 2;
/// Whether the searcher reads a shard whose morgue.schema_version is `version`.
[[nodiscard]] bool readable_schema_version(std::string_view version) noexcept;
inline constexpr std::string_view kSchemaVersionKey = "morgue.schema_version";
inline constexpr std::string_view kCreatedKey = "morgue.created";
/// First byte of every document's data: the storage format of what follows.
/// 2: the word sketch (common/free_text.h) in front of the frame; 1: the frame alone (read too).
inline constexpr char kDataFormat = '\x02';
inline constexpr std::string_view kDictMetadataPrefix = "morgue.zstd_dict.";

enum Slot : Xapian::valueno {
    kSlotDate = 0,
    kSlotTime = 1,
    kSlotCluster = 2,
    kSlotSource = 3,
    kSlotHash = 4,
    kSlotSortKey = 5,
    kSlotSimhash = 6,
    kSlotOrder = 7,
    kSlotDictionary = 8,
};

/// How a field is indexed and queried.
enum class FieldKind {
    FreeText,  ///< words run through TermGenerator / QueryParser::add_prefix
    Boolean,   ///< one exact term per value, a filter in queries (add_boolean_prefix)
    Entity,    ///< like Boolean, but the wdf carries salience so queries may rank by it
};

/// Which Article part feeds a field at index time.
enum class Source { Title, Body, Authors, Id, Url, Host, Language, SourceName, Topics, Person, Org, Place, Misc, None };

struct Field {
    std::string_view name;    ///< user-facing name in queries (`title`), empty if not queryable
    std::string_view prefix;  ///< Xapian term prefix (`S`)
    FieldKind kind;
    Source source;
    unsigned wdf_inc;         ///< free text: weight per occurrence
    std::string_view help;    ///< one line for --help
};

/// The one table. Order is the order of --help.
[[nodiscard]] std::span<const Field> fields() noexcept;
/// Field by user-facing name, or nullptr.
[[nodiscard]] const Field* find_field(std::string_view name) noexcept;

inline constexpr std::string_view kPrefixId = "Q";
inline constexpr std::string_view kPrefixUrl = "U";
inline constexpr std::string_view kPrefixDay = "D";
inline constexpr std::string_view kPrefixMonth = "M";
inline constexpr std::string_view kPrefixYear = "Y";
inline constexpr std::string_view kTermUndated = "XUNDATED";
/// A person's surname, so that person:SURNAME finds the full name (see the comment above).
inline constexpr std::string_view kPrefixSurname = "XSURNAME:";
inline constexpr std::string_view kPrefixBand = "XSH";
inline constexpr std::string_view kTermDuplicate = "XDUP";
inline constexpr std::string_view kPrefixCluster = "XCLUSTER:";
inline constexpr std::string_view kTermDictionary = "XDICT";
inline constexpr std::string_view kPrefixDict = "XDICT:";

/// Ranking without document lengths. Since schema 3 a word's wdf (Z, ZS and ZA terms) is BM25's
/// length-normalised term frequency, scaled to an integer:
///   wdf = max(1, round(kWdfScale * tf / (1 - kLengthB + kLengthB * words / kNominalWords)))
/// where tf counts the word's occurrences as TermGenerator weighs them (title words thrice) and
/// `words` is the sum of tf over the article's words; an entity term's wdf is its salience times
/// kWdfScale. The searcher ranks with BM25 at b = 0 and k1 = kWdfScale (ranking_weight), which
/// orders articles as BM25 with k1 = 1 and b = kLengthB over an average length of kNominalWords
/// would: b = 0 spares Xapian a document-length lookup per candidate (half of every query at a
/// million articles: glass decodes the length list up to each docid it looks for).
inline constexpr double kWdfScale = 20.0;
inline constexpr double kLengthB = 0.5;
inline constexpr double kNominalWords = 400.0;

/// The wdf a word with (weighted) term frequency tf gets in an article of `words` words.
[[nodiscard]] Xapian::termcount normalised_wdf(Xapian::termcount tf, Xapian::termcount words) noexcept;
/// The weighting an archive of this schema version ranks with: BM25 at b = 0 over the
/// normalised wdfs of schema 3, Xapian's default BM25 for schema 2.
[[nodiscard]] Xapian::BM25Weight ranking_weight(int schema_version);

/// A plain word's term in the body and title field: Z then its stem, which starts lower case
/// (a field's words are Z then the field's upper-case prefix, ZS for the title).
[[nodiscard]] inline bool is_plain_word_term(std::string_view term) noexcept {
    return term.size() > 1 && term[0] == 'Z' && !(term[1] >= 'A' && term[1] <= 'Z');
}

/// Longest term Xapian accepts is 245 bytes; we keep a margin.
inline constexpr std::size_t kMaxTermBytes = 240;

/// prefix + value, with a value too long for a Xapian term replaced by a
/// prefix of it and a hash of the whole (so it stays unique and deterministic).
[[nodiscard]] std::string make_term(std::string_view prefix, std::string_view value);

/// The key a boolean field stores and a query looks up: lower-case, spaces
/// collapsed, trimmed. Entities use their own canonical key.
[[nodiscard]] std::string boolean_key(std::string_view value);

/// The kSlotSortKey value of an article: its UTC time as YYYYMMDDhhmmss (all
/// zeros when undated) followed by its id.
[[nodiscard]] std::string sort_key(std::optional<std::int64_t> unix_time, std::string_view id);

/// Host of a URL, lower-cased, without "www." and port; empty if none.
[[nodiscard]] std::string url_host(std::string_view url);

}  // namespace morgue::schema
