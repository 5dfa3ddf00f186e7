// A member's effects are kept packed (member/effect_codec.hpp, member/effect_book.hpp): packing
// must be exact. For any effect, unpacking what was packed gives it back field for field;
// ids that start with the event's own id (the event's lots) and odd ids (empty, with '/', non
// ASCII, the event id itself) included, any currency, extreme integers and decimals.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "loyalty/member/effect_book.hpp"

namespace property_effect_packing {

using namespace loyalty;

namespace {

// Text as effects hold it: any string, or one of a few that then repeat within the effect (as a
// benefit, its RO number and VIN do on every line), so that strings written as references to
// earlier ones are packed and unpacked too.
rc::Gen<std::string> any_text() {
    return rc::gen::oneOf(rc::gen::arbitrary<std::string>(), rc::gen::element<std::string>("free-wash", "RO-1", "VIN1", "a"));
}

// Ids as real effects hold them: the event's own lots ("<event>/<rule>"), other events' lots,
// and odd ones.
rc::Gen<std::string> id_for(const std::string& event_id) {
    return rc::gen::oneOf(any_text(),
                          rc::gen::map(rc::gen::arbitrary<std::string>(), [event_id](std::string s) { return event_id + "/" + s; }),
                          rc::gen::element(std::string(), event_id, event_id + "/", "/" + event_id, event_id + "//x"));
}

rc::Gen<std::int64_t> any_integer() {
    return rc::gen::oneOf(rc::gen::arbitrary<std::int64_t>(), rc::gen::inRange<std::int64_t>(-1000, 1000),
                          rc::gen::element(std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(),
                                           std::int64_t{0}, std::int64_t{-1}));
}

rc::Gen<money> any_money() {
    return rc::gen::apply(
        [](std::int64_t minor, const char* code) { return money(minor, *currency::from_code(code)); }, any_integer(),
        rc::gen::element("CNY", "JPY", "KWD", "XXX", "USD"));
}

day any_day() { return day(date::days(*rc::gen::inRange(-800000, 800000))); }

benefit_use any_benefit_use(const std::string& event_id) {
    benefit_use u;
    u.benefit = *any_text();
    u.on = any_day();
    u.uses = *any_integer();
    u.discount = *any_integer();
    u.reference = *id_for(event_id);
    u.vin = *any_text();
    if (*rc::gen::arbitrary<bool>()) u.odometer_km = *any_integer();
    return u;
}

template <class F>
auto some(F make) {
    std::vector<decltype(make())> out(static_cast<std::size_t>(*rc::gen::inRange(0, 4)));
    for (auto& x : out) x = make();
    return out;
}

event_effect any_effect(const std::string& event_id) {
    event_effect e;
    e.type = static_cast<event_type>(*rc::gen::inRange(0, 18));
    e.at = instant(std::chrono::seconds(*rc::gen::inRange<std::int64_t>(-4000000000, 4000000000)));
    e.reversed = *rc::gen::arbitrary<bool>();
    e.settled = *rc::gen::arbitrary<bool>();
    e.closed_order = *rc::gen::arbitrary<bool>();
    const auto lot_amount = [&] { return std::pair<lot_id_text, points>(lot_id_text(*id_for(event_id)), points(*any_integer())); };
    e.earned = some(lot_amount);
    e.consumed = some(lot_amount);
    e.cap_uses = some([&] { return cap_use{*any_text(), any_day(), points(*any_integer())}; });
    e.benefit_uses = some([&] { return any_benefit_use(event_id); });
    e.voucher_uses = some([&] { return voucher_use{*id_for(event_id), *any_money(), *any_money()}; });
    if (*rc::gen::arbitrary<bool>()) {
        e.reward = *any_text();
        e.quantity = *any_integer();
    }
    if (*rc::gen::arbitrary<bool>()) e.cash = *any_money();
    e.vouchers = some([&] { return *id_for(event_id); });
    if (*rc::gen::arbitrary<bool>()) {
        e.account = *any_text();
        e.account_spend = *any_money();
    }
    e.lines = some([&] {
        order_line_effect l;
        l.paid = *any_money();
        // Mostly nothing refunded (zero in the currency paid: packed as one bit), else anything.
        l.refunded = *rc::gen::arbitrary<bool>() ? money::zero(l.paid.currency_of()) : *any_money();
        l.returned = *rc::gen::arbitrary<bool>();
        // Mostly a line's part of one of the order's uses (its benefit, day and reference, no
        // vehicle: packed as one flag), sometimes differing in one of those, else anything.
        const std::vector<benefit_use> uses = some([&] {
            if (e.benefit_uses.empty() || !*rc::gen::arbitrary<bool>()) return any_benefit_use(event_id);
            const benefit_use& whole = *rc::gen::elementOf(e.benefit_uses);
            benefit_use u{whole.benefit, whole.on, *any_integer(), *any_integer(), whole.reference};
            switch (*rc::gen::inRange(0, 6)) {
                case 0: u.vin = *any_text(); break;
                case 1: u.odometer_km = *any_integer(); break;
                case 2: u.on = any_day(); break;
                case 3: u.reference = *id_for(event_id); break;
                default: break;  // the order's day and reference, no vehicle
            }
            return u;
        });
        l.benefit_uses.assign(uses.begin(), uses.end());  // held in place for one (order_line_benefit_uses)
        l.vouchers = some([&] { return std::pair<std::string, money>(*id_for(event_id), *any_money()); });
        return l;
    });
    e.bases = some([&] {
        earning_basis b;
        b.rule = *any_text();
        b.lot = *id_for(event_id);
        const std::vector<std::int64_t> counted = some([&] { return *any_integer(); });
        b.counted.assign(counted.begin(), counted.end());  // past eight lines too (on the heap)
        const std::vector<decimal> factors =
            some([&] { return decimal(*any_integer(), *rc::gen::inRange(0, decimal::max_scale + 1)); });
        b.factors.assign(factors.begin(), factors.end());
        b.divisor_exponent = *rc::gen::arbitrary<bool>() ? 0 : *rc::gen::inRange(-40, 40);
        b.mode = static_cast<rounding>(*rc::gen::inRange(0, 5));
        b.earned = points(*any_integer());
        b.taken_back = points(*any_integer());
        b.expired_excused = points(*any_integer());
        b.carry = *rc::gen::arbitrary<bool>();
        b.per = *rc::gen::arbitrary<bool>() ? 0 : *any_integer();
        return b;
    });
    return e;
}

}  // namespace

RC_GTEST_PROP(EffectPacking, UnpackingWhatWasPackedGivesTheEffectBack, ()) {
    const std::string event_id = *rc::gen::oneOf(rc::gen::arbitrary<std::string>(), rc::gen::element(std::string("e-1"), std::string("a/b"), std::string()));
    const event_effect e = any_effect(event_id);
    const std::string packed = pack_effect(e, event_id);
    RC_ASSERT(unpack_effect(summary_of(e), packed, event_id) == e);
    // With a name table, as a book packs: names are numbers there, and the same table reads them;
    // packed again, nothing is added (every name has its number already).
    name_table names;
    const std::string named = pack_effect(e, event_id, &names);
    RC_ASSERT(unpack_effect(summary_of(e), named, event_id, &names) == e);
    const std::size_t known = names.size();
    RC_ASSERT(pack_effect(e, event_id, &names) == named);
    RC_ASSERT(names.size() == known);
    // In a book: kept, replaced, marked reversed and settled as the fields say.
    effect_book book;
    book.insert(event_id, e);
    RC_ASSERT(book.at(event_id) == e);
    RC_ASSERT(*book.summary(event_id) == summary_of(e));
    book.insert(event_id, event_effect{});  // an id already in the book keeps its effect
    RC_ASSERT(book.at(event_id) == e);
    event_effect reversed = e;
    reversed.reversed = true;
    book.mark_reversed(event_id);
    RC_ASSERT(book.at(event_id) == reversed);
    book.settle_before(e.at);  // only events before the instant are settled
    RC_ASSERT(book.at(event_id) == reversed);
    book.settle_before(e.at + std::chrono::seconds(1));
    if (e.settled) {  // settled already: left as it is
        RC_ASSERT(book.at(event_id) == reversed);
        return;
    }
    event_effect settled;
    settled.type = e.type;
    settled.at = e.at;
    settled.reversed = true;
    settled.closed_order = e.closed_order;
    settled.settled = true;
    RC_ASSERT(book.at(event_id) == settled);
}

// The book keeps every effect in one byte string with an index by id (member/effect_book.hpp).
// Whatever is done to it (events added in any id order, effects replaced, marked reversed,
// settled, records written again and the bytes compacted, copies), it holds what a map of
// effects would: the same effects, by id, in id order.
RC_GTEST_PROP(EffectPacking, TheBookHoldsWhatAMapOfEffectsWould, ()) {
    effect_book book;
    std::map<std::string, event_effect> model;
    const int steps = *rc::gen::inRange(0, 60);
    for (int step = 0; step < steps; ++step) {
        const std::string id = *rc::gen::element(std::string("e-1"), std::string("e-2"), std::string("RO-10"),
                                                 std::string("a"), std::string(""), std::string("zz/9"),
                                                 std::string(200, 'x'));
        switch (*rc::gen::inRange(0, 6)) {
            case 0: {  // a new event; an id already there keeps its effect
                const event_effect e = any_effect(id);
                book.insert(id, e);
                model.try_emplace(id, e);
                break;
            }
            case 1: {  // an effect replaced (a reversal writes it again)
                const event_effect e = any_effect(id);
                book.assign(id, e);
                model[id] = e;
                break;
            }
            case 2:
                if (model.count(id)) {
                    book.mark_reversed(id);
                    model[id].reversed = true;
                }
                break;
            case 3: {
                const instant before(std::chrono::seconds(*rc::gen::inRange<std::int64_t>(-4000000000, 4000000000)));
                book.settle_before(before);
                for (auto& [k, e] : model)
                    if (!e.settled && e.at < before) {
                        event_effect settled;
                        settled.type = e.type;
                        settled.at = e.at;
                        settled.reversed = e.reversed;
                        settled.closed_order = e.closed_order;
                        settled.settled = true;
                        e = settled;
                    }
                break;
            }
            case 4: {  // copied, and the copy kept
                const effect_book copy = book;
                book = copy;
                break;
            }
            default: break;
        }
        RC_ASSERT(book.size() == model.size());
        auto it = model.begin();
        for (const auto& [key, record] : book) {  // in id order
            RC_ASSERT(it != model.end());
            RC_ASSERT(key == it->first);
            RC_ASSERT(record.summary == summary_of(it->second));
            ++it;
        }
        std::vector<std::string> ids;  // the same ids, in the same order, without the records
        book.for_each_id([&](std::string_view id) { ids.emplace_back(id); });
        RC_ASSERT(ids.size() == model.size());
        RC_ASSERT(std::equal(ids.begin(), ids.end(), model.begin(), [](const std::string& a, const auto& kv) { return a == kv.first; }));
        for (const auto& [key, e] : model) {
            RC_ASSERT(book.contains(key));
            RC_ASSERT(book.at(key) == e);
            RC_ASSERT(*book.summary(key) == summary_of(e));
        }
        RC_ASSERT(!book.contains("not-there"));
    }
    effect_book rebuilt;  // the same effects added afresh: an equal book, however the bytes lie
    for (const auto& [key, e] : model) rebuilt.assign(key, e);
    RC_ASSERT(rebuilt == book);
}

TEST(EffectPacking, AnEffectOfNothingButItsSummaryTakesNoBytes) {
    event_effect e;
    e.type = event_type::enrol;
    EXPECT_EQ(pack_effect(e, "e-1"), "");
    e.earned = {{"e-1/welcome", points(100)}};
    // Present parts (bit 0: earned), one item, the id's tail "welcome" (7 << 2 | 1: flagged as
    // "<event>/..."), 100 zigzagged.
    EXPECT_EQ(pack_effect(e, "e-1"), std::string("\x01\x01\x1d" "welcome" "\xc8\x01", 12));
    // Another event's lot: the whole id (11 << 2 | 0).
    EXPECT_EQ(pack_effect(e, "e-2"), std::string("\x01\x01\x2c" "e-1/welcome" "\xc8\x01", 16));
}

// A string written before within one effect is written again as its number among the strings
// written so far (n << 2 | 2): a repair order repeats a benefit, its RO number and the VIN on
// every line. Bytes worked by hand.
TEST(EffectPacking, AStringRepeatedWithinAnEffectIsWrittenAsItsNumber) {
    event_effect e;
    e.type = event_type::repair_order;
    const benefit_use wash{"free-wash", day(date::days(0)), 1, 0, "RO-1", "VIN1"};
    e.benefit_uses = {wash, wash};
    const std::string first = std::string("\x08\x02", 2)      // present: bit 3 (benefit uses); two uses
                              + "\x24" + "free-wash"          // 9 << 2
                              + std::string("\x00\x02\x00", 3)  // day 0, 1 use, no money
                              + "\x10" + "RO-1" + "\x10" + "VIN1" + std::string("\x00", 1);  // 4 << 2; no odometer
    const std::string second = std::string("\x02\x00\x02\x00", 4)  // string 0; day 0, 1 use, no money
                               + "\x06\x0a" + std::string("\x00", 1);  // strings 1 and 2; no odometer
    EXPECT_EQ(pack_effect(e, "e-1"), first + second);
    EXPECT_EQ(unpack_effect(summary_of(e), first + second, "e-1"), e);
    // A string longer than what is left, and a reference past the strings written, are refused,
    // not read out of bounds.
    EXPECT_THROW(unpack_effect(summary_of(e), first.substr(0, 5), "e-1"), std::out_of_range);
    EXPECT_THROW(unpack_effect(summary_of(e), first + std::string("\x0e\x00\x02\x00\x06\x0a\x00", 7), "e-1"),
                 std::out_of_range);
}

// A repair order line's part of one of the order's benefit uses keeps only what is its own: the
// benefit (a reference back), its uses and money, and one flag for "the order's day and
// reference, no vehicle". Bytes worked by hand.
TEST(EffectPacking, ALinesPartOfTheOrdersUseKeepsOnlyItsOwnFigures) {
    event_effect e;
    e.type = event_type::repair_order;
    e.benefit_uses = {{"labour-30", day(date::days(3)), 0, 8100, "RO-1"}};  // 81.00 off over two lines
    order_line_effect first, second;
    first.paid = second.paid = money(10000, *currency::from_code("CNY"));
    first.refunded = second.refunded = money::zero(first.paid.currency_of());
    first.benefit_uses = {{"labour-30", day(date::days(3)), 0, 5100, "RO-1"}};
    second.benefit_uses = {{"labour-30", day(date::days(4)), 0, 3000, "RO-1"}};  // another day: written out
    e.lines = {first, second};
    const auto bytes = [](std::initializer_list<int> b) {
        std::string s;
        for (int c : b) s += static_cast<char>(c);
        return s;
    };
    const std::string order = bytes({0x88, 0x04, 0x01})       // present: bits 3 and 9 (520); one use
                              + bytes({0x24}) + "labour-30"    // 9 << 2
                              + bytes({0x06, 0x00, 0xc8, 0x7e})  // day 3, 0 uses, 8100 (zigzag 16200)
                              + bytes({0x10}) + "RO-1"         // 4 << 2
                              + bytes({0x00, 0x00});           // no VIN, no odometer
    const std::string paid = bytes({0x04, 0xa0, 0x9c, 0x01});  // a line with uses only; 10000 (zigzag 20000)
    const std::string lines = bytes({0x02})                                      // two lines
                              + paid + bytes({0x01}) + "CNY" + bytes({0x01})     // first currency: written; one use
                              + bytes({0x02, 0x00, 0xd8, 0x4f, 0x01})            // string 0, 0 uses, 5100; as the order's
                              + paid + bytes({0x00, 0x01})                       // the same currency; one use
                              + bytes({0x02, 0x00, 0xf0, 0x2e, 0x00})            // string 0, 0 uses, 3000; not as the order's
                              + bytes({0x08, 0x06, 0x00, 0x00});                 // day 4, string 1 ("RO-1"), no VIN, no odometer
    EXPECT_EQ(pack_effect(e, "e-1"), order + lines);
    EXPECT_EQ(unpack_effect(summary_of(e), order + lines, "e-1"), e);
    // A line that says "as the order's" where the order has no use of that benefit is refused.
    event_effect alone = e;
    alone.benefit_uses[0].benefit = "labour-20";
    std::string forged = pack_effect(alone, "e-1");
    EXPECT_EQ(unpack_effect(summary_of(alone), forged, "e-1"), alone);
    // The first line's use: its benefit in full (the order named another), 0 uses, 5100, the flag.
    const std::size_t flag = forged.find(bytes({0x24}) + "labour-30") + 10 + 1 + 2;
    ASSERT_EQ(forged[flag], 0);
    forged[flag] = 1;
    EXPECT_THROW(unpack_effect(summary_of(alone), forged, "e-1"), std::out_of_range);
}

// Packed with a name table (as a member's effect book packs), a rule, benefit or reward id, a
// VIN or the tail of an own lot's id is its number there: one byte, however long the name, and
// the same number in every effect packed with the table. Bytes worked by hand.
TEST(EffectPacking, NamesAreTheirNumbersInTheTable) {
    event_effect e;
    e.type = event_type::repair_order;
    e.earned = {{"e-1/welcome", points(100)}};
    const benefit_use wash{"free-wash", day(date::days(0)), 1, 0, "RO-1", "VIN1"};
    e.benefit_uses = {wash, wash};
    name_table names;
    const std::string packed = std::string("\x09\x01", 2)  // present: bits 0 and 3 (earned, benefit uses); one lot
                               + "\x0f\xc8\x01"           // name 1 ("welcome") as an own id's tail ((1 << 1 | 1) << 2 | 3); 100
                               + std::string("\x02\x13\x00\x02\x00", 5)  // two uses; name 2 ((2 << 1) << 2 | 3); day 0, 1 use, no money
                               + "\x10" "RO-1" "\x1b" + std::string("\x00", 1)  // the reference as text (4 << 2); name 3; no odometer
                               + std::string("\x13\x00\x02\x00\x02\x1b\x00", 7);  // name 2; ...; string 0 (the reference); name 3
    EXPECT_EQ(pack_effect(e, "e-1", &names), packed);
    ASSERT_EQ(names.size(), 3u);
    EXPECT_EQ(names[1], "welcome");
    EXPECT_EQ(names[2], "free-wash");
    EXPECT_EQ(names[3], "VIN1");
    EXPECT_EQ(unpack_effect(summary_of(e), packed, "e-1", &names), e);
    // Another event's lot of the same rule: the same number, its own event's id before it.
    event_effect next;
    next.type = event_type::survey;
    next.earned = {{"e-2/welcome", points(100)}};
    EXPECT_EQ(pack_effect(next, "e-2", &names), std::string("\x01\x01\x0f\xc8\x01", 5));
    EXPECT_EQ(unpack_effect(summary_of(next), std::string("\x01\x01\x0f\xc8\x01", 5), "e-2", &names), next);
    // Another event's lot, or an own lot whose tail is itself a lot's id (a cancelled
    // redemption's), is text: per-event ids never go into the table.
    next.earned = {{"e-1/welcome", points(100)}, {"e-2/e-1/welcome", points(5)}};
    EXPECT_EQ(pack_effect(next, "e-2", &names), std::string("\x01\x02\x2c" "e-1/welcome" "\xc8\x01" "\x2d" "e-1/welcome" "\x0a", 29));
    EXPECT_EQ(names.size(), 3u);
    // Names are read only with the table they were written with: without one, or a number the
    // table never gave, is refused rather than read as another name.
    EXPECT_THROW(unpack_effect(summary_of(e), packed, "e-1"), std::out_of_range);
    const name_table empty;
    EXPECT_THROW(unpack_effect(summary_of(e), packed, "e-1", &empty), std::out_of_range);
}

// Two books of the same events are equal whatever numbers their names got (each numbers them
// in the order it met them); a different effect is not equal.
TEST(EffectPacking, BooksOfTheSameEffectsAreEqualWhateverTheirNamesNumbers) {
    event_effect wash;
    wash.type = event_type::benefit_use;
    wash.benefit_uses = {{"free-wash", day(date::days(0)), 1, 0, "RO-1", "VIN1"}};
    event_effect welcome;
    welcome.type = event_type::enrol;
    welcome.earned = {{"e-2/welcome", points(500)}};
    effect_book one, other;
    one.insert("e-1", wash);
    one.insert("e-2", welcome);
    other.insert("e-2", welcome);
    other.insert("e-1", wash);
    EXPECT_TRUE(one == other);
    EXPECT_EQ(other.at("e-1"), wash);
    event_effect more = wash;
    more.benefit_uses[0].uses = 2;
    effect_book third;
    third.insert("e-2", welcome);
    third.insert("e-1", more);
    EXPECT_FALSE(one == third);
}

// Past the strings one effect remembers (effect_packing::remembered_texts), strings are written
// in full again; the ones remembered are still referred to, and all unpack.
TEST(EffectPacking, MoreStringsThanRememberedAllUnpack) {
    event_effect e;
    e.type = event_type::repair_order;
    const std::size_t n = detail::effect_packing::remembered_texts + 10;
    for (std::size_t i = 0; i < n; ++i) e.vouchers.push_back("v" + std::to_string(i));
    e.vouchers.push_back("v0");                                                         // remembered
    e.vouchers.push_back("v" + std::to_string(detail::effect_packing::remembered_texts));  // not
    const std::string packed = pack_effect(e, "e-1");
    EXPECT_EQ(unpack_effect(summary_of(e), packed, "e-1"), e);
    EXPECT_EQ(packed.substr(packed.size() - 5), std::string("\x02", 1) + "\x0c" "v48");  // string 0, then "v48" in full
}

TEST(EffectPacking, AMissingEffectIsOutOfRange) {
    effect_book book;
    EXPECT_FALSE(book.contains("e-1"));
    EXPECT_EQ(book.summary("e-1"), std::nullopt);
    EXPECT_THROW((void)book.at("e-1"), std::out_of_range);
    EXPECT_THROW(book.mark_reversed("e-1"), std::out_of_range);
}

}  // namespace property_effect_packing
