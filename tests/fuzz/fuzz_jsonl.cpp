/** @file fuzz_jsonl.cpp
 *  @brief libFuzzer target: the JSON Lines reader (with a --map rule), plain and through the decompressors.
 */
#include "corpus/input_stream.h"
#include "corpus/jsonl_reader.h"
#include "fuzz_common.h"

#include <cstddef>
#include <cstdint>
#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    static const std::vector<morgue::corpus::FieldMapping> map{
        morgue::corpus::parse_field_mapping("title=headline.main"), morgue::corpus::parse_field_mapping("date=meta.0")};
    std::istringstream raw(bytes);
    // Compressed input is decoded by content, as read_path does.
    auto in = morgue::corpus::decompressing(raw, morgue::corpus::detect_compression(bytes));
    morgue::corpus::read_jsonl(*in, "fuzz.jsonl", morgue::fuzz::checking_sink(), map);
    return 0;
}
