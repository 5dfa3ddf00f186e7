#pragma once
// short_id: an id (text) in 16 bytes, for records a member holds by the thousand (a lot's event,
// member/lot.hpp). An id of up to 15 bytes is kept in place, which is what event ids mostly are
// ("G0000452-12", "RO-25-0000018-3"); a longer one on the heap, as a std::string would. A
// std::string takes 32 bytes whatever it holds.
//
// basic_short_id<N> is the same in N bytes, N - 1 of them in place: a record whose ids run
// longer (an RO number past its ninth visit, "RO-25-0000018-12", in benefit_use_log) takes a
// wider one rather than a heap block of 32 bytes and an allocation for each.
//
// Layout: the last byte is the size of an id kept in place (0 to N - 1), or `on_heap`; an id on
// the heap is a pointer in the first 8 bytes and its size in the next 4. Any bytes, NUL included.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>

namespace loyalty {

template <std::size_t Bytes>
class basic_short_id {
    static_assert(Bytes >= 16 && Bytes <= 255, "a pointer and a size fit, and the size byte tells in place from heap");
    static constexpr std::size_t last = Bytes - 1;  // the byte that holds the size or on_heap

public:
    static constexpr std::size_t in_place = Bytes - 1;  // the longest id kept in place

    basic_short_id() noexcept = default;
    explicit basic_short_id(std::string_view id) { set(id); }
    // From text, as std::string is made: `{"e-1/welcome", points(100)}` makes a lot's pair.
    basic_short_id(const char* id) { set(id); }         // NOLINT: implicit, as std::string's
    basic_short_id(const std::string& id) { set(id); }  // NOLINT: implicit, as std::string's
    basic_short_id(const basic_short_id& other) { set(other.view()); }
    basic_short_id(basic_short_id&& other) noexcept {
        std::memcpy(bytes_, other.bytes_, sizeof bytes_);
        other.bytes_[last] = 0;
    }
    basic_short_id& operator=(const basic_short_id& other) {
        if (this != &other) assign(other.view());
        return *this;
    }
    basic_short_id& operator=(basic_short_id&& other) noexcept {
        if (this != &other) {
            release();
            std::memcpy(bytes_, other.bytes_, sizeof bytes_);
            other.bytes_[last] = 0;
        }
        return *this;
    }
    basic_short_id& operator=(std::string_view id) {
        assign(id);
        return *this;
    }
    basic_short_id& operator=(const std::string& id) { return *this = std::string_view(id); }
    basic_short_id& operator=(const char* id) { return *this = std::string_view(id); }
    ~basic_short_id() { release(); }

    // "<a><sep><b>" (a lot's id from its event and tail), made in place when it fits.
    static basic_short_id joined(std::string_view a, char sep, std::string_view b) {
        basic_short_id r;
        const std::size_t n = a.size() + 1 + b.size();
        if (n > in_place) {
            std::string whole;
            whole.reserve(n);
            r.set(whole.append(a).append(1, sep).append(b));
            return r;
        }
        if (!a.empty()) std::memcpy(r.bytes_, a.data(), a.size());  // (an empty view's data may be null)
        r.bytes_[a.size()] = sep;
        if (!b.empty()) std::memcpy(r.bytes_ + a.size() + 1, b.data(), b.size());
        r.bytes_[last] = static_cast<char>(n);
        return r;
    }

    std::string_view view() const noexcept { return std::string_view(data(), size()); }
    operator std::string_view() const noexcept { return view(); }  // NOLINT: read as text anywhere
    std::string str() const { return std::string(view()); }
    const char* data() const noexcept { return heap() ? pointer() : bytes_; }
    std::size_t size() const noexcept { return heap() ? heap_size() : static_cast<std::size_t>(bytes_[last]); }
    bool empty() const noexcept { return size() == 0; }
    // Whether the id is on the heap (longer than in_place).
    bool heap() const noexcept { return static_cast<unsigned char>(bytes_[last]) == on_heap; }

    friend bool operator==(const basic_short_id& a, const basic_short_id& b) noexcept { return a.view() == b.view(); }
    friend bool operator!=(const basic_short_id& a, const basic_short_id& b) noexcept { return !(a == b); }
    friend bool operator==(const basic_short_id& a, std::string_view b) noexcept { return a.view() == b; }
    friend bool operator!=(const basic_short_id& a, std::string_view b) noexcept { return !(a == b); }
    friend bool operator==(std::string_view a, const basic_short_id& b) noexcept { return a == b.view(); }
    friend bool operator!=(std::string_view a, const basic_short_id& b) noexcept { return !(a == b); }
    // Exact matches for text, which converts both to a view and (implicitly) to an id.
    friend bool operator==(const basic_short_id& a, const std::string& b) noexcept { return a.view() == b; }
    friend bool operator!=(const basic_short_id& a, const std::string& b) noexcept { return !(a == b); }
    friend bool operator==(const std::string& a, const basic_short_id& b) noexcept { return a == b.view(); }
    friend bool operator!=(const std::string& a, const basic_short_id& b) noexcept { return !(a == b); }
    friend bool operator==(const basic_short_id& a, const char* b) noexcept { return a.view() == b; }
    friend bool operator!=(const basic_short_id& a, const char* b) noexcept { return !(a == b); }
    friend bool operator==(const char* a, const basic_short_id& b) noexcept { return a == b.view(); }
    friend bool operator!=(const char* a, const basic_short_id& b) noexcept { return !(a == b); }

private:
    static constexpr unsigned char on_heap = 0xFF;

    char* pointer() const noexcept {
        char* p;
        std::memcpy(&p, bytes_, sizeof p);
        return p;
    }
    std::size_t heap_size() const noexcept {
        std::uint32_t n;
        std::memcpy(&n, bytes_ + 8, sizeof n);
        return n;
    }
    // Sets the id of one that holds nothing on the heap.
    void set(std::string_view id) {
        if (id.size() <= in_place) {
            if (!id.empty()) std::memmove(bytes_, id.data(), id.size());  // `id` may be these very bytes (an empty one may hold no pointer)
            bytes_[last] = static_cast<char>(id.size());
            return;
        }
        if (id.size() > UINT32_MAX) throw std::length_error("short_id: an id of at most 4 GiB");
        char* const p = new char[id.size()];
        std::memcpy(p, id.data(), id.size());
        const auto n = static_cast<std::uint32_t>(id.size());
        std::memcpy(bytes_, &p, sizeof p);
        std::memcpy(bytes_ + 8, &n, sizeof n);
        bytes_[last] = static_cast<char>(on_heap);
    }
    void assign(std::string_view id) {
        if (heap()) {  // `id` may be this id's own bytes: copied before they are freed
            basic_short_id copy(id);
            *this = std::move(copy);
            return;
        }
        set(id);
    }
    void release() noexcept {
        if (heap()) delete[] pointer();
        bytes_[last] = 0;
    }

    char bytes_[Bytes] = {};  // all bytes set: a copy or move never reads an indeterminate one
};

using short_id = basic_short_id<16>;

static_assert(sizeof(short_id) == 16, "short_id is 16 bytes");

}  // namespace loyalty
