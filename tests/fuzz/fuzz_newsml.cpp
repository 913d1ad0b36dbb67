/** @file fuzz_newsml.cpp
 *  @brief libFuzzer target: the NewsML (RCV1) reader.
 */
#include "corpus/newsml_reader.h"
#include "fuzz_common.h"

#include <cstddef>
#include <cstdint>
#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    morgue::corpus::read_newsml(in, "fuzz.xml", morgue::fuzz::checking_sink());
    return 0;
}
