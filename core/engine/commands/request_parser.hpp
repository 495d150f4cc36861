// Reading one request of the command/query set (a JSON object, or the text of one) into its
// table entry and checked arguments, or the error that names what is wrong.
// Thread-safety: pure functions (the table they read is immutable).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "engine/commands/control_api.hpp"

namespace cephalo {

struct ParsedRequest {
  const RequestSpec* spec = nullptr;  // null when the request is refused (see error)
  nlohmann::json request;             // the request as sent, its arguments checked
  nlohmann::json envelope;            // version, the name under its kind's key, id
  std::string error;                  // why it is refused: what was expected, what was found
};

// A request names one query or one command (a string), may carry an "id" (a string, echoed in
// the answer) and a "version" (an integer, at most kControlApiVersion); its arguments are
// checked against the table (every problem named at once).
ParsedRequest parse_request(const nlohmann::json& request);
// The same for the text of a request (the control socket's line): text that is not JSON is
// refused saying what to send.
ParsedRequest parse_request_text(std::string_view request_json);
// The answer to a refused request: its envelope, "ok": false and the error.
nlohmann::json refusal_answer(const ParsedRequest& parsed);

}  // namespace cephalo
