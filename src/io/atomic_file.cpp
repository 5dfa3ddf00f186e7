#include "loyalty/io/atomic_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loyalty/core/error.hpp"

namespace loyalty::io {

namespace {

constexpr std::size_t buffer_size = 1 << 16;

std::string folder_of(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

// The process's umask, read without changing it (umask(2) can only read it by setting it, which
// would race with files other threads create): /proc/self/status's "Umask:" line, else 022.
mode_t process_umask() {
    std::FILE* f = std::fopen("/proc/self/status", "r");
    if (!f) return 022;
    char line[256];
    unsigned mask = 022;
    while (std::fgets(line, sizeof line, f))
        if (std::sscanf(line, "Umask: %o", &mask) == 1) break;
    std::fclose(f);
    return static_cast<mode_t>(mask);
}

}  // namespace

atomic_file::atomic_file(std::string path) : path_(std::move(path)) {
    struct stat st {};
    const bool exists = ::stat(path_.c_str(), &st) == 0;
    if (exists && S_ISDIR(st.st_mode))
        throw error("loyalty.io.cannot_write", "cannot write '" + path_ + "': it is a directory");
    if (exists && !S_ISREG(st.st_mode)) {
        fd_ = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC);
        if (fd_ < 0) fail("cannot open", errno);
    } else {
        std::vector<char> name(path_.begin(), path_.end());
        for (const char c : std::string_view(".tmp-XXXXXX")) name.push_back(c);
        name.push_back('\0');
        fd_ = ::mkstemp(name.data());
        if (fd_ < 0) fail("cannot create a temporary file beside", errno);
        temp_ = name.data();
        // The permissions a plain create would give (or the replaced file's), not mkstemp's 0600.
        mode_t mode = 0;
        if (exists) {
            mode = st.st_mode & 07777;
        } else {
            mode = 0666 & ~process_umask();
        }
        if (::fchmod(fd_, mode) != 0) fail("cannot set the permissions of", errno);
    }
    buffer_.reserve(buffer_size);
}

atomic_file::~atomic_file() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
}

void atomic_file::fail(const char* what, int err) const {
    throw error("loyalty.io.cannot_write", std::string(what) + " '" + path_ + "': " + std::strerror(err));
}

void atomic_file::write(std::string_view bytes) {
    if (buffer_.size() + bytes.size() > buffer_size) flush_buffer();
    if (bytes.size() > buffer_size) {
        buffer_.assign(bytes);
        flush_buffer();
        return;
    }
    buffer_.append(bytes);
}

void atomic_file::flush_buffer() {
    std::size_t done = 0;
    while (done < buffer_.size()) {
        const ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail("cannot write", n < 0 ? errno : ENOSPC);
        done += static_cast<std::size_t>(n);
    }
    buffer_.clear();
}

void atomic_file::commit() {
    flush_buffer();
    if (temp_.empty()) {  // written directly
        if (::close(fd_) != 0) {
            fd_ = -1;
            fail("cannot write", errno);
        }
        fd_ = -1;
        committed_ = true;
        return;
    }
    if (::fsync(fd_) != 0) fail("cannot write", errno);
    const int closed = ::close(fd_);
    fd_ = -1;
    if (closed != 0) fail("cannot write", errno);
    if (::rename(temp_.c_str(), path_.c_str()) != 0) fail("cannot replace", errno);
    committed_ = true;
    // The rename itself is durable once the folder is synced.
    const int dir = ::open(folder_of(path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
}

}  // namespace loyalty::io
