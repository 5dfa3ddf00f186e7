#pragma once
// A ledger entry's reason arguments: what the sentence a person reads needs that the entry's
// other fields do not hold, as typed values. describe() (ledger/describe.hpp) renders the
// sentence from them, the entry and its programme version (docs/ledger-format-5.md, decision 3).
//
// Which sentence is `code`; what each argument means depends on it (the table below). An
// argument a sentence does not use stays at its default, so two entries with the same sentence
// have the same arguments.
//
//   code                    sentence (fields of the entry in <>, arguments in {})
//   enrolled                enrolled in <program> v<version>
//   earned                  <rule>: <how the figures were reached>   (earn and carry; see describe.hpp)
//   adjusted                adjustment by {staff}: {note}
//   takes_back              reverses -<amount> pt earned by <reverses>{why}
//   claws_back              claws back {figure} pt of <reverses> that were already spent{why}
//   owes_spent              -<amount> pt of <reverses> were spent and cannot be taken back{why}
//   carries_back            {text} (reverses <reverses>{why})
//   gives_back_taken        gives back <amount> pt taken by <reverses>{why}
//   gives_back_spent        gives back <amount> pt spent by <reverses>{why}
//   gives_back_to_lapsed    gives back <amount> pt spent by <reverses> to lot <lot>, which expired on {on}{why}
//   gives_back_with_grace   gives back <amount> pt spent by <reverses> from lot {other_lot}, which expired
//                           on {on}; grace of <the programme's grace days> days{why}
//   expires_given_back      lot <lot> expired on {on}: points given back by a cancelled redemption expire at once
//   lot_expires             lot earned {since} expires on {on} (<the programme's expiry kind>)
//   inactive_expires        no activity since {since}: all points expire after <the programme's months> months
//   settles_debt            <debt_paid> pt of lot <lot> pay off debt ({figure} -> {figure} - <debt_paid>)
//   benefit_used            <rule>: <uses>, <money> given ({reference})
//   benefit_given_back      <rule>: gives back <uses>, <money> given ({reference}) of <reverses>{why}
//   redeems                 redeems {count} x <rule>[ (<the reward's name>)] for {figure}[ + {cash}]
//   voucher_issued          <lot>: voucher of <money> for labour, valid until <expires> (exclusive)
//   voucher_pays            <lot>: pays <money> of labour on {reference | repair order <event> (no RO
//                           number)}, {cash} left
//   voucher_forfeited       <lot>: the remaining <money> is forfeited (the reward's vouchers are single-use)
//   voucher_lapses          <lot>: <money> of {cash} left lapses on {on}
//   voucher_given_back      <lot>: gives back <money> used by <reverses>{why}
//   voucher_line_given_back <lot>: gives back <money> used on line {count} of <reverses>{why}
//   voucher_withdrawn       <lot>: withdrawn, its redemption <reverses> was cancelled{why}
//   sends                   sends {figure} to {counterpart}{why}
//   receives                receives <amount> from {counterpart} (lot {other_lot}, same expiry){why}
//   account_opened          fleet account[ '{note}'] opened under fleet policy <rule>
//   joins_account           joins fleet account {counterpart}{why}
//   leaves_account          leaves fleet account {counterpart}{why}
//   member_joins            member {counterpart} joins the account
//   member_leaves           member {counterpart} leaves the account
//   text                    {text}: a sentence with no typed form yet (tier changes, vehicle sales,
//                           volume rebates), kept whole
//
// {why} is ": {note}" when the event gave a reason, else nothing; takes_back, claws_back and
// owes_spent append " [{text}]" when a partial reversal or a carried remainder gave figures.
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <cstddef>
#include <string>
#include <string_view>

#include <boost/container/small_vector.hpp>

#include "loyalty/core/inline.hpp"
#include "loyalty/core/points.hpp"
#include "loyalty/core/time.hpp"
#include "loyalty/event/event.hpp"
#include "loyalty/ledger/earn_figures.hpp"

