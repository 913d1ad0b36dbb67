/** @file test_ner.cpp
 *  @brief Tests of the named-entity tagger: scoring, tokenising, entity keys, model files, tagging and
 *         in-document resolution. Tests that need ../shared/ skip with a message when it is absent.
 */
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "common/entity_key.h"
#include "common/error.h"
#include "indexer/ner/conll.h"
#include "indexer/ner/entities.h"
#include "indexer/ner/model.h"
#include "indexer/ner/tagger.h"
#include "indexer/ner/tokenizer.h"
#include "indexer/ner/trainer.h"

namespace fs = std::filesystem;
using namespace morgue::ner;
using morgue::entity_key;

namespace {

fs::path temp_file(const std::string& name, const std::string& content) {
    const fs::path p = fs::temp_directory_path() / ("morgue-test-ner-" + std::to_string(::getpid()) + "-" + name);
    std::ofstream(p, std::ios::binary) << content;
    return p;
}

fs::path shared_dir() {
    if (const char* env = std::getenv("MORGUE_SHARED"); env && *env) return env;
#ifdef MORGUE_SHARED_DIR
    return MORGUE_SHARED_DIR;
#else
    return "../shared";
#endif
}

const Tagger& tagger() {
    static const Tagger t = Tagger::load_default();
    return t;
}

std::vector<std::string> texts(const std::vector<Token>& tokens) {
    std::vector<std::string> out;
    for (const Token& t : tokens) out.push_back(t.text);
    return out;
}

const Entity* find_entity(const std::vector<Entity>& entities, EntityType type, const std::string& name) {
    const std::string key = entity_key(name);
    for (const Entity& e : entities)
        if (e.type == type && e.key == key) return &e;
    return nullptr;
}

std::string describe(const std::vector<Entity>& entities) {
    std::string s;
    for (const Entity& e : entities) s += std::string(conll_name(e.type)) + ":" + e.name + "x" + std::to_string(e.mentions) + " ";
    return s;
}

}  // namespace

TEST_CASE("conlleval-style scoring on a hand-made fixture") {
    // Gold: John Smith/PER, New York/LOC, IBM/ORG, Apple/ORG. Predicted: John Smith/PER (right),
    // New/LOC (wrong span), IBM/ORG (right), Apple/LOC (wrong type).
    const std::string gold_file =
        "-DOCSTART- -X- -X- O\n\n"
        "John NNP B-NP B-PER\nSmith NNP I-NP I-PER\nlives VBZ B-VP O\nin IN B-PP O\n"
        "New NNP B-NP B-LOC\nYork NNP I-NP I-LOC\n. . O O\n\n"
        "IBM NNP B-NP B-ORG\nbought VBD B-VP O\nApple NNP B-NP B-ORG\n. . O O\n";
    const auto docs = read_conll(temp_file("gold.conll", gold_file));
    REQUIRE(docs.size() == 1);
    REQUIRE(docs[0].sentences.size() == 2);
    const std::vector<std::vector<Tag>> predicted = {
        {*parse_tag("B-PER"), *parse_tag("I-PER"), 0, 0, *parse_tag("B-LOC"), 0, 0},
        {*parse_tag("B-ORG"), 0, *parse_tag("B-LOC"), 0}};
    ChunkScorer scorer;
    for (std::size_t i = 0; i < 2; ++i) scorer.add(docs[0].sentences[i].tags, predicted[i]);
    CHECK(scorer.tokens() == 11);
    CHECK(scorer.overall().gold == 4);
    CHECK(scorer.overall().predicted == 4);
    CHECK(scorer.overall().correct == 2);
    CHECK(scorer.overall().precision() == doctest::Approx(50.0));
    CHECK(scorer.overall().recall() == doctest::Approx(50.0));
    CHECK(scorer.overall().f1() == doctest::Approx(50.0));
    CHECK(scorer.per_type(EntityType::Person).f1() == doctest::Approx(100.0));
    CHECK(scorer.per_type(EntityType::Place).precision() == doctest::Approx(0.0));
    CHECK(scorer.per_type(EntityType::Org).precision() == doctest::Approx(100.0));
    CHECK(scorer.per_type(EntityType::Org).recall() == doctest::Approx(50.0));
    CHECK(scorer.per_type(EntityType::Org).f1() == doctest::Approx(200.0 / 3.0));
}

