// Per-member keys in a key file, and AES-256-GCM over personal data (personal_keys.hpp).
#include "personal_keys.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <vector>

namespace loyalty::store::detail {

namespace {

constexpr std::size_t nonce_size = 12, tag_size = 16;
const char* const sealed_prefix = "v1:";

std::string hex_of(const unsigned char* p, std::size_t n) {
    static const char* digits = "0123456789abcdef";
    std::string out(2 * n, '0');
    for (std::size_t i = 0; i < n; ++i) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 0xf];
    }
    return out;
}

std::optional<std::vector<unsigned char>> bytes_of(const std::string& hex) {
    if (hex.size() % 2) return std::nullopt;
    const auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    std::vector<unsigned char> out(hex.size() / 2);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out[i] = static_cast<unsigned char>(hi << 4 | lo);
    }
    return out;
}

std::string associated_data(const std::string& member) { return "loyalty.personal.v1\n" + member; }

using cipher_context = std::unique_ptr<EVP_CIPHER_CTX, void (*)(EVP_CIPHER_CTX*)>;

cipher_context new_context() {
    cipher_context ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    if (!ctx) fail("crypto_error", "OpenSSL could not allocate a cipher context");
    return ctx;
}

int as_length(std::size_t n) {
    if (n > 1u << 30) fail("invalid_text", "personal data of " + std::to_string(n) + " bytes is too long to store");
    return static_cast<int>(n);
}

}  // namespace

personal_key_store::personal_key_store(const std::string& url, std::chrono::milliseconds busy_timeout) {
    const std::string path = url.rfind("sqlite:", 0) == 0 ? url.substr(7) : url;
    if (path.empty() || url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0 || url.rfind("pg:", 0) == 0)
        fail("bad_url", "the personal key file is a SQLite file (sqlite:PATH or a path), not '" + url + "'");
    db_ = connect_sqlite(path, busy_timeout);  // secure_delete on, like every store connection
    db_->exec("CREATE TABLE IF NOT EXISTS personal_keys (member TEXT PRIMARY KEY, key TEXT NOT NULL)");
}

std::optional<personal_key> personal_key_store::key_of(const std::string& member) {
    const auto rows = db_->query("SELECT key FROM personal_keys WHERE member = ?", {member});
    if (rows.empty()) return std::nullopt;
    const auto bytes = bytes_of(as_text(rows[0][0]));
    if (!bytes || bytes->size() != personal_key{}.size())
        fail("corrupt", "the personal key of member '" + member + "' in the key file is damaged");
    personal_key key{};
    std::copy(bytes->begin(), bytes->end(), key.begin());
    return key;
}

personal_key personal_key_store::key_for(const std::string& member) {
    if (const auto key = key_of(member)) return *key;
    personal_key key{};
    if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1)
        fail("crypto_error", "the operating system's random source gave no key");
    // Another writer may have made one meanwhile: the first key stays, and is the one used.
    db_->query("INSERT INTO personal_keys (member, key) VALUES (?, ?) ON CONFLICT (member) DO NOTHING",
               {member, hex_of(key.data(), key.size())});
    return *key_of(member);
}

bool personal_key_store::erase(const std::string& member) {
    const bool erased = !db_->query("DELETE FROM personal_keys WHERE member = ? RETURNING member", {member}).empty();
    db_->purge_deleted();  // the key's bytes leave the write-ahead log too
    return erased;
}

std::string seal_personal(const personal_key& key, const std::string& member, const std::string& plain) {
    unsigned char nonce[nonce_size];
    if (RAND_bytes(nonce, static_cast<int>(nonce_size)) != 1)
        fail("crypto_error", "the operating system's random source gave no nonce");
    const std::string aad = associated_data(member);
    std::vector<unsigned char> out(nonce_size + plain.size() + tag_size);
    std::copy(nonce, nonce + nonce_size, out.begin());
    const cipher_context ctx = new_context();
    int n = 0, last = 0;
    if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce) != 1 ||
        EVP_EncryptUpdate(ctx.get(), nullptr, &n, reinterpret_cast<const unsigned char*>(aad.data()), as_length(aad.size())) != 1 ||
        EVP_EncryptUpdate(ctx.get(), out.data() + nonce_size, &n, reinterpret_cast<const unsigned char*>(plain.data()),
                          as_length(plain.size())) != 1 ||
        EVP_EncryptFinal_ex(ctx.get(), out.data() + nonce_size + n, &last) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(tag_size),
                            out.data() + nonce_size + plain.size()) != 1)
        fail("crypto_error", "OpenSSL could not encrypt with AES-256-GCM");
    return sealed_prefix + hex_of(out.data(), out.size());
}

std::string open_personal(const personal_key& key, const std::string& member, const std::string& sealed) {
    const auto damaged = [&]() -> std::string {
        fail("corrupt", "the personal data of member '" + member +
                            "' does not decrypt with the member's key: changed, copied from another member, or damaged");
    };
    if (sealed.rfind(sealed_prefix, 0) != 0) return damaged();
    const auto bytes = bytes_of(sealed.substr(3));
    if (!bytes || bytes->size() < nonce_size + tag_size) return damaged();
    const std::size_t size = bytes->size() - nonce_size - tag_size;
    const std::string aad = associated_data(member);
    std::string plain(size, '\0');
    std::vector<unsigned char> tag(bytes->end() - static_cast<std::ptrdiff_t>(tag_size), bytes->end());
    const cipher_context ctx = new_context();
    int n = 0, last = 0;
    const bool ok =
        EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), bytes->data()) == 1 &&
        EVP_DecryptUpdate(ctx.get(), nullptr, &n, reinterpret_cast<const unsigned char*>(aad.data()), as_length(aad.size())) == 1 &&
        EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &n, bytes->data() + nonce_size,
                          as_length(size)) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag_size), tag.data()) == 1 &&
        EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()) + n, &last) == 1;
    if (!ok) return damaged();
    return plain;
}

}  // namespace loyalty::store::detail
