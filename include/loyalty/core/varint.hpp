#pragma once
// LEB128 varints as the state's packed bytes write them: seven bits a byte, low bits first, the
// high bit set on every byte but the last (one byte below 128). Written by append_varint; read
// back by read_varint from bytes this process wrote (it does not check for the end: a reader of
// bytes from outside, such as the effect codec's, checks each byte itself).
#include <cstdint>
#include <string>

namespace loyalty {

inline void append_varint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out += static_cast<char>((v & 0x7f) | 0x80);
        v >>= 7;
    }
    out += static_cast<char>(v);
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
