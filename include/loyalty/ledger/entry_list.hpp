#pragma once
// The entries an outcome holds, as the engine writes them: fixed-size records (entry_record)
// whose texts are spans of one string the list owns, so that posting an entry copies its texts
// into that string instead of building a dozen strings of its own, and the texts every entry of
// a posting shares (member, event, programme, store) are written once. An entry of text
// (ledger_entry, entry.hpp) is made from a record at the edges: indexing or iterating the list
// gives ledger_entry values, to_vector() all of them, copy_to() fills a vector while keeping its
// strings' room, and
// view() gives an entry_view of a record without copying (the group form and the sentences are
// written from views).
//
// A record's reason arguments (`args`) keep their own texts (reason.hpp), and the figures are
// held in the record: numbers, fixed size.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loyalty/core/by_value_iterator.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/core/spare.hpp"
#include "loyalty/ledger/entry.hpp"

namespace loyalty {

// Where a record's text is in its list's string: `size` bytes from `at`.
struct text_span {
    std::uint32_t at = 0;
    std::uint32_t size = 0;
};

// One entry as the engine writes it: ledger_entry's fields, texts as spans (entry_list::text()).
struct entry_record {
    text_span member, event, lot, expires, rule, program, reason, reverses, money, funder, store;
    std::int64_t seq = 0;
    std::int64_t version = 0;
    instant at{};
    entry_kind kind = entry_kind::earn;
    points amount;
    points balance;
    std::optional<points> debt_paid{};
    std::optional<std::int64_t> uses{};
    reason_args args{};
    std::optional<earn_figures> figures{};
    sha256_digest prev_hash{};
    sha256_digest hash{};
};

class entry_list {
public:
    using value_type = ledger_entry;
    using const_iterator = by_value_iterator<entry_list, ledger_entry>;
    using iterator = const_iterator;
    using size_type = std::size_t;

    entry_list() = default;
    // The same entries as `entries` (format 5; a test or an edge that builds an outcome by hand).
    explicit entry_list(const std::vector<ledger_entry>& entries) {
        reserve(entries.size());
        for (const ledger_entry& e : entries) push_back(e);
    }
    entry_list(const entry_list&) = default;
    entry_list(entry_list&&) noexcept = default;
    entry_list& operator=(const entry_list&) = default;
    entry_list& operator=(entry_list&&) noexcept = default;
    // Its room is kept for the next list this thread makes (core/spare.hpp): an outcome's records
    // are larger than malloc's per-thread cache takes, and one is made for every event.
    ~entry_list() {
        give_spare_room_back<entry_list>(records_);
        give_spare_room_back<entry_list>(text_);
    }

    std::size_t size() const noexcept { return records_.size(); }
    bool empty() const noexcept { return records_.empty(); }
    std::size_t capacity() const noexcept { return records_.capacity(); }
    // Room for `n` records before the list grows; a list without room first takes the room of
    // one this thread freed before.
    void reserve(std::size_t n) {
        use_spare_room<entry_list>(records_);
        records_.reserve(n);
    }
    // Empties the list, keeping its room (a runner that reuses one list).
    void clear() noexcept {
        records_.clear();
        text_.clear();
    }

    // Entry i as text. Each call makes the entry (strings and all): a loop that reads many
    // fields of many entries takes copy_to() once, or view().
    ledger_entry value_at(std::size_t i) const {
        ledger_entry e;
        copy_into(i, e);
        return e;
    }
    ledger_entry operator[](std::size_t i) const { return value_at(i); }
    ledger_entry at(std::size_t i) const { return value_at(checked(i)); }
    ledger_entry front() const { return at(0); }
    ledger_entry back() const { return at(size() - 1); }
    const_iterator begin() const noexcept { return const_iterator(this, 0); }
    const_iterator end() const noexcept { return const_iterator(this, size()); }

    // Entry i assigned to `e`, field by field (assign(), ledger/entry.hpp): e's strings keep their
    // room, so that an edge that reuses its entries allocates nothing once they are large enough.
    void copy_into(std::size_t i, ledger_entry& e) const { assign(e, view(i)); }
    // Every entry into `out`, which then holds exactly these entries. Entries `out` held before
    // are assigned to, not made anew; `spare` (when given) keeps those `out` had beyond this
    // list's size, and gives them back when a later list is longer.
    void copy_to(std::vector<ledger_entry>& out, std::vector<ledger_entry>* spare = nullptr) const {
        while (out.size() > size()) {
            if (spare) spare->push_back(std::move(out.back()));
            out.pop_back();
        }
        while (out.size() < size()) {
            if (spare && !spare->empty()) {
                out.push_back(std::move(spare->back()));
                spare->pop_back();
            } else {
                out.emplace_back();
            }
        }
        for (std::size_t i = 0; i < size(); ++i) copy_into(i, out[i]);
    }
    std::vector<ledger_entry> to_vector() const {
        std::vector<ledger_entry> out;
        copy_to(out);
        return out;
    }
    // An outcome's entries kept as text (`std::vector<ledger_entry> ledger = out.entries;`).
    operator std::vector<ledger_entry>() const { return to_vector(); }

