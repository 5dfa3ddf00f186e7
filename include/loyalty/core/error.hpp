#pragma once
// Errors for bad input and broken invariants. Business refusals are not errors:
// they are outcomes with a reason code (see engine/outcome.hpp).
#include <stdexcept>
#include <string>
#include <utility>

namespace loyalty {

// An error names a stable id ("loyalty.program.invalid_rate"), the JSON pointer of the
// offending field when there is one ("/earning_rules/2/rate"), and a message for people.
// what() reads "[id] (pointer) message", as nlohmann/json does.
class error : public std::runtime_error {
public:
    error(std::string id, std::string pointer, const std::string& message)
        : std::runtime_error(format(id, pointer, message)),
          id_(std::move(id)), pointer_(std::move(pointer)), message_(message) {}
    error(std::string id, const std::string& message) : error(std::move(id), "", message) {}

    const std::string& id() const noexcept { return id_; }
    const std::string& pointer() const noexcept { return pointer_; }
    const std::string& message() const noexcept { return message_; }

    // The same error located under a parent JSON pointer ("/earning_rules/2" + "/rate").
    error under(const std::string& parent) const { return error(id_, parent + pointer_, message_); }

private:
    static std::string format(const std::string& id, const std::string& pointer,
                              const std::string& message) {
        std::string s = "[" + id + "] ";
        if (!pointer.empty()) s += "(" + pointer + ") ";
        return s + message;
    }
    std::string id_;
    std::string pointer_;
    std::string message_;
};

}  // namespace loyalty
