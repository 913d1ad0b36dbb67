/** @file tagger.h
 *  @brief The NER tagger: a loaded model that tags sentences of a document.
 */
#pragma once

#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/ner/features.h"
#include "indexer/ner/model.h"
#include "indexer/ner/tags.h"

namespace morgue::ner {

/// An immutable trained model. Copies share the model; all methods are const and safe to call
/// from several threads at once.
class Tagger {
public:
    /// Loads a model file; throws morgue::Error naming the file when it is missing or corrupt.
    [[nodiscard]] static Tagger load(const std::filesystem::path& path);
    /// Loads the model found by find_model(explicit_path).
    [[nodiscard]] static Tagger load_default(const std::filesystem::path& explicit_path = {});
    /// Wraps model data already in memory (used by the trainer to evaluate).
    [[nodiscard]] static Tagger from_data(ModelData data);

    /// Tags one document, sentence by sentence in order: what was found earlier informs later sentences.
    /// kinds may be empty (all Body) or give one kind per sentence.
    [[nodiscard]] std::vector<std::vector<Tag>> tag_document(std::span<const std::vector<std::string_view>> sentences,
                                                             std::span<const SentenceKind> kinds = {}) const;

    /// The forms the tagger sees: all-capitals sentences and title-case headlines truecased with the
    /// model's lexicon ("KOHL VISITS PARIS" -> "Kohl visits Paris"); other sentences unchanged.
    [[nodiscard]] std::vector<std::string> truecase(std::span<const std::string_view> words, SentenceKind kind) const;

    /// Training details recorded in the model file.
    [[nodiscard]] const std::string& info() const;

private:
    struct Impl;
    explicit Tagger(std::shared_ptr<const Impl> impl) : m_impl(std::move(impl)) {}
    std::shared_ptr<const Impl> m_impl;
};

}  // namespace morgue::ner