TEST_CASE("conlleval chunk rules: I- after O or another type starts a chunk") {
    const std::vector<Tag> tags = {*parse_tag("I-PER"), *parse_tag("I-PER"), *parse_tag("I-LOC"), 0,
                                   *parse_tag("B-ORG"), *parse_tag("B-ORG")};
    const auto chunks = chunks_of(tags);
    REQUIRE(chunks.size() == 4);
    CHECK(chunks[0] == Chunk{0, 2, EntityType::Person});
    CHECK(chunks[1] == Chunk{2, 3, EntityType::Place});
    CHECK(chunks[2] == Chunk{4, 5, EntityType::Org});
    CHECK(chunks[3] == Chunk{5, 6, EntityType::Org});
}

TEST_CASE("a malformed CoNLL line is reported with file and line") {
    const fs::path p = temp_file("bad.conll", "EU NNP B-NP B-ORG\nrejects VBZ B-VP X-FOO\n");
    try {
        (void)read_conll(p);
        FAIL("no error thrown");
    } catch (const morgue::Error& e) {
        const std::string msg = e.what();
        CHECK(msg.find(p.string() + ":2:") != std::string::npos);
    }
}

TEST_CASE("tokenizer follows CoNLL conventions and keeps byte offsets") {
    const std::string text = "Kim Jong Un\xE2\x80\x99s party, the Workers\xE2\x80\x99 Party, met in the U.S. on Jan. 20. "
                             "It didn't end.\n\nNew paragraph (AP/Reuters) here.";
    const auto sentences = tokenize(text);
    REQUIRE(sentences.size() == 3);
    CHECK(texts(sentences[0].tokens) == std::vector<std::string>{"Kim", "Jong", "Un", "'s", "party", ",", "the",
                                                                 "Workers", "'", "Party", ",", "met", "in", "the",
                                                                 "U.S.", "on", "Jan.", "20", "."});
    CHECK(texts(sentences[1].tokens) == std::vector<std::string>{"It", "did", "n't", "end", "."});
    CHECK(texts(sentences[2].tokens) ==
          std::vector<std::string>{"New", "paragraph", "(", "AP", "/", "Reuters", ")", "here", "."});
    CHECK(sentences[2].paragraph_start);
    for (const auto& s : sentences) {
        for (const Token& t : s.tokens) {
            const std::string_view src = std::string_view(text).substr(t.begin, t.end - t.begin);
            if (t.text == "'s") CHECK(src == "\xE2\x80\x99s");
            else if (t.text == "'") CHECK(src == "\xE2\x80\x99");
            else CHECK(src == t.text);
        }
    }
}

TEST_CASE("entity keys fold case, accents, punctuation and spacing") {
    CHECK(entity_key("Kim Jong-Un") == "kim jong un");
    CHECK(entity_key("KIM JONG UN") == "kim jong un");
    CHECK(entity_key("kim  jong un") == "kim jong un");
    CHECK(entity_key("  Kim\tJong\nUn ") == "kim jong un");
    CHECK(entity_key("Workers' Party") == entity_key("Workers Party"));
    CHECK(entity_key("Workers\xE2\x80\x99 Party") == "workers party");
    CHECK(entity_key("U.S.") == entity_key("US"));
    CHECK(entity_key("S\xC3\xA3o Paulo") == "sao paulo");
    CHECK(entity_key("Fran\xC3\xA7ois Hollande") == "francois hollande");
    CHECK(entity_key("Stra\xC3\x9F" "e") == "strasse");
    CHECK(entity_key("...") == "");
    CHECK(entity_key("\xC4\xB0stanbul") == "istanbul");  // dotted capital I folds to i + a combining dot
    // ASCII takes a fast path; it must agree with the ICU path.
    CHECK(entity_key("O'Brien-Smith, Jr.") == entity_key("O\xE2\x80\x99" "Brien\xE2\x80\x94" "Smith, Jr\xC2\xB7"));
    CHECK(entity_key("AT&T  Corp.") == "at t corp");
    CHECK(entity_key("AT&T  Corp.\xC3\xA9") == "at t corpe");
}

