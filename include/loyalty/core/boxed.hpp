#pragma once
// boxed<T>: an optional value kept on the heap, for a field most values leave empty: 8 bytes
// where std::optional<T> takes sizeof(T) and more (a member_state's `fleet`, which only a fleet
// account's own state has, is 152 bytes: member/state.hpp). It reads as std::optional does
// (has_value, bool, *, ->, value, emplace, reset, = T, = std::nullopt, ==), and copies its value.
#include <memory>
#include <optional>
#include <utility>

namespace loyalty {

template <class T>
class boxed {
public:
    boxed() noexcept = default;
    boxed(std::nullopt_t) noexcept {}  // NOLINT: as std::optional
    boxed(const T& value) : value_(std::make_unique<T>(value)) {}  // NOLINT: as std::optional
    boxed(T&& value) : value_(std::make_unique<T>(std::move(value))) {}  // NOLINT: as std::optional
    boxed(const boxed& other) : value_(other.value_ ? std::make_unique<T>(*other.value_) : nullptr) {}
    boxed(boxed&&) noexcept = default;
    boxed& operator=(const boxed& other) {
        if (this != &other) value_ = other.value_ ? std::make_unique<T>(*other.value_) : nullptr;
        return *this;
    }
    boxed& operator=(boxed&&) noexcept = default;
    boxed& operator=(std::nullopt_t) noexcept {
        value_.reset();
        return *this;
    }
    boxed& operator=(const T& value) {
        emplace(value);
        return *this;
    }
    boxed& operator=(T&& value) {
        emplace(std::move(value));
        return *this;
    }

    template <class... Args>
    T& emplace(Args&&... args) {
        value_ = std::make_unique<T>(std::forward<Args>(args)...);
        return *value_;
    }
    void reset() noexcept { value_.reset(); }

    bool has_value() const noexcept { return value_ != nullptr; }
    explicit operator bool() const noexcept { return has_value(); }
    T& operator*() noexcept { return *value_; }
    const T& operator*() const noexcept { return *value_; }
    T* operator->() noexcept { return value_.get(); }
    const T* operator->() const noexcept { return value_.get(); }
    T& value() {
        if (!value_) throw std::bad_optional_access();
        return *value_;
    }
    const T& value() const {
        if (!value_) throw std::bad_optional_access();
        return *value_;
    }

    // As std::optional: two empty boxes are equal, an empty one equals no value.
    friend bool operator==(const boxed& a, const boxed& b) {
        return a.has_value() == b.has_value() && (!a.has_value() || *a == *b);
    }
    friend bool operator!=(const boxed& a, const boxed& b) { return !(a == b); }

private:
    std::unique_ptr<T> value_;
};

}  // namespace loyalty
