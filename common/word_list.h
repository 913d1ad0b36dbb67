/** @file word_list.h
 *  @brief The archive's spelling words ("did you mean"): one small Xapian database
 *         beside the shards, each word written once for the whole archive.
 *
 *  Until session 8 every shard kept the words of its articles in Xapian's spelling
 *  table. That table keeps trigram and affix entries for every new word and rewrites
 *  a word's frequency at each checkpoint, and a month shard starts empty, so the
 *  vocabulary was paid again for every month: a third of the writer's time
 *  (docs/BENCHMARKS.md, "One word list for the archive"). The searcher never used
 *  those entries: it scans the words under a first letter and ranks the close ones
 *  by how many articles hold their stem (searcher/spelling.h). So the words now live
 *  in ArchiveLayout::words_db(): user metadata, key kKeyPrefix + word, value the
 *  word's indexed Z term. The writer commits it before the shards at each
 *  checkpoint, so every committed article's words are in it; a word left by a run
 *  killed before its shards committed names a stem no article has, and the searcher
 *  passes over such words. Shards written before keep their spelling tables, which
 *  the searcher still reads.
 */
#pragma once

#include <xapian.h>

#include <optional>
#include <string>
#include <string_view>

namespace morgue::words {

/// Metadata key prefix of a word in the word list.
inline constexpr std::string_view kKeyPrefix = "w";
/// Metadata key holding the word list's format version.
inline constexpr std::string_view kVersionKey = "morgue.words_version";
inline constexpr std::string_view kVersion = "1";

[[nodiscard]] std::string key(std::string_view word);

/// The word list of the archive at `path` (an archive directory, or its XAPIANDB stub),
/// read-only, or nullopt when there is none: another stub file, a single shard, remote
/// shards, or an archive indexed before the word list existed. Throws ArchiveError naming the
/// database when it is there but cannot be opened.
[[nodiscard]] std::optional<Xapian::Database> open_for(const std::string& path);

/// Calls fn(word) (a std::string_view, valid for the call) for each word of the list starting
/// with `prefix`, in byte order, until fn returns false.
template <class Fn>
void for_each_word(const Xapian::Database& list, std::string_view prefix, Fn&& fn) {
    std::string start(kKeyPrefix);
    start += prefix;
    for (auto it = list.metadata_keys_begin(start); it != list.metadata_keys_end(start); ++it) {
        const std::string k = *it;
        if (!fn(std::string_view(k).substr(kKeyPrefix.size()))) return;
    }
}

}  // namespace morgue::words
