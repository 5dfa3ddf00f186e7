#include "loyalty/io/journal_lines.hpp"

#include <sys/stat.h>

namespace loyalty::io {

journal_lines::journal_lines(const std::string& path) : path_(path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
        throw error("loyalty.io.cannot_open", "cannot open '" + path + "': it is a directory");
    in_.open(path, std::ios::binary);
    if (!in_) throw error("loyalty.io.cannot_open", "cannot open '" + path + "'");
}

bool journal_lines::next(std::string_view& line) {
    while (std::getline(in_, text_)) {
        ++line_no_;
        if (text_.find_first_not_of(" \t\r") == std::string::npos) continue;
        line = text_;
        return true;
    }
    if (in_.bad())
        throw error("loyalty.io.cannot_read", "cannot read '" + path_ + "' after line " + std::to_string(line_no_));
    return false;
}

error at_line(const error& e, std::size_t line) {
    return error(e.id(), "line " + std::to_string(line) + ": " + (e.pointer().empty() ? "/" : e.pointer()), e.message());
}

}  // namespace loyalty::io
