#pragma once
// An input iterator over a container that keeps its elements packed and gives each one by value
// (a member's effect book, its benefit usage): element i is owner.value_at(i), built when
// dereferenced. Iterators compare by position only (both from the same container).
#include <cstddef>
#include <iterator>

namespace loyalty {

template <class Owner, class Value>
class by_value_iterator {
public:
    using value_type = Value;
    using difference_type = std::ptrdiff_t;
    using iterator_category = std::input_iterator_tag;
    struct pointer {
        value_type value;
        const value_type* operator->() const noexcept { return &value; }
    };
    using reference = value_type;

    by_value_iterator() = default;
    by_value_iterator(const Owner* owner, std::size_t i) : owner_(owner), i_(i) {}
    value_type operator*() const { return owner_->value_at(i_); }
    pointer operator->() const { return {**this}; }
    by_value_iterator& operator++() {
        ++i_;
        return *this;
    }
    friend bool operator==(const by_value_iterator& a, const by_value_iterator& b) { return a.i_ == b.i_; }
    friend bool operator!=(const by_value_iterator& a, const by_value_iterator& b) { return a.i_ != b.i_; }

private:
    const Owner* owner_ = nullptr;
    std::size_t i_ = 0;
};

}  // namespace loyalty
