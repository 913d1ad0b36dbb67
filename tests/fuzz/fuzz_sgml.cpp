/** @file fuzz_sgml.cpp
 *  @brief libFuzzer target: the Reuters-21578 SGML reader.
 */
#include "corpus/sgml_reader.h"
#include "fuzz_common.h"

#include <cstddef>
#include <cstdint>
#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    morgue::corpus::read_reuters_sgml(in, "fuzz.sgm", morgue::fuzz::checking_sink());
    return 0;
}
