#pragma once
// Editing the reference programme for loader tests, and expecting refusals with id and pointer.
#include <functional>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace loyalty::test {

// The reference programme's JSON with one change applied, as text. The reference file holds no
// JSON numbers with a fraction, so the ordinary parser reads it without floating point. A string
// value "@@n@@" is replaced by the raw text n, so that a test can put an exact JSON number such
// as 0.7 in place.
inline std::string edited(const std::function<void(nlohmann::json&)>& edit) {
    nlohmann::json j = nlohmann::json::parse(io::reference_program_json());
    edit(j);
    std::string text = j.dump(2);
    for (std::size_t p = text.find("\"@@"); p != std::string::npos; p = text.find("\"@@")) {
        const std::size_t end = text.find("@@\"", p + 3);
        text.replace(p, end + 3 - p, text.substr(p + 3, end - p - 3));
    }
    return text;
}

// Expects the programme text refused with `id` at `pointer`.
inline void expect_refused(const std::string& text, const std::string& id, const std::string& pointer) {
    try {
        io::load_program(text);
        ADD_FAILURE() << "programme accepted; expected [" << id << "] (" << pointer << ")";
    } catch (const error& e) {
        EXPECT_EQ(e.id(), id) << e.what();
        EXPECT_EQ(e.pointer(), pointer) << e.what();
    }
}

inline void expect_refused(const std::function<void(nlohmann::json&)>& edit, const std::string& id,
                           const std::string& pointer) {
    expect_refused(edited(edit), id, pointer);
}

}  // namespace loyalty::test
