#pragma once
// The result of applying one event (ledger/outcome.hpp) and the refusal codes
// (event/refusal.hpp). They are defined below the engine, since the functions that apply the
// rules write them; this header keeps the engine's name for them.
#include "loyalty/event/refusal.hpp"
#include "loyalty/ledger/outcome.hpp"