    // Entry i without copying: valid until the list changes.
    entry_view view(std::size_t i) const noexcept {
        const entry_record& r = records_[i];
        return {text(r.member), r.seq,          text(r.event),    r.at,
                r.kind,         r.amount,       r.balance,        r.debt_paid,
                text(r.lot),    text(r.expires), text(r.rule),    text(r.program),
                r.version,      text(r.reason), r.args,           text(r.reverses),
                text(r.money),  text(r.funder), text(r.store),    r.uses,
                r.figures,      r.prev_hash,    r.hash,           5};
    }

    // Writing (ledger/posting.hpp): records, their texts and their reasons.
    const entry_record& record(std::size_t i) const { return records_[checked(i)]; }
    entry_record& record(std::size_t i) { return records_[checked(i)]; }
    // (A span this list gave: not checked.)
    std::string_view text(text_span s) const noexcept { return std::string_view(text_.data() + s.at, s.size); }
    // `v` copied to the end of the list's string (`v` may be a view of that string itself).
    text_span add_text(std::string_view v) {
        if (v.empty()) return {};
        if (text_.size() + v.size() > std::numeric_limits<std::uint32_t>::max())
            throw std::length_error("entry_list: an outcome's texts exceed 4 GiB");
        const text_span s{static_cast<std::uint32_t>(text_.size()), static_cast<std::uint32_t>(v.size())};
        const std::less<const char*> before;
        if (!before(v.data(), text_.data()) && before(v.data(), text_.data() + text_.size()))
            text_.append(text_, static_cast<std::size_t>(v.data() - text_.data()), v.size());  // safe for itself
        else
            text_.append(v.data(), v.size());
        return s;
    }
    // The pieces one after the other, as one text (none of them a view of the list's own string).
    text_span add_texts(std::initializer_list<std::string_view> pieces) {
        std::size_t size = 0;
        for (std::string_view v : pieces) size += v.size();
        if (text_.size() + size > std::numeric_limits<std::uint32_t>::max())
            throw std::length_error("entry_list: an outcome's texts exceed 4 GiB");
        const text_span s{static_cast<std::uint32_t>(text_.size()), static_cast<std::uint32_t>(size)};
        for (std::string_view v : pieces) text_.append(v.data(), v.size());
        return size == 0 ? text_span{} : s;
    }
    // Room for `bytes` more bytes of text before the string grows.
    void reserve_text(std::size_t bytes) {
        use_spare_room<entry_list>(text_);
        text_.reserve(text_.size() + bytes);
    }
    void push_back(const entry_record& r) { records_.push_back(r); }
    void push_back(entry_record&& r) { records_.push_back(std::move(r)); }
    // An entry of text, as a record (its format is not kept: a list's entries are format 5).
    void push_back(const ledger_entry& e) {
        entry_record r;
        r.member = add_text(e.member);
        r.seq = e.seq;
        r.event = add_text(e.event);
        r.at = e.at;
        r.kind = e.kind;
        r.amount = e.amount;
        r.balance = e.balance;
        r.debt_paid = e.debt_paid;
        r.lot = add_text(e.lot);
        r.expires = add_text(e.expires);
        r.rule = add_text(e.rule);
        r.program = add_text(e.program);
        r.version = e.version;
        r.reason = add_text(e.reason);
        r.args = e.args;
        r.reverses = add_text(e.reverses);
        r.money = add_text(e.money);
        r.funder = add_text(e.funder);
        r.store = add_text(e.store);
        r.uses = e.uses;
        r.figures = e.figures;
        r.prev_hash = e.prev_hash;
        r.hash = e.hash;
        records_.push_back(std::move(r));
    }
    void set_reason(std::size_t i, std::string_view reason) { record(i).reason = add_text(reason); }

    friend bool operator==(const entry_list& a, const entry_list& b) {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (a.value_at(i) != b.value_at(i)) return false;
        return true;
    }
    friend bool operator!=(const entry_list& a, const entry_list& b) { return !(a == b); }
    friend bool operator==(const entry_list& a, const std::vector<ledger_entry>& b) {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (a.value_at(i) != b[i]) return false;
        return true;
    }
    friend bool operator!=(const entry_list& a, const std::vector<ledger_entry>& b) { return !(a == b); }

private:
    std::size_t checked(std::size_t i) const {
        if (i >= records_.size())
            throw std::out_of_range("entry_list: no entry " + std::to_string(i) + " of " + std::to_string(size()));
        return i;
    }

    std::vector<entry_record> records_;
    std::string text_;  // every record's texts, each where its spans say
};

}  // namespace loyalty
