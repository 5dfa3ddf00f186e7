#pragma once
// A journal file (JSON lines) read one line at a time: a journal of any length is streamed,
// and nothing of it is held but a block of it (256 KiB, or the longest line if longer). A line
// is a view into that block: no line is copied.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/core/error.hpp"

namespace loyalty::io {

class journal_lines {
public:
    // Raises loyalty::error loyalty.io.cannot_open when the file cannot be opened or is a directory.
    explicit journal_lines(const std::string& path);

    // The next line that is not blank (spaces, tabs, a CR), without its newline; false at the
    // end of the file. The view is valid until the next call. Raises loyalty.io.cannot_read
    // when reading fails.
    bool next(std::string_view& line);
    // The line number (from 1) of the line next() gave last.
    std::size_t line_number() const noexcept { return line_no_; }
    // Bytes of the file read so far: up to the end of the line next() gave last (its newline
    // counted, whether or not the file ends with one).
    std::uint64_t bytes_read() const noexcept { return bytes_; }
    const std::string& path() const noexcept { return path_; }

private:
    // Reads more of the file after the unread bytes (moved to the front first); false at its end.
    bool fill();

    std::string path_;
    std::ifstream in_;
    std::vector<char> block_;
    std::size_t begin_ = 0, end_ = 0;  // the bytes of block_ read from the file and not given yet
    bool at_end_ = false;              // the file has no more bytes
    std::size_t line_no_ = 0;
    std::uint64_t bytes_ = 0;
};

// The whole text of the file at `path`: loyalty.io.cannot_open when it cannot be opened or is a
// directory, loyalty.io.cannot_read when reading fails.
std::string read_text_file(const std::string& path);

// Reads the file at `path` with `read` (text -> value) and gives any error `read` raises the
// file's name (error::in_file), as the loaders of programme, journal and rule files do.
template <class Read>
auto read_file_with(const std::string& path, Read&& read) {
    const std::string text = read_text_file(path);
    try {
        return read(std::string_view(text));
    } catch (const error& e) {
        throw e.in_file(path);
    }
}

// The error a journal line raised, as the journal loaders report it: the same id, pointer,
// message and column, on journal line `line` (error::line()).
error at_line(const error& e, std::size_t line);

}  // namespace loyalty::io
