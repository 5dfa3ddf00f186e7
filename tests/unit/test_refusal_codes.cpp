// Refusal codes are part of the output format (the CLI's explain, the store's refusal table,
// Python's outcome.refused): every code has one distinct snake_case name, and the README's
// "Refusal codes" list names exactly the codes the engine has.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "loyalty/engine/outcome.hpp"

namespace unit_refusal_codes {

using namespace loyalty;

namespace {

// Every refusal code after `none`, in declaration order: walks the enum's values until
// to_string() answers "?" (a value past the last code), so a code added later is included.
std::vector<std::string> engine_codes() {
    std::vector<std::string> out;
    for (int i = 1; i < 1000; ++i) {
        const std::string_view name = to_string(static_cast<refusal>(i));
        if (name == "?") break;
        out.emplace_back(name);
    }
    return out;
}

// The `code` names of the README's "### Refusal codes" paragraph (up to the first blank line).
std::set<std::string> readme_codes() {
    std::ifstream in(std::string(LOYALTY_SOURCE_DIR) + "/README.md");
    std::string line, paragraph;
    bool inside = false;
    while (std::getline(in, line)) {
        if (!inside) {
            inside = line == "### Refusal codes";
            continue;
        }
        if (line.empty() && !paragraph.empty()) break;
        paragraph += line + "\n";
    }
    std::set<std::string> out;
    const std::regex code("`([a-z_]+)`");
    for (auto it = std::sregex_iterator(paragraph.begin(), paragraph.end(), code); it != std::sregex_iterator(); ++it)
        out.insert((*it)[1].str());
    return out;
}

}  // namespace

TEST(RefusalCodes, NamesAreTheWireVocabulary) {
    // A few spelled out, from both ends of the enum and the middle.
    EXPECT_EQ(to_string(refusal::none), "none");
    EXPECT_EQ(to_string(refusal::no_program), "no_program");
    EXPECT_EQ(to_string(refusal::insufficient_points), "insufficient_points");
    EXPECT_EQ(to_string(refusal::quota_used_up), "quota_used_up");
    EXPECT_EQ(to_string(refusal::counterparty_required), "counterparty_required");
    EXPECT_EQ(to_string(refusal::survey_refused), "survey_refused");
}

TEST(RefusalCodes, EveryCodeHasItsOwnSnakeCaseName) {
    const std::vector<std::string> codes = engine_codes();
    // survey_refused was the 25th code after none when this was written; later codes add to it.
    ASSERT_GE(codes.size(), 25u);
    const std::set<std::string> distinct(codes.begin(), codes.end());
    EXPECT_EQ(distinct.size(), codes.size());
    EXPECT_EQ(distinct.count("none"), 0u);
    const std::regex snake("[a-z]+(_[a-z]+)*");
    for (const std::string& c : codes) EXPECT_TRUE(std::regex_match(c, snake)) << c;
}

TEST(RefusalCodes, TheReadmeListsExactlyTheEnginesCodes) {
    const std::vector<std::string> codes = engine_codes();
    const std::set<std::string> engine(codes.begin(), codes.end());
    const std::set<std::string> readme = readme_codes();
    ASSERT_FALSE(readme.empty()) << "no \"### Refusal codes\" paragraph in README.md";
    for (const std::string& c : engine) EXPECT_EQ(readme.count(c), 1u) << c << " is missing from the README's list";
    for (const std::string& c : readme) EXPECT_EQ(engine.count(c), 1u) << c << " in the README is no refusal code";
}

}  // namespace unit_refusal_codes