namespace loyalty {

enum class reason_code : std::uint8_t {
    none,  // no arguments: an entry read back from a ledger file or a store (the reason is the stored one)
    text,
    enrolled,
    earned,
    adjusted,
    takes_back,
    claws_back,
    owes_spent,
    carries_back,
    gives_back_taken,
    gives_back_spent,
    gives_back_to_lapsed,
    gives_back_with_grace,
    expires_given_back,
    lot_expires,
    inactive_expires,
    settles_debt,
    benefit_used,
    benefit_given_back,
    redeems,
    voucher_issued,
    voucher_pays,
    voucher_forfeited,
    voucher_lapses,
    voucher_given_back,
    voucher_line_given_back,
    voucher_withdrawn,
    sends,
    receives,
    account_opened,
    joins_account,
    leaves_account,
    member_joins,
    member_leaves,
};

// How an earning rule counted its base (code earned).
enum class earning_base : std::uint8_t {
    paid,           // "<base> paid on {count} matching line(s)"
    counted,        // covered lines at their price: "<base> counted on {count} matching line(s): <base - cash>
                    // paid by the member, {cash} of covered lines at their price (earn_on_covered_lines)"
    vehicle_price,  // "<base> vehicle price"
    bonus,          // "<base> pt bonus for {type}[ of {counterpart}]"
};

// Where an earning's factor came from (code earned): the rule's rate, a programme multiplier
// (`index` into program::multipliers) or the tier held (`index` into the tier policy's tiers).
struct factor_source {
    enum class kind : std::uint8_t { rate, multiplier, tier };
    kind from = kind::rate;
    std::uint16_t index = 0;
    friend bool operator==(const factor_source& a, const factor_source& b) {
        return a.from == b.from && a.index == b.index;
    }
};

// The names of the vocabulary as the ledger line writes them ("args" of ledger format 5,
// docs/ledger.md) and its canonical form hashes them: each enumerator's own name.
LOYALTY_INLINE std::string_view to_string(reason_code c) noexcept {
    switch (c) {
        case reason_code::none: return "none";
        case reason_code::text: return "text";
        case reason_code::enrolled: return "enrolled";
        case reason_code::earned: return "earned";
        case reason_code::adjusted: return "adjusted";
        case reason_code::takes_back: return "takes_back";
        case reason_code::claws_back: return "claws_back";
        case reason_code::owes_spent: return "owes_spent";
        case reason_code::carries_back: return "carries_back";
        case reason_code::gives_back_taken: return "gives_back_taken";
        case reason_code::gives_back_spent: return "gives_back_spent";
        case reason_code::gives_back_to_lapsed: return "gives_back_to_lapsed";
        case reason_code::gives_back_with_grace: return "gives_back_with_grace";
        case reason_code::expires_given_back: return "expires_given_back";
        case reason_code::lot_expires: return "lot_expires";
        case reason_code::inactive_expires: return "inactive_expires";
        case reason_code::settles_debt: return "settles_debt";
        case reason_code::benefit_used: return "benefit_used";
        case reason_code::benefit_given_back: return "benefit_given_back";
        case reason_code::redeems: return "redeems";
        case reason_code::voucher_issued: return "voucher_issued";
        case reason_code::voucher_pays: return "voucher_pays";
        case reason_code::voucher_forfeited: return "voucher_forfeited";
        case reason_code::voucher_lapses: return "voucher_lapses";
        case reason_code::voucher_given_back: return "voucher_given_back";
        case reason_code::voucher_line_given_back: return "voucher_line_given_back";
        case reason_code::voucher_withdrawn: return "voucher_withdrawn";
        case reason_code::sends: return "sends";
        case reason_code::receives: return "receives";
        case reason_code::account_opened: return "account_opened";
        case reason_code::joins_account: return "joins_account";
        case reason_code::leaves_account: return "leaves_account";
        case reason_code::member_joins: return "member_joins";
        case reason_code::member_leaves: return "member_leaves";
    }
    return "?";
}
LOYALTY_INLINE std::string_view to_string(earning_base b) noexcept {
    switch (b) {
        case earning_base::paid: return "paid";
        case earning_base::counted: return "counted";
        case earning_base::vehicle_price: return "vehicle_price";
        case earning_base::bonus: return "bonus";
    }
    return "?";
}
LOYALTY_INLINE std::string_view to_string(factor_source::kind k) noexcept {
    switch (k) {
        case factor_source::kind::rate: return "rate";
        case factor_source::kind::multiplier: return "multiplier";
        case factor_source::kind::tier: return "tier";
    }
    return "?";
}
// The enumerator a name names, or none. reason_code::none has no name a line may give.
LOYALTY_INLINE std::optional<reason_code> parse_reason_code(std::string_view s) noexcept {
    for (int i = static_cast<int>(reason_code::text); i <= static_cast<int>(reason_code::member_leaves); ++i)
        if (to_string(static_cast<reason_code>(i)) == s) return static_cast<reason_code>(i);
    return std::nullopt;
}
LOYALTY_INLINE std::optional<earning_base> parse_earning_base(std::string_view s) noexcept {
    for (earning_base b : {earning_base::paid, earning_base::counted, earning_base::vehicle_price, earning_base::bonus})
        if (to_string(b) == s) return b;
    return std::nullopt;
}
LOYALTY_INLINE std::optional<factor_source::kind> parse_factor_source(std::string_view s) noexcept {
    for (factor_source::kind k : {factor_source::kind::rate, factor_source::kind::multiplier, factor_source::kind::tier})
        if (to_string(k) == s) return k;
    return std::nullopt;
}

struct reason_args {
    reason_code code = reason_code::none;
    // Texts (views of one string, so that an entry carries one string for all of them):
    //   note         the event's own words: a reversal's, adjustment's, transfer's or join's reason,
    //                a fleet account's name
    //   staff        the operator of an adjustment
    //   reference    a benefit use's reference; a voucher use's RO number
    //   counterpart  the member or account on the other side; a bonus's referred member
    //   other_lot    the lot the points came from (a transfer received, a grace lot)
    //   text         code text: the sentence; earned: the "; not given: ..." clause of a rule that lost
    //                to another; takes_back, claws_back, owes_spent, carries_back: a settlement's figures
    std::string_view note() const noexcept { return text_of(0); }
    std::string_view staff() const noexcept { return text_of(1); }
    std::string_view reference() const noexcept { return text_of(2); }
    std::string_view counterpart() const noexcept { return text_of(3); }
    std::string_view other_lot() const noexcept { return text_of(4); }
    std::string_view text() const noexcept { return text_of(5); }
    void set_note(std::string_view v) { set_text(0, v); }
    void set_staff(std::string_view v) { set_text(1, v); }
    void set_reference(std::string_view v) { set_text(2, v); }
    void set_counterpart(std::string_view v) { set_text(3, v); }
    void set_other_lot(std::string_view v) { set_text(4, v); }
    void set_text(std::string_view v) { set_text(5, v); }

