#pragma once
// A file written whole or not at all. The bytes go to a temporary file in the target's folder;
// commit() flushes it to disk and renames it over the target, so a reader, a crash or a full
// disk never sees a torn file: the target is the old one or the new one. Destroyed without
// commit() (an error on the way), it removes the temporary file and leaves the target as it was.
//
// A target that exists and is not a regular file (/dev/null, a pipe, a terminal) is written
// directly: there is nothing to replace.
#include <string>
#include <string_view>

namespace loyalty::io {

class atomic_file {
public:
    explicit atomic_file(std::string path);  // raises loyalty::error loyalty.io.cannot_write
    ~atomic_file();
    atomic_file(const atomic_file&) = delete;
    atomic_file& operator=(const atomic_file&) = delete;

    void write(std::string_view bytes);  // buffered; raises loyalty.io.cannot_write
    void commit();                       // raises loyalty.io.cannot_write; the target is unchanged then
    const std::string& path() const noexcept { return path_; }

private:
    void flush_buffer();
    [[noreturn]] void fail(const char* what, int err) const;

    std::string path_;
    std::string temp_;  // empty when writing directly
    int fd_ = -1;
    std::string buffer_;
    bool committed_ = false;
};

}  // namespace loyalty::io
