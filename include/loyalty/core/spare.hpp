#pragma once
// The room of a transient container, kept by this thread for the next container of its kind.
//
// Why: applying an event makes a few large containers and frees them when it is done (an
// outcome's entry records, about 2.5 KB; an order's priced lines; the earnings accrue() finds,
// about 5 KB). Blocks that large are past malloc's per-thread cache (glibc's tcache holds
// blocks up to 1,032 bytes), so each one is found in malloc's general bins, and after a long
// replay those bins lie among hundreds of megabytes of members' states, out of every cache:
// about a tenth of the CPU time of a 1,000,000-event replay (docs/performance.md). A container
// handed back here keeps its capacity, empty, and the next take() of its kind starts from it.
//
// One container is kept per kind and thread: the largest handed back since the last take(), on
// a thread that has taken one of its kind before (a thread that only frees keeps nothing).
// `Kind` tells apart containers of one type kept for different uses. Nothing here changes what
// a container holds: take() gives an empty one, give_back() destroys the elements.
//
// At a thread's end the kept container is freed; a give_back() after that (from a destructor of
// an object with static storage, which runs later) keeps nothing: the container's room is freed
// with the container, as if there were no spare.
#include <new>

namespace loyalty {

template <class Container, class Kind = void>
class spare {
public:
    // An empty container with the room of the one kept (or a new one when none is).
    static Container take() noexcept(noexcept(Container())) {
        Container c;
        lend(c);
        return c;
    }
    // Gives an empty `c` the room kept, when that is more than `c` has (a container that holds
    // something keeps what it has).
    static void lend(Container& c) noexcept {
        if (!c.empty()) return;
        slot& s = this_thread();
        if (s.finished) return;
        if (!s.kept) {  // this thread's first: from now on it keeps what is given back
            static thread_local keeper k;  // frees the kept container at the thread's end
            k.touch();
            s.kept = new (std::nothrow) Container();
            return;
        }
        if (s.kept->capacity() > c.capacity()) c.swap(*s.kept);
    }
    // Keeps `c`'s room for the next take(), when it is more than the room kept; `c` is left
    // empty either way (its elements destroyed, its room kept or left to be freed with it).
    static void give_back(Container& c) noexcept {
        c.clear();
        slot& s = this_thread();
        if (s.finished || !s.kept) return;
        if (s.kept->capacity() < c.capacity()) s.kept->swap(c);
    }

private:
    // Trivially destructible, so still readable while the thread's other thread-locals are
    // being destroyed (a `finished` slot keeps nothing).
    struct slot {
        Container* kept = nullptr;
        bool finished = false;
    };
    static slot& this_thread() noexcept {
        static thread_local slot s;
        return s;
    }
    struct keeper {
        void touch() noexcept {}
        ~keeper() {
            slot& s = this_thread();
            delete s.kept;
            s.kept = nullptr;
            s.finished = true;
        }
    };
};

// The same, the container's type deduced, so that the place that takes a container's room and
// the place that gives it back name one kind: use_spare_room<event_effect>(effect.lines) ...
// give_spare_room_back<event_effect>(effect.lines).
template <class Kind = void, class Container>
void use_spare_room(Container& c) noexcept {
    spare<Container, Kind>::lend(c);
}
template <class Kind = void, class Container>
void give_spare_room_back(Container& c) noexcept {
    spare<Container, Kind>::give_back(c);
}

}  // namespace loyalty
