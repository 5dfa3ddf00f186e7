#pragma once
// SHA-256 as a value: 32 bytes, compared and copied as bytes, written as 64 lower-case hex
// digits only at the edges (ledger lines, the store, the command line, Python).
#include <array>
#include <cstring>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "loyalty/core/error.hpp"
#include "loyalty/core/inline.hpp"

namespace loyalty {

namespace detail {
// "000102...feff": byte b's two lower-case hex digits at 2 * b.
struct hex_pair_table {
    char digits[512] = {};
    constexpr hex_pair_table() {
        constexpr char hex[] = "0123456789abcdef";
        for (int b = 0; b < 256; ++b) {
            digits[2 * b] = hex[b >> 4];
            digits[2 * b + 1] = hex[b & 0xf];
        }
    }
};
inline constexpr hex_pair_table hex_pairs{};
}  // namespace detail

class sha256_digest {
public:
    static constexpr std::size_t size = 32;

    // All zeros: the "previous hash" of a member's first entry (written as 64 '0's).
    constexpr sha256_digest() = default;

    const unsigned char* data() const noexcept { return bytes_.data(); }
    unsigned char* data() noexcept { return bytes_.data(); }

    // 64 lower-case hex digits.
    std::string hex() const {
        std::string out;
        append_hex(out);
        return out;
    }
    void append_hex(std::string& out) const {
        char buf[2 * size];
        out.append(buf, static_cast<std::size_t>(write_hex(buf) - buf));
    }
    // Writes the 64 digits at `p`; returns their end (two digits a byte, from a table of the
    // 256 pairs: a ledger line writes two digests).
    char* write_hex(char* p) const noexcept {
        for (std::size_t i = 0; i < size; ++i) {
            std::memcpy(p, detail::hex_pairs.digits + 2 * bytes_[i], 2);
            p += 2;
        }
        return p;
    }

    // The digest written as exactly 64 lower-case hex digits, or none: there is one spelling
    // of a digest, the one the ledger's writers use, so that the text hashed is the text read.
    static std::optional<sha256_digest> from_hex(std::string_view text) noexcept {
        if (text.size() != 2 * size) return std::nullopt;
        const auto nibble = [](char c) -> int {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            return -1;
        };
        sha256_digest d;
        for (std::size_t i = 0; i < size; ++i) {
            const int hi = nibble(text[2 * i]), lo = nibble(text[2 * i + 1]);
            if (hi < 0 || lo < 0) return std::nullopt;
            d.bytes_[i] = static_cast<unsigned char>(hi << 4 | lo);
        }
        return d;
    }

    friend bool operator==(const sha256_digest& a, const sha256_digest& b) noexcept {
        return std::memcmp(a.bytes_.data(), b.bytes_.data(), size) == 0;
    }
    friend bool operator!=(const sha256_digest& a, const sha256_digest& b) noexcept { return !(a == b); }
    friend std::ostream& operator<<(std::ostream& os, const sha256_digest& d) { return os << d.hex(); }

private:
    std::array<unsigned char, size> bytes_{};
};

// SHA-256 of `bytes`, by OpenSSL's SHA-256 (its SHA-NI or AVX2 code where the CPU has it).
// The low-level SHA256_Init/Update/Final keep their state on the stack: OpenSSL 3.0's
// EVP_DigestInit_ex allocates the algorithm's context anew on every call, once an event on a
// replay. They are deprecated in OpenSSL 3.0 (for providers' sake: the bytes are the same);
// where they are compiled out (OPENSSL_NO_DEPRECATED_3_0), the EVP functions are used with a
// context per thread. Neither is a setting: the result depends on the bytes only.
LOYALTY_INLINE sha256_digest sha256(std::string_view bytes) {
    sha256_digest d;
#if !defined(OPENSSL_NO_DEPRECATED_3_0)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    SHA256_CTX c;
    if (SHA256_Init(&c) != 1 || SHA256_Update(&c, bytes.data(), bytes.size()) != 1 || SHA256_Final(d.data(), &c) != 1)
        throw error("loyalty.ledger.sha256_unavailable", "OpenSSL could not compute SHA-256");
#pragma GCC diagnostic pop
#else
    struct algorithm {
        EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
        ~algorithm() { EVP_MD_free(md); }
    };
    static const algorithm sha;
    thread_local const std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int length = 0;
    if (!sha.md || !ctx || EVP_DigestInit_ex(ctx.get(), sha.md, nullptr) != 1 ||
        EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size()) != 1 ||
        EVP_DigestFinal_ex(ctx.get(), md.data(), &length) != 1 || length != sha256_digest::size)
        throw error("loyalty.ledger.sha256_unavailable", "OpenSSL could not compute SHA-256");
    std::memcpy(d.data(), md.data(), sha256_digest::size);
#endif
    return d;
}

// SHA-256 of `bytes` as 64 lower-case hex digits.
LOYALTY_INLINE std::string sha256_hex(std::string_view bytes) { return sha256(bytes).hex(); }

}  // namespace loyalty
