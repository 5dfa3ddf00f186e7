#pragma once
// A member's benefit usage (member_state::benefit_usage): the uses its benefits' quotas and money
// caps still count (usage_horizon.hpp forgets the ones no window can count), in the order they
// were made. Kept compactly: a use's benefit id and VIN are numbers in the usage's own name table
// (member/name_table.hpp), and its reference (an RO number, a claim) is a basic_short_id<24>:
// 64 bytes a use, and nothing on the heap for a reference of up to 23 bytes (an RO number past
// a member's ninth visit, "RO-25-0000018-12", is 16), where a benefit_use takes 120 (its texts
// held in place: 31 bytes of benefit id, 23 of reference and of VIN).
//
// benefit_use (benefit/usage.hpp), with its names written out, stays the value the rest of the
// engine and the edges see: iterating, all() and operator[] give copies; push_back() takes one.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/benefit/usage.hpp"
#include "loyalty/core/by_value_iterator.hpp"
#include "loyalty/core/growth.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/core/prefetch.hpp"
#include "loyalty/core/short_id.hpp"
#include "loyalty/core/time.hpp"
#include "loyalty/member/name_table.hpp"

namespace loyalty {

class benefit_use_log {
public:
    // A use as the usage holds it.
    struct record {
        name_table::number benefit = name_table::none;
        name_table::number vin = name_table::none;  // none: a member-scoped use
        day on;
        bool has_odometer = false;  // whether odometer_km is a reading (in the padding after `on`)
        std::int64_t uses = 0;
        std::int64_t discount = 0;
        std::int64_t odometer_km = 0;
        basic_short_id<24> reference;

        std::optional<std::int64_t> odometer() const {
            return has_odometer ? std::optional<std::int64_t>(odometer_km) : std::nullopt;
        }
        friend bool operator==(const record& a, const record& b) {
            return a.benefit == b.benefit && a.vin == b.vin && a.on == b.on && a.uses == b.uses &&
                   a.discount == b.discount && a.reference == b.reference && a.odometer() == b.odometer();
        }
    };

    // Gives each use by value, written out (as effect_book's iterator does).
    using const_iterator = by_value_iterator<benefit_use_log, benefit_use>;

    benefit_use_log() = default;
    benefit_use_log(std::initializer_list<benefit_use> uses) {
        for (const benefit_use& u : uses) push_back(u);
    }

    // Room for `n` more uses at once (by a quarter past them, core/growth.hpp): the uses of one
    // event then move the records at most once.
    void reserve_more(std::size_t n) { room_for_more(records_, n); }
    // Records a use after the others (room by a quarter, core/growth.hpp).
    void push_back(const benefit_use& u) {
        room_for_one_more(records_);
        records_.push_back(record_of(u));
    }
    // Removes the first use equal to `u`; false when there is none.
    bool erase(const benefit_use& u) {
        const auto it = find(u);
        if (it == records_.end()) return false;
        records_.erase(it);
        return true;
    }
    // Replaces the first use equal to `was` by `now`; false when there is none.
    bool replace(const benefit_use& was, const benefit_use& now) {
        const auto it = find(was);
        if (it == records_.end()) return false;
        *it = record_of(now);
        return true;
    }
    void pop_back() { records_.pop_back(); }
    // Drops the member-scoped uses dated before `horizon` (vehicle-scoped ones follow the vehicle
    // and stay); gives memory back when most of them went.
    void drop_member_uses_before(day horizon) {
        drop_where(records_, [&](const record& r) { return r.on < horizon && r.vin == name_table::none; });
    }

    // Uses and money of `benefit` on days within `r`.
    usage_total used_within(std::string_view benefit, const day_range& r) const {
        usage_total t;
        const std::optional<name_table::number> n = names_.find(benefit);
        if (!n) return t;
        for (const record& u : records_)
            if (u.benefit == *n && r.contains(u.on)) {
                t.uses += u.uses;
                t.discount += u.discount;
            }
        return t;
    }
    // The uses whose benefit id and VIN `keep(benefit, vin)` accepts (two std::string_view),
    // written out, in order.
    template <class Keep>
    std::vector<benefit_use> select(Keep&& keep) const {
        std::vector<benefit_use> out;
        for (std::size_t i = 0; i < records_.size(); ++i)
            if (keep(names_[records_[i].benefit], names_[records_[i].vin])) out.push_back((*this)[i]);
        return out;
    }
    // Every use, written out, in order.
    std::vector<benefit_use> all() const {
        return select([](std::string_view, std::string_view) { return true; });
    }

    benefit_use value_at(std::size_t i) const { return (*this)[i]; }  // for const_iterator
    benefit_use operator[](std::size_t i) const {
        const record& r = records_.at(i);
        return benefit_use{std::string(names_[r.benefit]), r.on,        r.uses, r.discount, r.reference.str(),
                           std::string(names_[r.vin]),     r.odometer()};
    }
    std::size_t size() const noexcept { return records_.size(); }
    bool empty() const noexcept { return records_.empty(); }
    const_iterator begin() const noexcept { return {this, 0}; }
    const_iterator end() const noexcept { return {this, records_.size()}; }

    // Reads its records and names ahead of use (core/prefetch.hpp: changes nothing).
    void prefetch() const noexcept {
        prefetch_elements(records_);
        names_.prefetch();
    }
    // Bytes it takes beyond its own object (an estimate, as effect_book::heap_bytes).
    std::size_t heap_bytes() const noexcept {
        std::size_t bytes = records_.capacity() * sizeof(record) + names_.heap_bytes();
        for (const record& r : records_)
            if (r.reference.heap()) bytes += r.reference.size();
        return bytes;
    }

    // The same uses in the same order, whatever numbers their names have.
    friend bool operator==(const benefit_use_log& a, const benefit_use_log& b) {
        if (a.size() != b.size()) return false;
        if (a.names_ == b.names_) return a.records_ == b.records_;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (!(a[i] == b[i])) return false;
        return true;
    }
    friend bool operator!=(const benefit_use_log& a, const benefit_use_log& b) { return !(a == b); }

private:
    record record_of(const benefit_use& u) {
        return record_with(names_.add(u.benefit), names_.add(u.vin), u);
    }
    static record record_with(name_table::number benefit, name_table::number vin, const benefit_use& u) {
        return record{benefit,   vin, u.on, u.odometer_km.has_value(), u.uses, u.discount, u.odometer_km.value_or(0),
                      basic_short_id<24>(u.reference)};
    }
    // The first record of `u` (its names looked up, never added: a name the table lacks is no use's).
    std::vector<record>::iterator find(const benefit_use& u) {
        const std::optional<name_table::number> benefit = names_.find(u.benefit), vin = names_.find(u.vin);
        if (!benefit || !vin) return records_.end();
        const record wanted = record_with(*benefit, *vin, u);
        return std::find(records_.begin(), records_.end(), wanted);
    }

    std::vector<record> records_;
    name_table names_;  // benefit ids and VINs
};

// Uses and money of `benefit` within `r` (as used_within over a vector of uses).
LOYALTY_INLINE usage_total used_within(const benefit_use_log& usage, const std::string& benefit, const day_range& r) {
    return usage.used_within(benefit, r);
}

}  // namespace loyalty