TEST_CASE("model files round-trip and bad files are rejected") {
    ModelData m;
    m.bucket_bits = 10;
    m.scale = 2.5f;
    m.weights.assign((std::size_t{1} << 10) * k_num_tags, 0);
    m.weights[7] = -3;
    m.weights[100] = 1234;
    m.transitions[3] = 0.5f;
    m.lexicon = {{1, 2}, {5, 9}};
    m.gazetteer = {{42, 4}};
    m.gazetteer_max_len = 3;
    m.clusters = {{77, (5u << 5) | 3u}};
    m.info = "test model";
    const fs::path p = fs::temp_directory_path() / ("morgue-test-ner-" + std::to_string(::getpid()) + ".bin");
    save_model(m, p);
    const ModelData r = load_model_data(p);
    CHECK(r.bucket_bits == 10);
    CHECK(r.scale == 2.5f);
    CHECK(r.weights == m.weights);
    CHECK(r.transitions == m.transitions);
    CHECK(r.lexicon == m.lexicon);
    CHECK(r.gazetteer == m.gazetteer);
    CHECK(r.gazetteer_max_len == 3);
    CHECK(r.clusters == m.clusters);
    CHECK(r.info == "test model");
    CHECK_THROWS_AS((void)load_model_data(temp_file("junk.bin", "not a model at all, definitely not")), morgue::Error);
    CHECK_THROWS_AS((void)Tagger::load("/nonexistent/model.bin"), morgue::Error);
}

TEST_CASE("the shipped model tags a sentence") {
    const std::vector<std::vector<std::string_view>> doc = {
        {"German", "Chancellor", "Helmut", "Kohl", "met", "executives", "of", "Deutsche", "Bank", "in", "Bonn", "."}};
    const auto tags = tagger().tag_document(doc);
    REQUIRE(tags.size() == 1);
    const auto chunks = chunks_of(tags[0]);
    CHECK(std::find(chunks.begin(), chunks.end(), Chunk{0, 1, EntityType::Misc}) != chunks.end());
    CHECK(std::find(chunks.begin(), chunks.end(), Chunk{2, 4, EntityType::Person}) != chunks.end());
    CHECK(std::find(chunks.begin(), chunks.end(), Chunk{7, 9, EntityType::Org}) != chunks.end());
    CHECK(std::find(chunks.begin(), chunks.end(), Chunk{10, 11, EntityType::Place}) != chunks.end());
}

TEST_CASE("headlines in capitals or title case are tagged") {
    for (const char* title : {"KIM JONG UN VOWS TO IMPROVE NORTH KOREA'S TIES TO OUTSIDE WORLD",
                              "Kim Jong Un Vows To Improve North Korea's Ties To Outside World"}) {
        CAPTURE(title);
        const auto entities = extract_entities(tagger(), title, "");
        INFO(describe(entities));
        const Entity* kim = find_entity(entities, EntityType::Person, "Kim Jong Un");
        REQUIRE(kim != nullptr);
        CHECK(kim->in_title);
        CHECK(find_entity(entities, EntityType::Place, "North Korea") != nullptr);
        CHECK(find_entity(entities, EntityType::Person, "Vows") == nullptr);
        CHECK(entities.size() == 2);
    }
}

TEST_CASE("in-document resolution: short names, one type per name, acronyms") {
    const std::string body =
        "The International Atomic Energy Agency (IAEA) said on Monday that Joe Biden had met Angela Merkel in "
        "Berlin. Biden told reporters the IAEA would report soon. Merkel agreed.\n\n"
        "Later, Biden flew to Paris.";
    const auto entities = extract_entities(tagger(), "Talks in Berlin", body);
    INFO(describe(entities));
    const Entity* biden = find_entity(entities, EntityType::Person, "Joe Biden");
    REQUIRE(biden != nullptr);
    CHECK(biden->mentions == 3);
    CHECK(biden->in_lead);
    CHECK_FALSE(biden->in_title);
    CHECK(find_entity(entities, EntityType::Person, "Biden") == nullptr);
    const Entity* iaea = find_entity(entities, EntityType::Org, "International Atomic Energy Agency");
    REQUIRE(iaea != nullptr);
    CHECK(iaea->mentions == 3);
    CHECK(find_entity(entities, EntityType::Org, "IAEA") == nullptr);
    const Entity* berlin = find_entity(entities, EntityType::Place, "Berlin");
    REQUIRE(berlin != nullptr);
    CHECK(berlin->in_title);
    CHECK(berlin->mentions == 2);
    const Entity* merkel = find_entity(entities, EntityType::Person, "Angela Merkel");
    REQUIRE(merkel != nullptr);
    CHECK(merkel->mentions == 2);
}

TEST_CASE("tagging is safe from several threads") {
    const std::string body = "Kim Jong Un met Moon Jae-in in Panmunjom, the Yonhap news agency said. "
                             "South Korea and the United Nations welcomed the talks.";
    const auto expected = extract_entities(tagger(), "Leaders meet", body);
    std::vector<std::vector<Entity>> results(4);
    std::vector<std::thread> threads;
    for (auto& r : results)
        threads.emplace_back([&r, &body] {
            for (int k = 0; k < 20; ++k) r = extract_entities(tagger(), "Leaders meet", body);
        });
    for (auto& t : threads) t.join();
    for (const auto& r : results) {
        REQUIRE(r.size() == expected.size());
        for (std::size_t i = 0; i < r.size(); ++i) CHECK(r[i].key == expected[i].key);
    }
}

