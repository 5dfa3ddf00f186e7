#pragma once
// What the fuzz targets share: loyalty::error is the loaders' answer to bad input; anything
// else escaping is a finding, reported and turned into a crash so libFuzzer keeps the input.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "loyalty/core/error.hpp"

namespace loyalty::fuzz {

[[noreturn]] inline void fail(const char* what, const std::string& detail) {
    std::fprintf(stderr, "FUZZ FINDING: %s\n%s\n", what, detail.c_str());
    std::abort();
}

template <class F>
void expect_only_loyalty_errors(F&& f) {
    try {
        f();
    } catch (const loyalty::error&) {
        // bad input, said properly
    } catch (const std::exception& e) {
        fail("an exception other than loyalty::error escaped", e.what());
    } catch (...) {
        fail("a non-standard exception escaped", "");
    }
}

}  // namespace loyalty::fuzz
