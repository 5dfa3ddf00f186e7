#pragma once
// A buffer of this thread's of at least `bytes` bytes, grown (never shrunk) as needed: a text or
// a form is written there and then copied or hashed where it goes, so that writing allocates
// nothing once the buffer is large enough. Not reentrant: what is written there must not call
// back into it (the ledger's JSON writers, ledger/hash_chain.hpp, and the format-5 group form,
// ledger/group_form.hpp, each use it for one piece at a time).
#include <cstddef>
#include <memory>

#include "loyalty/core/inline.hpp"

namespace loyalty {

LOYALTY_INLINE char* scratch_buffer(std::size_t bytes) {
    thread_local std::unique_ptr<char[]> buffer;
    thread_local std::size_t size = 0;
    if (size < bytes) {
        buffer.reset(new char[bytes]);
        size = bytes;
    }
    return buffer.get();
}

}  // namespace loyalty
