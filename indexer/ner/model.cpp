/** @file model.cpp
 *  @brief Saving, loading and locating model files.
 */
#include "indexer/ner/model.h"

#include <zstd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <system_error>

#include "common/error.h"

#ifndef MORGUE_NER_SOURCE_MODEL_DIR
#define MORGUE_NER_SOURCE_MODEL_DIR ""
#endif

namespace morgue::ner {
namespace {

constexpr char k_magic[8] = {'M', 'R', 'G', 'N', 'E', 'R', '0', '2'};
constexpr char k_magic_v1[8] = {'M', 'R', 'G', 'N', 'E', 'R', '0', '1'};

class Writer {
public:
    template <typename T>
    void put(const T& v) {
        char bytes[sizeof(T)];
        std::memcpy(bytes, &v, sizeof(T));
        m_buf.append(bytes, sizeof(T));
    }
    template <typename T>
    void put_array(const T* data, std::size_t n) {
        m_buf.append(reinterpret_cast<const char*>(data), n * sizeof(T));
    }
    template <typename V>
    void put_table(const std::vector<std::pair<std::uint64_t, V>>& table) {
        put<std::uint64_t>(table.size());
        for (const auto& [k, v] : table) { put(k); put(v); }
    }
    std::string& buffer() { return m_buf; }

private:
    std::string m_buf;
};

class Reader {
public:
    Reader(std::string_view buf, const std::string& name) : m_buf(buf), m_name(name) {}
    template <typename T>
    T get() {
        T v;
        need(sizeof(T));
        std::memcpy(&v, m_buf.data() + m_pos, sizeof(T));
        m_pos += sizeof(T);
        return v;
    }
    template <typename T>
    void get_array(T* data, std::size_t n) {
        need(n * sizeof(T));
        std::memcpy(data, m_buf.data() + m_pos, n * sizeof(T));
        m_pos += n * sizeof(T);
    }
    template <typename V>
    std::vector<std::pair<std::uint64_t, V>> get_table() {
        const auto n = get<std::uint64_t>();
        need(n * (sizeof(std::uint64_t) + sizeof(V)));
        std::vector<std::pair<std::uint64_t, V>> table(n);
        for (auto& [k, v] : table) { k = get<std::uint64_t>(); v = get<V>(); }
        return table;
    }

private:
    void need(std::size_t n) const {
        if (m_pos + n > m_buf.size()) throw Error(m_name + ": truncated NER model");
    }
    std::string_view m_buf;
    std::string m_name;
    std::size_t m_pos = 0;
};

}  // namespace

void save_model(const ModelData& data, const std::filesystem::path& path) {
    Writer w;
    w.put<std::uint32_t>(data.bucket_bits);
    w.put<std::uint32_t>(k_num_tags);
    w.put<float>(data.scale);
    w.put_array(data.transitions.data(), data.transitions.size());
    w.put_array(data.weights.data(), data.weights.size());
    w.put_table(data.lexicon);
    w.put_table(data.gazetteer);
    w.put_table(data.clusters);
    w.put<std::uint32_t>(data.gazetteer_max_len);
    w.put<std::uint64_t>(data.info.size());
    w.put_array(data.info.data(), data.info.size());
    w.put<std::uint8_t>(data.stack_weights.empty() ? 0 : 1);
    if (!data.stack_weights.empty()) {
        w.put<float>(data.stack_scale);
        w.put_array(data.stack_transitions.data(), data.stack_transitions.size());
        w.put_array(data.stack_weights.data(), data.stack_weights.size());
    }

    const std::string& raw = w.buffer();
    std::string packed(ZSTD_compressBound(raw.size()), '\0');
    const std::size_t n = ZSTD_compress(packed.data(), packed.size(), raw.data(), raw.size(), 19);
    if (ZSTD_isError(n)) throw Error(path.string() + ": zstd: " + ZSTD_getErrorName(n));
    packed.resize(n);

    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(path.string() + ": cannot write NER model");
    out.write(k_magic, sizeof k_magic);
    const std::uint64_t raw_size = raw.size(), packed_size = packed.size();
    out.write(reinterpret_cast<const char*>(&raw_size), sizeof raw_size);
    out.write(reinterpret_cast<const char*>(&packed_size), sizeof packed_size);
    out.write(packed.data(), static_cast<std::streamsize>(packed.size()));
    if (!out.flush()) throw Error(path.string() + ": write failed");
}

ModelData load_model_data(const std::filesystem::path& path) {
    const std::string name = path.string();
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(name + ": cannot open NER model");
    const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const bool v1 = file.size() >= 24 && std::memcmp(file.data(), k_magic_v1, sizeof k_magic_v1) == 0;
    if (file.size() < 24 || (!v1 && std::memcmp(file.data(), k_magic, sizeof k_magic) != 0))
        throw Error(name + ": not a Morgue NER model (bad magic)");
    std::uint64_t raw_size = 0, packed_size = 0;
    std::memcpy(&raw_size, file.data() + 8, 8);
    std::memcpy(&packed_size, file.data() + 16, 8);
    if (packed_size != file.size() - 24 || raw_size > (std::uint64_t{1} << 32))
        throw Error(name + ": corrupt NER model header");
    std::string raw(raw_size, '\0');
    const std::size_t n = ZSTD_decompress(raw.data(), raw.size(), file.data() + 24, packed_size);
    if (ZSTD_isError(n) || n != raw_size) throw Error(name + ": corrupt NER model payload");

    Reader r(raw, name);
    ModelData data;
    data.bucket_bits = r.get<std::uint32_t>();
    if (r.get<std::uint32_t>() != k_num_tags || data.bucket_bits < 8 || data.bucket_bits > 26)
        throw Error(name + ": unsupported NER model shape");
    data.scale = r.get<float>();
    r.get_array(data.transitions.data(), data.transitions.size());
    data.weights.resize((std::size_t{1} << data.bucket_bits) * k_num_tags);
    r.get_array(data.weights.data(), data.weights.size());
    data.lexicon = r.get_table<std::uint8_t>();
    data.gazetteer = r.get_table<std::uint8_t>();
    data.clusters = r.get_table<std::uint32_t>();
    data.gazetteer_max_len = r.get<std::uint32_t>();
    data.info.resize(r.get<std::uint64_t>());
    r.get_array(data.info.data(), data.info.size());
    if (!v1 && r.get<std::uint8_t>() != 0) {
        data.stack_scale = r.get<float>();
        r.get_array(data.stack_transitions.data(), data.stack_transitions.size());
        data.stack_weights.resize(data.weights.size());
        r.get_array(data.stack_weights.data(), data.stack_weights.size());
    }
    return data;
}

std::filesystem::path find_model(const std::filesystem::path& explicit_path) {
    namespace fs = std::filesystem;
    if (!explicit_path.empty()) {
        if (!fs::exists(explicit_path)) throw Error(explicit_path.string() + ": NER model not found");
        return explicit_path;
    }
    if (const char* env = std::getenv("MORGUE_NER_MODEL"); env && *env) {
        if (!fs::exists(env)) throw Error(std::string(env) + ": NER model (from MORGUE_NER_MODEL) not found");
        return env;
    }
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const fs::path installed = exe.parent_path().parent_path() / "share" / "morgue" / k_default_model_name;
        if (fs::exists(installed, ec)) return installed;
    }
    const fs::path source = fs::path(MORGUE_NER_SOURCE_MODEL_DIR) / k_default_model_name;
    if (!std::string_view(MORGUE_NER_SOURCE_MODEL_DIR).empty() && fs::exists(source, ec)) return source;
    throw Error(std::string("NER model ") + k_default_model_name +
                " not found (tried --model, MORGUE_NER_MODEL, <exe dir>/../share/morgue, source tree)");
}

}  // namespace morgue::ner