    points figure{};          // a total the sentence names (points spent, sent, redeemed; the debt before)
    std::int64_t count = 0;   // matching lines; a redemption's quantity; a returned line's index
    std::int64_t cash = 0;    // money in minor units of the programme currency: covered lines' price, a
                              // redemption's money part, a voucher's value or what is left of it
    day on{};                 // a day the sentence names: an expiry day
    day since{};              // the day a lot was earned; the last day of activity
    // code earned:
    earning_base base = earning_base::paid;
    event_type type = event_type::repair_order;  // a bonus's event
    std::array<factor_source, earn_figures::max_factors> sources{};  // of figures' factors, in order
    bool capped_per_event = false;       // the rule's per-event cap cut the points
    std::optional<points> period_used{};  // the rule's per-period cap cut them: what the period had used

    friend bool operator==(const reason_args& a, const reason_args& b) {
        return a.code == b.code && a.texts_ == b.texts_ && a.figure == b.figure &&
               a.count == b.count && a.cash == b.cash && a.on == b.on && a.since == b.since && a.base == b.base &&
               a.type == b.type && a.sources == b.sources && a.capped_per_event == b.capped_per_event &&
               a.period_used == b.period_used;
    }
    friend bool operator!=(const reason_args& a, const reason_args& b) { return !(a == b); }

private:
    static constexpr std::size_t texts = 6;
    std::size_t offset_of(std::size_t i) const noexcept {
        std::size_t o = 0;
        for (std::size_t k = 0; k < i; ++k) o += texts_.lengths[k];
        return o;
    }
    std::string_view text_of(std::size_t i) const noexcept {
        if (texts_.lengths[i] == 0) return {};
        return std::string_view(texts_.bytes.data() + offset_of(i), texts_.lengths[i]);  // within the bytes (set_text)
    }
    void set_text(std::size_t i, std::string_view v) {
        const std::less<const char*> before;
        const auto& bytes = texts_.bytes;
        if (!v.empty() && !before(v.data(), bytes.data()) && before(v.data(), bytes.data() + bytes.size())) {
            const std::string copy(v);  // a view of the texts themselves, which insert() may move
            set_text(i, copy);
            return;
        }
        const auto at = texts_.bytes.begin() + static_cast<std::ptrdiff_t>(offset_of(i));
        texts_.bytes.insert(texts_.bytes.erase(at, at + texts_.lengths[i]), v.begin(), v.end());
        texts_.lengths[i] = static_cast<std::uint32_t>(v.size());
    }

    // The texts, one after another, in place up to 32 bytes (an RO number and a counterpart), so
    // that an entry's arguments, copied to each entry of a debit, take no heap block for them;
    // and the length of each. A moved-from one is empty, lengths and all, as a moved-from
    // std::string is (a small_vector moved from the heap is left with no buffer at all).
    struct held_texts {
        boost::container::small_vector<char, 32> bytes;
        std::array<std::uint32_t, texts> lengths{};

        held_texts() = default;
        held_texts(const held_texts&) = default;
        held_texts& operator=(const held_texts&) = default;
        held_texts(held_texts&& o) noexcept : bytes(std::move(o.bytes)), lengths(o.lengths) { o.clear(); }
        held_texts& operator=(held_texts&& o) noexcept {
            if (this != &o) {
                bytes = std::move(o.bytes);
                lengths = o.lengths;
                o.clear();
            }
            return *this;
        }
        ~held_texts() = default;
        void clear() noexcept {
            bytes.clear();
            lengths = {};
        }
        friend bool operator==(const held_texts& a, const held_texts& b) {
            return a.lengths == b.lengths && a.bytes == b.bytes;
        }
    };
    held_texts texts_;
};

// The arguments of a sentence that names only the entry's fields, or the event's words.
LOYALTY_INLINE reason_args because(reason_code code, std::string_view note = {}) {
    reason_args a;
    a.code = code;
    if (!note.empty()) a.set_note(note);
    return a;
}

// The arguments of a sentence with no typed form yet, kept whole (code text).
LOYALTY_INLINE reason_args as_text(std::string_view sentence) {
    reason_args a;
    a.code = reason_code::text;
    a.set_text(sentence);
    return a;
}

}  // namespace loyalty
