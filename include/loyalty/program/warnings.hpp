#pragma once
// What a programme says that is valid but probably not meant: `loyalty validate` lists these
// warnings (the programme still loads and runs). Each names an id and the JSON pointer of what
// it is about, as errors do.
//   loyalty.program.no_line_categories   the programme declares no line_categories, so a
//                                        misspelt category on a repair-order line is accepted
//                                        and silently earns nothing and gets no benefit
//   loyalty.program.undeclared_category  a rule, benefit, voucher or fleet discount selects a
//                                        category the programme's line_categories do not list:
//                                        no line can ever be of it
#include <algorithm>
#include <string>
#include <vector>

#include "loyalty/core/inline.hpp"
#include "loyalty/program/program.hpp"

namespace loyalty {

struct program_warning {
    std::string id;
    std::string pointer;
    std::string message;
    friend bool operator==(const program_warning& a, const program_warning& b) {
        return a.id == b.id && a.pointer == b.pointer && a.message == b.message;
    }
};

namespace detail {

LOYALTY_INLINE void undeclared_categories(const std::vector<std::string>& declared, const line_filter& f,
                                  const std::string& lines_pointer, std::vector<program_warning>& out) {
    const auto check = [&](const std::vector<std::string>& named, const char* key) {
        for (std::size_t k = 0; k < named.size(); ++k)
            if (std::find(declared.begin(), declared.end(), named[k]) == declared.end())
                out.push_back({"loyalty.program.undeclared_category",
                               lines_pointer + "/" + key + "/" + std::to_string(k),
                               "category '" + named[k] + "' is not in line_categories: no line can be of it"});
    };
    check(f.categories, "categories");
    check(f.exclude_categories, "exclude_categories");
}

}  // namespace detail

LOYALTY_INLINE std::vector<program_warning> warnings_of(const program& p) {
    std::vector<program_warning> out;
    const std::vector<std::string>& declared = p.orders.categories;
    if (declared.empty()) {
        out.push_back({"loyalty.program.no_line_categories", "/line_categories",
                       "the programme declares no line_categories: a repair-order line of a misspelt category "
                       "(\"tyers\") is accepted, earns nothing and gets no benefit; list the categories lines may "
                       "use (\"*\" allows any)"});
        return out;
    }
    if (std::find(declared.begin(), declared.end(), "*") != declared.end()) return out;  // any category, on purpose
    for (std::size_t i = 0; i < p.earning_rules.size(); ++i)
        detail::undeclared_categories(declared, p.earning_rules[i].lines, "/earning_rules/" + std::to_string(i) + "/lines", out);
    for (std::size_t i = 0; i < p.benefits.size(); ++i)
        detail::undeclared_categories(declared, p.benefits[i].lines, "/benefits/" + std::to_string(i) + "/lines", out);
    for (std::size_t i = 0; i < p.rewards.size(); ++i)
        if (p.rewards[i].voucher)
            detail::undeclared_categories(declared, p.rewards[i].voucher->lines,
                                          "/rewards/" + std::to_string(i) + "/voucher/lines", out);
    for (std::size_t i = 0; i < p.fleet_policies.size(); ++i)
        if (p.fleet_policies[i].discount)
            detail::undeclared_categories(declared, p.fleet_policies[i].discount->lines,
                                          "/fleet_policies/" + std::to_string(i) + "/discount/lines", out);
    return out;
}

}  // namespace loyalty
