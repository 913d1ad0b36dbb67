/** @file query_syntax.h
 *  @brief What Xapian's QueryParser forgives but a user should hear about, and Morgue's date forms.
 *
 *  QueryParser is lenient by design: an unbalanced quote becomes a phrase to the
 *  end, `nosuchfield:word` becomes two plain words. A reporter who typed
 *  `perso:"Kim Jong Un"` would then get an answer to another question without
 *  knowing it. check_query() reads the query once before QueryParser does, says
 *  where the problem is, and rewrites the few things QueryParser reads
 *  differently from what Morgue promises (capitalised words are stemmed here).
 *
 *  Dates: `date:2021-01-08`, `date:2021-01-01..2021-03-31`, `date:2021-01..2021-03`,
 *  `date:2020..2021`, open ends (`date:2021..`), `after:2021-01-01` (from that day on),
 *  `before:2021-03` (up to the end of March), `date:none` (undated). Every bound
 *  is inclusive at its own precision, in UTC.
 */
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

namespace morgue::searcher {

/// An inclusive range of publication days as value-slot strings (YYYYMMDD); an
/// empty bound is open. undated selects the articles without a date instead.
struct DateBounds {
    std::string lo;
    std::string hi;
    bool undated = false;
};

enum class DateField { Date, After, Before };

/// Reads the value of `date:`, `after:` or `before:` (also --from/--to). Throws
/// QueryError saying what is wrong with it ("no such day 2021-02-30").
[[nodiscard]] DateBounds parse_date_value(std::string_view value, DateField field);

/// The query matching the bounds on schema::kSlotDate (or the undated term).
[[nodiscard]] Xapian::Query date_query(const DateBounds& bounds);

/// Both bounds together: lo from a, hi from b (for --from/--to). Throws
/// QueryError when the range ends before it starts.
[[nodiscard]] DateBounds intersect(const DateBounds& a, const DateBounds& b);

struct CheckedQuery {
    /// The query rewritten for QueryParser: capitalised plain words lower-cased
    /// (so that they are stemmed), entity values replaced by placeholders.
    std::string text;
    /// Entity field values as typed, `person:"Kim Jong Un"` -> "Kim Jong Un".
    /// Xapian 1.4 hands a non-boolean FieldProcessor one lower-cased word, not
    /// the quoted value, so the rewrite puts entity_placeholder(i) there instead.
    std::vector<std::string> entity_values;
    /// Runs of plain words as typed (no operators, fields, phrases or -words
    /// between them; a comma ends a run): where a query may name an entity
    /// without saying so, `China Pakistan nuclear` -> {China, Pakistan, nuclear}.
    std::vector<std::vector<std::string>> word_runs;
};

/// Checks a query for unbalanced quotes and parentheses, unknown fields and bad
/// dates, and rewrites it for QueryParser. Throws QueryError naming the column.
[[nodiscard]] CheckedQuery check_query(std::string_view text);

/// The word standing for entity_values[i] in the rewritten query.
[[nodiscard]] std::string entity_placeholder(std::size_t i);

/// The field names a query may use, in --help order (schema fields, then
/// `entity`, `date`, `after`, `before`).
[[nodiscard]] std::string known_field_list();

}  // namespace morgue::searcher
