// describe() (ledger/describe.hpp): an entry's reason rendered from its fields, its reason
// arguments and its programme version. The sentences below are written out by hand from the
// wording of docs/ledger.md's examples. The engine makes its sentences with describe() only
// (posting.hpp, render_reasons()); the last tests check that an outcome without explanation gets
// the same sentences at the edge.
#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "loyalty/engine/journal.hpp"
#include "loyalty/io/event_json.hpp"
#include "loyalty/ledger/describe.hpp"
#include "test_support.hpp"

namespace unit_describe {

using namespace loyalty;
using loyalty::test::reference_program;

decimal dec(const char* text) { return *decimal::parse(text); }

ledger_entry entry(entry_kind kind, long long amount, reason_args args) {
    ledger_entry e;
    e.member = "M1";
    e.event = "e-7";
    e.kind = kind;
    e.amount = points(amount);
    e.program = "4s-club";
    e.version = 1;
    e.args = std::move(args);
    return e;
}

// An earn (or carry) entry of `rule` whose figures count `base` (in units of 10^-scale) and
// round to `rounded`, with these factors.
ledger_entry earning(const std::string& rule, long long amount, std::int64_t base, int scale, std::int64_t rounded,
                     std::initializer_list<const char*> factors = {}) {
    ledger_entry e = entry(entry_kind::earn, amount, because(reason_code::earned));
    e.rule = rule;
    earn_figures f;
    f.base = base;
    f.base_scale = scale;
    for (const char* x : factors) f.add_factor(dec(x));
    f.rounded = rounded;
    e.figures = f;
    return e;
}

// The six texts share one string: each reads back what it was last given, whatever the order
// they were set in, a longer or shorter text in between, or a view of the arguments' own texts.
TEST(Describe, ArgumentTextsKeepTheirOwnSlots) {
    reason_args a;
    a.set_text("figures");
    a.set_note("refund");
    a.set_counterpart("M2");
    EXPECT_EQ(a.note(), "refund");
    EXPECT_EQ(a.staff(), "");
    EXPECT_EQ(a.counterpart(), "M2");
    EXPECT_EQ(a.text(), "figures");
    a.set_note("a much longer reason than the one before it");
    a.set_counterpart("");
    a.set_other_lot(a.note().substr(2, 4));  // a view of its own texts
    EXPECT_EQ(a.note(), "a much longer reason than the one before it");
    EXPECT_EQ(a.counterpart(), "");
    EXPECT_EQ(a.other_lot(), "much");
    EXPECT_EQ(a.text(), "figures");
    reason_args b;
    b.set_other_lot("much");
    b.set_note("a much longer reason than the one before it");
    b.set_text("figures");
    EXPECT_EQ(a, b);  // the same texts, set in another order
    b.set_reference("RO-1");
    EXPECT_NE(a, b);
    reason_args c = b;
    EXPECT_EQ(c.reference(), "RO-1");
    EXPECT_EQ(c.note(), b.note());
}

TEST(Describe, ArgumentsMovedFromAreEmptyAndCanBeSetAgain) {
    // Texts past the 32 bytes held in place, and within them: moved, the source has none left
    // (its lengths too), and takes new texts as a new one does.
    for (const std::string note : {std::string("refund"), std::string(100, 'n')}) {
        reason_args a;
        a.set_note(note);
        a.set_reference("RO-25-0000018-12");
        const reason_args copy = a;
        reason_args moved = std::move(a);
        EXPECT_EQ(moved, copy);
        EXPECT_EQ(moved.note(), note);
        EXPECT_EQ(a.note(), "");       // NOLINT: the moved-from state is specified
        EXPECT_EQ(a.reference(), "");  // NOLINT
        EXPECT_EQ(a, reason_args());   // NOLINT
        a.set_staff("S-7");
        EXPECT_EQ(a.staff(), "S-7");
        reason_args assigned;
        assigned.set_text("before");
        assigned = std::move(moved);
        EXPECT_EQ(assigned, copy);
        EXPECT_EQ(moved, reason_args());  // NOLINT
    }
}

TEST(Describe, AnEntryWithoutArgumentsGivesNothingAndATextIsKeptWhole) {
    const program p = reference_program();
    ledger_entry read_back = entry(entry_kind::earn, 10, {});
    read_back.reason = "service-spend: 10.00 CNY paid on 1 matching line(s)";  // never read by describe()
    EXPECT_EQ(describe(read_back, p), "");
    EXPECT_EQ(describe(entry(entry_kind::tier_change, 0, as_text("no tier -> gold: 3 visits")), p),
              "no tier -> gold: 3 visits");
    EXPECT_EQ(describe(entry(entry_kind::enrol, 0, because(reason_code::enrolled)), p), "enrolled in 4s-club v1");
}

TEST(Describe, EarningsFromTheirFigures) {
    const program p = reference_program();
    // 274.00 CNY on two lines at 1 pt per 1.00, under the maintenance-month multiplier (x 2).
    ledger_entry e = earning("service-spend", 548, 27400, 2, 548, {"1", "2"});
    e.args.count = 2;
    e.args.sources[1] = {factor_source::kind::multiplier, 0};
    EXPECT_EQ(describe(e, p),
              "service-spend: 274.00 CNY paid on 2 matching line(s) x 1 pt per 1.00 x 2 (maintenance-month)"
              " = 548 -> 548 pt (rounded down)");

    // Covered lines counted at their price: 300.00 of the 500.00 was the insurer's.
    e.args.base = earning_base::counted;
    e.args.cash = 30000;
    e.figures->base = 50000;
    e.figures->factors = 1;
    e.figures->rounded = 500;
    EXPECT_EQ(describe(e, p),
              "service-spend: 500.00 CNY counted on 2 matching line(s): 200.00 CNY paid by the member, 300.00 CNY"
              " of covered lines at their price (earn_on_covered_lines) x 1 pt per 1.00 = 500 -> 500 pt (rounded down)");

    // A ratio rate (3 pt per 7.00) on 10.00: 30/7, which no decimal writes.
    ledger_entry r = earning("service-spend", 4, 1000, 2, 4, {"3"});
    r.figures->per = 700;
    r.figures->per_scale = 2;
    r.args.count = 1;
    EXPECT_EQ(describe(r, p),
              "service-spend: 10.00 CNY paid on 1 matching line(s) x 3 pt per 7.00 = 30/7 -> 4 pt (rounded down)");

    // A carried remainder: 10.00 x 0.33 = 3.3, + 0.5 carried = 3.8 -> 3, 0.8 carried on.
    ledger_entry c = earning("service-spend", 3, 1000, 2, 3, {"0.33"});
    c.figures->carried = dec("0.5");
    c.args.count = 1;
    EXPECT_EQ(describe(c, p),
              "service-spend: 10.00 CNY paid on 1 matching line(s) x 0.33 pt per 1.00 = 3.3, + 0.5 carried = 3.8"
              " -> 3 pt (rounded down), remainder 0.8 pt carried");

    // A bonus of the referral rule, and the vehicle rule capped at its 5,000 per event.
    ledger_entry b = earning("referral", 1000, 1000, 0, 1000);
    b.args.base = earning_base::bonus;
    b.args.type = event_type::referral;
    b.args.set_counterpart("M9");
    EXPECT_EQ(describe(b, p), "referral: 1000 pt bonus for referral of M9 = 1000 -> 1000 pt (rounded down)");

    ledger_entry v = earning("vehicle-purchase", 5000, 60000000, 2, 6000, {"0.01"});
    v.figures->cap = points(5000);
    v.args.base = earning_base::vehicle_price;
    v.args.capped_per_event = true;
    EXPECT_EQ(describe(v, p),
              "vehicle-purchase: 600000.00 CNY vehicle price x 0.01 pt per 1.00 = 6000 -> 6000 pt (rounded down),"
              " capped at 5000 per event");

    // The survey rule's 50 a calendar month: 30 already used, so 20 of 50.
    ledger_entry s = earning("survey", 20, 50, 0, 50);
    s.figures->cap = points(20);
    s.args.base = earning_base::bonus;
    s.args.type = event_type::survey;
    s.args.period_used = points(30);
    EXPECT_EQ(describe(s, p),
              "survey: 50 pt bonus for survey = 50 -> 50 pt (rounded down), capped at 20 (30 of 50 used this"
              " calendar_month)");
}

TEST(Describe, ReversalsNameWhatTheyUndo) {
    const program p = reference_program();
    ledger_entry t = entry(entry_kind::reverse, -378, because(reason_code::takes_back, "bill disputed"));
    t.reverses = "e-2";
    EXPECT_EQ(describe(t, p), "reverses 378 pt earned by e-2: bill disputed");
    t.args.set_text("service-spend: what is left counts 100 -> 100 pt (rounded down); the event holds 478, 378 pt go back");
    EXPECT_EQ(describe(t, p),
              "reverses 378 pt earned by e-2: bill disputed [service-spend: what is left counts 100 -> 100 pt (rounded"
              " down); the event holds 478, 378 pt go back]");

    ledger_entry claw = entry(entry_kind::claw_back, -40, because(reason_code::claws_back));
    claw.reverses = "e-2";
    claw.args.figure = points(90);  // the whole spent part, over several lots
    EXPECT_EQ(describe(claw, p), "claws back 90 pt of e-2 that were already spent");

    ledger_entry owes = entry(entry_kind::debt, -50, because(reason_code::owes_spent, "refund"));
    owes.reverses = "e-2";
    EXPECT_EQ(describe(owes, p), "50 pt of e-2 were spent and cannot be taken back: refund");

    ledger_entry back = entry(entry_kind::reverse, 120, because(reason_code::gives_back_taken));
    back.reverses = "e-3";
    EXPECT_EQ(describe(back, p), "gives back 120 pt taken by e-3");

    ledger_entry settle = entry(entry_kind::settle_debt, 0, because(reason_code::settles_debt));
    settle.debt_paid = points(30);
    settle.lot = "e-9/service-spend";
    settle.args.figure = points(100);
    EXPECT_EQ(describe(settle, p), "30 pt of lot e-9/service-spend pay off debt (100 -> 70)");
}

TEST(Describe, BenefitsAndVouchers) {
    const program p = reference_program();
    ledger_entry use = entry(entry_kind::benefit_use, 0, because(reason_code::benefit_used));
    use.rule = "oil-change-labour";
    use.uses = 1;
    use.money = "120.00 CNY";
    use.args.set_reference("RO-1");
    EXPECT_EQ(describe(use, p), "oil-change-labour: 1 use, 120.00 CNY given (RO-1)");
    use.uses = 0;
    EXPECT_EQ(describe(use, p), "oil-change-labour: 120.00 CNY given (RO-1)");
    use.uses = 2;
    use.money.clear();
    use.args.set_reference("");
    EXPECT_EQ(describe(use, p), "oil-change-labour: 2 uses");

    ledger_entry back = entry(entry_kind::benefit_return, 0, because(reason_code::benefit_given_back, "RO cancelled"));
    back.rule = "exterior-wash";
    back.uses = 1;
    back.money = "30.00 CNY";
    back.reverses = "e-5";
    back.args.set_reference("RO-5");
    EXPECT_EQ(describe(back, p), "exterior-wash: gives back 1 use, 30.00 CNY given (RO-5) of e-5: RO cancelled");

    // A voucher entry: the voucher is the entry's lot, the money it moves its money.
    const auto voucher_entry = [](entry_kind kind, reason_code code, const char* money, std::int64_t cash) {
        ledger_entry e = entry(kind, 0, because(code));
        e.lot = "e-4/labour-voucher-100#1";
        e.money = money;
        e.args.cash = cash;
        return e;
    };
    ledger_entry pays = voucher_entry(entry_kind::voucher_use, reason_code::voucher_pays, "60.00 CNY", 4000);
    EXPECT_EQ(describe(pays, p),
              "e-4/labour-voucher-100#1: pays 60.00 of labour on repair order e-7 (no RO number), 40.00 left");
    pays.args.set_reference("RO-25-7");
    EXPECT_EQ(describe(pays, p), "e-4/labour-voucher-100#1: pays 60.00 of labour on RO-25-7, 40.00 left");

    ledger_entry lapse = voucher_entry(entry_kind::voucher_expire, reason_code::voucher_lapses, "40.00 CNY", 10000);
    lapse.args.on = day(date::year(2026) / 3 / 1);
    EXPECT_EQ(describe(lapse, p), "e-4/labour-voucher-100#1: 40.00 of 100.00 left lapses on 2026-03-01");
}

TEST(Describe, RedemptionsTransfersAndExpiry) {
    const program p = reference_program();
    ledger_entry r = entry(entry_kind::redeem, -700, because(reason_code::redeems));
    r.rule = "car-care-kit";
    r.args.count = 2;
    r.args.figure = points(1800);
    EXPECT_EQ(describe(r, p), "redeems 2 x car-care-kit (Car-care kit (daily goods)) for 1800");
    r.args.cash = 5000;
    EXPECT_EQ(describe(r, p), "redeems 2 x car-care-kit (Car-care kit (daily goods)) for 1800 + 50.00 CNY");

    ledger_entry grace = entry(entry_kind::redeem_cancel, 300, because(reason_code::gives_back_with_grace));
    grace.reverses = "e-4";
    grace.args.set_other_lot("e-1/welcome");
    grace.args.on = day(date::year(2026) / 2 / 28);
    EXPECT_EQ(describe(grace, p),
              "gives back 300 pt spent by e-4 from lot e-1/welcome, which expired on 2026-02-28; grace of 30 days");

    ledger_entry sends = entry(entry_kind::transfer_out, -60, because(reason_code::sends, "family"));
    sends.args.figure = points(100);
    sends.args.set_counterpart("M2");
    EXPECT_EQ(describe(sends, p), "sends 100 to M2: family");
    ledger_entry got = entry(entry_kind::transfer_in, 60, because(reason_code::receives));
    got.args.set_counterpart("M1");
    got.args.set_other_lot("e-1/welcome");
    EXPECT_EQ(describe(got, p), "receives 60 from M1 (lot e-1/welcome, same expiry)");

    ledger_entry x = entry(entry_kind::expire, -190, because(reason_code::lot_expires));
    x.args.since = day(date::year(2025) / 1 / 22);
    x.args.on = day(date::year(2027) / 2 / 1);
    EXPECT_EQ(describe(x, p), "lot earned 2025-01-22 expires on 2027-02-01 (months_after_earning)");
}

// The engine builds no sentence unless asked: applied without explanation, the reference
// journal's entries carry only their figures and arguments, and render_reasons() gives each the
// sentence an explained outcome carries (a runner renders them so as they leave it).
TEST(Describe, EntriesWithoutExplanationAreRenderedAtTheEdge) {
    const program p = reference_program();
    const program_versions versions(p);
    journal_runner said{versions}, quiet{versions};
    quiet.set_explanation(explanation::none);
    std::map<reason_code, int> seen;
    int entries = 0, bare_entries = 0;
    for (const event& e : io::load_journal_file(std::string(LOYALTY_SOURCE_DIR) + "/examples/events/4s-club-2025-2026.jsonl", p)) {
        // The member's state before the event, applied to alone without explanation.
        member_state before = quiet.members().count(e.member) ? quiet.members().at(e.member) : member_state(e.member);
        outcome bare = apply_in_place(versions, before, e, detail::no_stock(), nullptr, nullptr, explanation::none);
        const outcome o = said.apply(e);
        const outcome q = quiet.apply(e);
        EXPECT_EQ(q.entries, o.entries) << e.id;
        for (const ledger_entry& x : o.entries) {
            EXPECT_FALSE(x.reason.empty()) << "entry " << x.seq << " of " << x.member;
            ++seen[x.args.code];
            ++entries;
        }
        if (e.type() == event_type::transfer || !bare.accepted()) continue;  // two members: the runner's
        std::vector<ledger_entry> own;  // the event's member's (a referrer's side is the runner's)
        for (const ledger_entry& x : o.entries)
            if (x.member == e.member) own.push_back(x);
        ASSERT_EQ(bare.entries.size(), own.size()) << e.id;
        for (std::size_t i = 0; i < own.size(); ++i) {
            EXPECT_EQ(bare.entries[i].reason, "") << "entry " << own[i].seq << " of " << own[i].member;
            ++bare_entries;
        }
        render_reasons(bare.entries, versions);
        EXPECT_EQ(bare.entries, own) << e.id;
    }
    EXPECT_EQ(entries, 39);       // of the journal's 23 events
    EXPECT_EQ(bare_entries, 36);  // less the referrer's side of a referral, posted by the runner
    for (reason_code c : {reason_code::enrolled, reason_code::earned, reason_code::adjusted, reason_code::benefit_used,
                          reason_code::takes_back, reason_code::benefit_given_back})
        EXPECT_GT(seen[c], 0) << static_cast<int>(c);
}

// render_reasons() leaves an entry read back (a reason and no arguments) as it is, and names an
// entry whose programme version is not loaded.
TEST(Describe, RenderReasonsKeepsStoredReasonsAndNamesAnUnknownVersion) {
    const program p = reference_program();
    const program_versions versions(p);
    std::vector<ledger_entry> read_back{entry(entry_kind::adjust, 10, reason_args{})};
    read_back[0].reason = "as the file says";
    render_reasons(read_back, versions);
    EXPECT_EQ(read_back[0].reason, "as the file says");
    std::vector<ledger_entry> other{entry(entry_kind::enrol, 0, because(reason_code::enrolled))};
    other[0].version = p.version + 1;
    try {
        render_reasons(other, versions);
        FAIL() << "an unknown version was rendered";
    } catch (const error& x) {
        EXPECT_EQ(x.id(), "loyalty.program.unknown_version");
    }
    other[0].version = p.version;
    render_reasons(other, versions);
    EXPECT_EQ(other[0].reason, "enrolled in 4s-club v" + std::to_string(p.version));
}

}  // namespace unit_describe
