// Reading a request of the command/query set: the envelope, the name, the arguments.
// Thread-safety: pure functions.
#include "engine/commands/request_parser.hpp"

namespace cephalo {

namespace {

std::string list_of(RequestKind kind) {
  std::string names;
  for (const RequestSpec& spec : control_api()) {
    if (spec.kind == kind) names += (names.empty() ? "" : ", ") + spec.name;
  }
  return names;
}

const char* kind_key(RequestKind kind) {
  return kind == RequestKind::kQuery ? "query" : "command";
}

}  // namespace

ParsedRequest parse_request_text(std::string_view request_json) {
  const auto request = nlohmann::json::parse(request_json, nullptr, false);
  if (request.is_discarded()) {
    ParsedRequest parsed;
    parsed.envelope = {{"version", kControlApiVersion}};
    parsed.error = "the request is not JSON: send one JSON object, e.g. {\"query\":\"status\"}";
    return parsed;
  }
  return parse_request(request);
}

ParsedRequest parse_request(const nlohmann::json& request) {
  ParsedRequest parsed;
  parsed.envelope = {{"version", kControlApiVersion}};
  if (!request.is_object()) {
    parsed.error = "a request is one JSON object with a \"query\" or a \"command\" string";
    return parsed;
  }
  const bool is_query = request.contains("query");
  const bool is_command = request.contains("command");
  const char* key = is_query ? "query" : "command";
  if (is_query == is_command || !request[key].is_string()) {
    parsed.error = "a request names one \"query\" or one \"command\" (a string); queries: " +
                   list_of(RequestKind::kQuery) + "; commands: " + list_of(RequestKind::kCommand);
    return parsed;
  }
  const std::string name = request[key].get<std::string>();
  parsed.envelope[key] = name;
  if (request.contains("id")) {
    if (!request["id"].is_string()) {
      parsed.error = "field 'id' must be a string (the correlation id echoed in the answer)";
      return parsed;
    }
    parsed.envelope["id"] = request["id"];
  }
  if (request.contains("version")) {
    const auto& version = request["version"];
    if (!version.is_number_integer() || version.get<int64_t>() < 1) {
      parsed.error = "field 'version' must be an integer >= 1";
      return parsed;
    }
    if (version.get<int64_t>() > kControlApiVersion) {
      parsed.error = "the request asks for version " + std::to_string(version.get<int64_t>()) +
                     " of the command/query set; this bot speaks version " +
                     std::to_string(kControlApiVersion) + " (upgrade cephalo)";
      return parsed;
    }
  }
  const RequestKind kind = is_query ? RequestKind::kQuery : RequestKind::kCommand;
  parsed.spec = find_request(kind, name);
  if (parsed.spec == nullptr) {
    const RequestKind other = is_query ? RequestKind::kCommand : RequestKind::kQuery;
    parsed.error = find_request(other, name) != nullptr
                       ? "'" + name + "' is a " + kind_key(other) + ": send {\"" +
                             kind_key(other) + "\":\"" + name + "\"}"
                       : "unknown " + std::string(key) + " '" + name + "' (" +
                             (is_query ? "queries: " : "commands: ") + list_of(kind) + ")";
    return parsed;
  }
  std::string problems;
  for (const std::string& problem : check_request(*parsed.spec, request)) {
    problems += (problems.empty() ? "" : "; ") + problem;
  }
  if (!problems.empty()) {
    parsed.error = name + ": " + problems;
    parsed.spec = nullptr;
    return parsed;
  }
  parsed.request = request;
  return parsed;
}

nlohmann::json refusal_answer(const ParsedRequest& parsed) {
  nlohmann::json answer = parsed.envelope;
  answer["ok"] = false;
  answer["error"] = parsed.error;
  return answer;
}

}  // namespace cephalo
