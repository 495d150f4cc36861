// The command/query set: one table of every request anything outside the loop may make of a
// running bot (the CLI, the control socket, interface tentacles), with its arguments, its answer
// and its handler. The table drives the dispatcher (ControlService), the argument checks, the
// CLI's `cephalo ctl` subcommands and the documentation (cephalo/control_api.md, installed with
// the ABI header), so they cannot disagree.
// Thread-safety: the table is immutable; the functions are pure.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/result.hpp"

namespace cephalo {

class BotControls;
struct BotSnapshot;
class LogRing;
class HotSwapper;
class Pipeline;
class EventLoop;
class SnapshotBuilder;

// The schema version of every request and answer. A request may name a version; one newer than
// this is refused (naming both), an older one is answered as this version (nothing was removed).
inline constexpr int kControlApiVersion = 1;

enum class RequestKind { kQuery, kCommand };

// Who the control socket's requests come from, as journals keep it (a promotion's "by"); an
// interface tentacle's requests come from its name.
inline constexpr const char* kControlSocketCaller = "control socket";

// One field of a request or of an answer. `type` is a JSON type: string, integer, number,
// boolean, object, array; "a|b" when either. Answer fields are paths: "orders[].side" is the
// side of each element of the array "orders".
struct FieldSpec {
  std::string name;
  std::string type;
  std::string doc;
  bool required = false;     // requests: must be given
  std::string default_text;  // requests: what an absent field means
  bool varies = false;       // answers: differs between two identical requests (a clock)
};

// A request the handler refuses (bad arguments, an unknown slot, nothing to do): the answer is
// {"ok":false,"error":what()}.
class RequestError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What a query reads: the snapshot, and the log ring (its own lock) for `logs`.
struct QueryEnv {
  const BotSnapshot& snapshot;
  LogRing* logs = nullptr;
};

// What a command may touch, on the loop thread (or off it for blocking ones).
struct CommandEnv {
  Pipeline& pipeline;
  EventLoop& loop;
  HotSwapper* swapper = nullptr;    // null in a backtest: no hot swap
  BotControls* controls = nullptr;  // null in a backtest: no reload
  std::string caller;               // kControlSocketCaller, or a tentacle's name
};

// A command's outcome: its result, or why it failed (some failures carry a result too, e.g. the
// record of a swap that rolled back).
struct CommandOutcome {
  bool ok = true;
  nlohmann::json result = nlohmann::json::object();
  std::string error;
  static CommandOutcome success(nlohmann::json result) { return {true, std::move(result), {}}; }
  static CommandOutcome failure(std::string error, nlohmann::json result = nullptr) {
    return {false, std::move(result), std::move(error)};
  }
};
using CommandReply = std::function<void(CommandOutcome)>;

using QueryHandler = nlohmann::json (*)(const QueryEnv& env, const nlohmann::json& request);
// Runs on the loop thread between two events; calls reply once, now or later (on the loop
// thread, e.g. when a swap it started finished).
using LoopCommandHandler = void (*)(CommandEnv& env, const nlohmann::json& request,
                                    const CommandReply& reply);
// Runs off the loop (its work waits for the loop itself, e.g. a library load then a swap);
// throws RequestError to refuse.
using BlockingCommandHandler = CommandOutcome (*)(CommandEnv& env, const nlohmann::json& request);

// What only the run's wiring can do (core/app's LiveReload): reload a tentacle's package, read
// the config again. Off the loop thread; each blocks until the loop did its part.
class BotControls {
 public:
  virtual ~BotControls() = default;
  // The swap record (the documented swap fields); ok when it swapped.
  virtual CommandOutcome reload_tentacle(const std::string& name) = 0;
  // reload_config's documented result.
  virtual CommandOutcome reload_config() = 0;
};

struct RequestSpec {
  std::string name;
  RequestKind kind = RequestKind::kQuery;
  std::string summary;
  std::vector<FieldSpec> args;
  std::vector<FieldSpec> result;
  QueryHandler query = nullptr;
  LoopCommandHandler on_loop = nullptr;
  BlockingCommandHandler off_loop = nullptr;
  // Queries: false when the answer needs no snapshot (ping), so it never waits for the loop.
  bool reads_snapshot = true;
};

// The whole set, queries first, each kind in the order the documentation lists it.
const std::vector<RequestSpec>& control_api();
const RequestSpec* find_request(RequestKind kind, const std::string& name);

// The envelope fields every request and answer has, documented once.
const std::vector<FieldSpec>& request_envelope();
const std::vector<FieldSpec>& answer_envelope(RequestKind kind);

// Every problem with a request's fields at once (unknown key, missing, wrong type), each naming
// the field, what was expected and what was found; empty when it is fine.
std::vector<std::string> check_request(const RequestSpec& spec, const nlohmann::json& request);
// Every way `result` differs from the documented answer fields (missing, wrong type, a key the
// documentation does not list); empty when it conforms.
std::vector<std::string> check_result(const RequestSpec& spec, const nlohmann::json& result);

// The documentation: the table as JSON (for programs) and as Markdown (cephalo/control_api.md).
nlohmann::json control_api_json();
std::string control_api_markdown();

}  // namespace cephalo
