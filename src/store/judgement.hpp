#pragma once
// How the store answered an event id before, and the answer an event sent again gets. Every id
// is judged once (docs/store.md, Idempotency): the same event again gets the answer it got, and
// another event under the id is refused as event_id_reused.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "connection.hpp"
#include "loyalty/store/store.hpp"

namespace loyalty::store::detail {

struct judgement {
    bool accepted = false;
    refusal code = refusal::none;  // when refused
    std::string message;
    std::string body;  // the event judged, as io::event_to_json wrote it
};

// The stored judgements of these ids, by id; an id never judged is absent. Read a hundred ids
// per statement, so that a batch of new events costs a few statements, not one per event.
std::map<std::string, judgement> stored_judgements(connection& db, const std::vector<std::string>& ids);
std::optional<judgement> stored_judgement(connection& db, const std::string& id);

// Whether `body` (as this library writes it) is the event judged before. The stored text is
// compared as it is, then as this library writes what it says, so that a body an older writer
// stored is not taken for another event.
bool same_event(const judgement& before, const std::string& body, const std::string& id, const currency& unit);

// Fills `r` (event and member set) with the answer to an event sent again: the answer it got,
// or event_id_reused when it is not the same event.
void answer_again(event_result& r, const judgement& before, bool same);

}  // namespace loyalty::store::detail
