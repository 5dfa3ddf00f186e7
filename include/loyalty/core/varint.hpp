#pragma once
// LEB128 varints as the state's packed bytes and the ledger's group form write them: seven bits
// a byte, low bits first, the high bit set on every byte but the last (one byte below 128).
// Written by put_varint (at a pointer) or append_varint (to a string); read back by read_varint
// from bytes this process wrote (it does not check for the end: a reader of bytes from outside,
// such as the effect codec's, checks each byte itself). Signed values are zigzag-coded first
// ((x << 1) ^ (x >> 63): small magnitudes of either sign stay short).
#include <cstddef>
#include <cstdint>
#include <string>

namespace loyalty {

inline constexpr std::size_t varint_bound = 10;  // 64 bits in 7-bit groups

// Writes v at `p`, which has room for varint_bound bytes; returns the end of what it wrote.
inline char* put_varint(char* p, std::uint64_t v) noexcept {
    while (v >= 0x80) {
        *p++ = static_cast<char>(static_cast<unsigned char>(v | 0x80));
        v >>= 7;
    }
    *p++ = static_cast<char>(static_cast<unsigned char>(v));
    return p;
}
inline constexpr std::uint64_t zigzag(std::int64_t v) noexcept {
    return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}

inline void append_varint(std::string& out, std::uint64_t v) {
    if (v < 0x80) {  // most: one byte
        out += static_cast<char>(v);
        return;
    }
    char bytes[varint_bound];
    out.append(bytes, static_cast<std::size_t>(put_varint(bytes, v) - bytes));
}

// The varint at `p`; moves `p` past it.
inline std::uint64_t read_varint(const char*& p) noexcept {
    std::uint64_t v = static_cast<unsigned char>(*p++);
    if (v < 0x80) return v;
    v &= 0x7f;
    for (int shift = 7;; shift += 7) {
        const auto b = static_cast<unsigned char>(*p++);
        v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
        if (!(b & 0x80)) return v;
    }
}

}  // namespace loyalty
