#include "loyalty/io/journal_lines.hpp"

#include <sys/stat.h>

#include <iterator>

namespace loyalty::io {

namespace {

// Opens `path` for reading: loyalty.io.cannot_open when it cannot, or when it is a directory
// (which an ifstream opens, and then reads as nothing).
void open_for_reading(std::ifstream& in, const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
        throw error("loyalty.io.cannot_open", "cannot open '" + path + "': it is a directory");
    in.open(path, std::ios::binary);
    if (!in) throw error("loyalty.io.cannot_open", "cannot open '" + path + "'");
}

}  // namespace

journal_lines::journal_lines(const std::string& path) : path_(path) { open_for_reading(in_, path); }

std::string read_text_file(const std::string& path) {
    std::ifstream in;
    open_for_reading(in, path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw error("loyalty.io.cannot_read", "cannot read '" + path + "'");
    return text;
}

bool journal_lines::next(std::string_view& line) {
    while (std::getline(in_, text_)) {
        ++line_no_;
        bytes_ += text_.size() + 1;
        if (text_.find_first_not_of(" \t\r") == std::string::npos) continue;
        line = text_;
        return true;
    }
    if (in_.bad())
        throw error("loyalty.io.cannot_read", "cannot read '" + path_ + "' after line " + std::to_string(line_no_));
    return false;
}

error at_line(const error& e, std::size_t line) { return e.at_line(line); }

}  // namespace loyalty::io