TEST_CASE("seed article: people, places and organisations are found") {
    const fs::path dir = shared_dir() / "corpus" / "seed";
    const fs::path file = dir / "kim-jong-un-party-congress.txt";
    if (!fs::exists(file)) {
        MESSAGE("skipped: " << file.string() << " not found (set MORGUE_SHARED to the shared folder)");
        return;
    }
    std::ifstream in(file, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::size_t nl = text.find('\n');
    const auto entities = extract_entities(tagger(), std::string_view(text).substr(0, nl),
                                           std::string_view(text).substr(nl + 1));
    INFO(describe(entities));
    for (const char* name : {"Kim Jong Un", "Kim Jong Il", "Joe Biden", "Trump"})
        CHECK_MESSAGE(find_entity(entities, EntityType::Person, name) != nullptr, "person " << name);
    for (const char* name : {"North Korea", "South Korea", "Pyongyang", "Vietnam", "Washington"})
        CHECK_MESSAGE(find_entity(entities, EntityType::Place, name) != nullptr, "place " << name);
    for (const char* name : {"Workers' Party", "Korean Central News Agency", "Associated Press"})
        CHECK_MESSAGE(find_entity(entities, EntityType::Org, name) != nullptr, "org " << name);
    const Entity* kim = find_entity(entities, EntityType::Person, "Kim Jong Un");
    REQUIRE(kim != nullptr);
    CHECK(kim->in_title);
    CHECK(kim->mentions > 10);  // "Kim" alone resolves to the full name
    CHECK(find_entity(entities, EntityType::Person, "Kim") == nullptr);
    CHECK(find_entity(entities, EntityType::Org, "KCNA") == nullptr);  // joined to its long form
}

TEST_CASE("the tagger's form memo and shared stage features change no tag (CoNLL-2003 dev set, both stages)") {
    const fs::path file = shared_dir() / "ner" / "conll2003" / "valid.txt";
    if (!fs::exists(file)) {
        MESSAGE("skipped: " << file.string() << " not found (set MORGUE_SHARED to the shared folder)");
        return;
    }
    const ModelData data = load_model_data(find_model());
    REQUIRE_FALSE(data.stack_weights.empty());
    const Resources res = Resources::from(data);
    const FeatureExtractor extractor(res, data.bucket_bits);
    const StageView one{data.weights.data(), 1.0f / data.scale, &data.transitions};
    const StageView two{data.stack_weights.data(), 1.0f / data.stack_scale, &data.stack_transitions};
    FormMemo memo;  // one memo for the whole set, as a worker thread keeps it: forms recur and collide
    StageShare share{MemoUse{&memo, {data.weights.data(), data.stack_weights.data()}}, {}};
    std::size_t tokens = 0, documents = 0, entities = 0;
    for (const ConllDocument& doc : read_conll(file)) {
        std::vector<std::vector<std::string_view>> sentences;
        std::vector<SentenceKind> kinds;
        for (const ConllSentence& s : doc.sentences) {
            sentences.emplace_back(s.words.begin(), s.words.end());
            kinds.push_back(sentences.size() == 1 ? SentenceKind::Headline : SentenceKind::Body);
            tokens += s.words.size();
        }
        std::vector<std::vector<Tag>> plain1, plain2, memo1, memo2;
        DocHistory plain_doc, memo_doc;
        run_stage(extractor, one, sentences, kinds, nullptr, nullptr, plain1, &plain_doc);
        run_stage(extractor, two, sentences, kinds, &plain1, &plain_doc, plain2);
        run_stage(extractor, one, sentences, kinds, nullptr, nullptr, memo1, &memo_doc, &share);
        run_stage(extractor, two, sentences, kinds, &memo1, &memo_doc, memo2, nullptr, &share);
        REQUIRE(memo1 == plain1);
        REQUIRE(memo2 == plain2);
        for (const auto& s : plain2) entities += chunks_of(s).size();
        ++documents;
    }
    MESSAGE(documents << " documents, " << tokens << " tokens, " << entities << " entities tagged alike");
    CHECK(tokens > 40000);
    CHECK(entities > 4000);
}
