/** @file fuzz_text.cpp
 *  @brief libFuzzer target: the plain-text article reader and its format sniffing.
 */
#include "corpus/text_reader.h"
#include "fuzz_common.h"

#include <cstddef>
#include <cstdint>
#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    (void)morgue::corpus::detect_format(bytes, "fuzz.txt");
    std::istringstream in(bytes);
    morgue::corpus::read_text(in, "fuzz.txt", "fuzz.txt", morgue::fuzz::checking_sink());
    return 0;
}
