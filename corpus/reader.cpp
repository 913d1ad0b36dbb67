/** @file reader.cpp
 *  @brief Format detection and the directory walk.
 */
#include "corpus/reader.h"

#include "common/error.h"
#include "corpus/jsonl_reader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <vector>

namespace morgue::corpus {

Format parse_format(std::string_view name) {
    if (name == "auto") return Format::Auto;
    if (name == "jsonl") return Format::Jsonl;
    throw UsageError("unknown --format '" + std::string(name) + "' (expected auto or jsonl)");
}

std::string_view format_name(Format format) noexcept {
    switch (format) {
        case Format::Auto: return "auto";
        case Format::Jsonl: return "jsonl";
    }
    return "auto";
}

Format detect_format(std::string_view head) noexcept {
    std::size_t i = 0;
    if (head.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
    while (i < head.size() && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) ++i;
    if (i < head.size() && head[i] == '{') return Format::Jsonl;
    return Format::Auto;  // unknown
}

namespace {

void read_file(const std::filesystem::path& file, Format format, const Sink& sink) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InputError(file.string(), 0, "cannot open file");
    if (format == Format::Auto) {
        char head[4096];
        in.read(head, sizeof head);
        const auto got = static_cast<std::size_t>(in.gcount());
        in.clear();
        in.seekg(0);
        format = detect_format(std::string_view(head, got));
        if (format == Format::Auto) {
            if (sink.skipped) sink.skipped(file.string(), got == 0 ? "empty file" : "no reader recognises this file");
            return;
        }
    }
    read_jsonl(in, file.string(), sink);
}

}  // namespace

void read_path(const std::string& path, Format format, const Sink& sink) {
    if (path == "-") {
        read_jsonl(std::cin, "<stdin>", sink);
        return;
    }
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) throw InputError(path, 0, "no such file or directory");
    if (fs::is_directory(status)) {
        std::vector<fs::path> files;
        for (fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end;
             !ec && it != end; it.increment(ec)) {
            if (it->is_regular_file(ec)) files.push_back(it->path());
        }
        if (ec) throw InputError(path, 0, "cannot walk directory: " + ec.message());
        std::sort(files.begin(), files.end());  // the same order every run
        for (const auto& f : files) read_file(f, format, sink);
        return;
    }
    read_file(path, format, sink);
}

}  // namespace morgue::corpus
