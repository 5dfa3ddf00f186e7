#include "loyalty/io/journal_lines.hpp"

#include <sys/stat.h>

#include <cstring>
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

bool journal_lines::fill() {
    if (at_end_) return false;
    if (begin_ > 0) {  // the unread part of a line to the front
        std::memmove(block_.data(), block_.data() + begin_, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
    }
    constexpr std::size_t block_size = 256 * 1024;
    if (block_.size() < block_size) block_.resize(block_size);
    if (end_ == block_.size()) block_.resize(2 * block_.size());  // a line longer than the block
    in_.read(block_.data() + end_, static_cast<std::streamsize>(block_.size() - end_));
    const auto got = static_cast<std::size_t>(in_.gcount());
    if (in_.bad())
        throw error("loyalty.io.cannot_read", "cannot read '" + path_ + "' after line " + std::to_string(line_no_));
    end_ += got;
    if (got == 0) at_end_ = true;
    return got > 0;
}

bool journal_lines::next(std::string_view& line) {
    for (;;) {
        const char* const from = block_.data() + begin_;
        const auto* newline =
            begin_ < end_ ? static_cast<const char*>(std::memchr(from, '\n', end_ - begin_)) : nullptr;
        std::string_view text;
        if (newline) {
            text = std::string_view(from, static_cast<std::size_t>(newline - from));
            begin_ += text.size() + 1;
        } else if (fill()) {
            continue;
        } else if (begin_ < end_) {  // the last line, with no newline after it
            text = std::string_view(block_.data() + begin_, end_ - begin_);
            begin_ = end_;
        } else {
            return false;
        }
        ++line_no_;
        bytes_ += text.size() + 1;
        if (text.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        line = text;
        return true;
    }
}

error at_line(const error& e, std::size_t line) { return e.at_line(line); }

}  // namespace loyalty::io
