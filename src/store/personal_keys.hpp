#pragma once
// Personal data under per-member keys (crypto-shredding, docs/store.md "Erasing a member's
// personal data"). Each member's name, phone and birthday are stored in the database only
// encrypted (AES-256-GCM) with a key of that member's own, and the keys live apart from the
// database, in a key file. Erasing a member deletes the key: what any copy of the database
// still holds (PostgreSQL's dead rows and write-ahead log, a backup) can no longer be read.
//
// The key file is a SQLite database with secure_delete on whose write-ahead log is emptied
// after each erasure, so a deleted key leaves no byte behind in it (the property
// SqliteErasure tests for the store itself). Keep it on other storage than the database and out
// of the database's backups.
#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "connection.hpp"

namespace loyalty::store::detail {

using personal_key = std::array<unsigned char, 32>;

class personal_key_store {
public:
    // `url`: "sqlite:PATH" or a path. Creates the file and its table when absent.
    personal_key_store(const std::string& url, std::chrono::milliseconds busy_timeout);

    std::optional<personal_key> key_of(const std::string& member);
    // The member's key, made (from the operating system's random source) when it has none.
    personal_key key_for(const std::string& member);
    // Deletes the member's key for good; true if there was one.
    bool erase(const std::string& member);

private:
    std::unique_ptr<connection> db_;
};

// "v1:" and the hex of nonce (12 bytes), ciphertext and tag (16 bytes): `plain` encrypted under
// `key` with AES-256-GCM, the member id authenticated with it (a row copied to another member
// does not decrypt).
std::string seal_personal(const personal_key& key, const std::string& member, const std::string& plain);

// The plain text back; loyalty.store.corrupt when the text was not sealed for this member under
// this key (changed, copied, or damaged).
std::string open_personal(const personal_key& key, const std::string& member, const std::string& sealed);

}  // namespace loyalty::store::detail
