/** @file trainer.h
 *  @brief Training the tagger: lexical resources from unlabelled text and gazetteers, then an
 *         averaged structured perceptron over CoNLL-2003 data.
 */
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "indexer/ner/conll.h"
#include "indexer/ner/model.h"

namespace morgue::ner {

struct TrainOptions {
    std::filesystem::path train_file;
    std::filesystem::path dev_file;                  ///< optional: F1 printed after each epoch
    std::vector<std::filesystem::path> corpus_dirs;  ///< unlabelled news (NewsML .xml, Reuters .sgm)
    std::filesystem::path iso_codes_dir = "/usr/share/iso-codes/json";
    std::vector<std::filesystem::path> gazetteer_lists;  ///< "TYPE<TAB>name" or Reuters all-*-strings files
    int epochs = 12;
    int stack_epochs = 6;  ///< epochs of the second stage
    std::uint32_t bucket_bits = 20;
    bool stacked = true;          ///< train the second stage (document-level aggregation of stage one)
    int cluster_count = 128;      ///< fine word classes (0: no clusters)
    std::uint64_t seed = 20031;  ///< shuffling seed (training is deterministic for a given seed)
};

/// Trains a model; progress lines go to log when given. Throws morgue::Error on bad input.
[[nodiscard]] ModelData train_model(const TrainOptions& options, std::ostream* log);

/// Scores a model on CoNLL documents (each document tagged as a whole, sentences in order).
struct EvalResult {
    ChunkScorer scorer;
    double seconds = 0;  ///< CPU time of tagging only (the calling thread's)
};
class Tagger;
[[nodiscard]] EvalResult evaluate(const Tagger& tagger, const std::vector<ConllDocument>& docs);

}  // namespace morgue::ner
