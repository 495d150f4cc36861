// ControlPort: the command/query set as the host reaches it. The run attaches one (the engine's
// ControlService, core/engine/commands) to its Pipeline; interface tentacles' send_command_json
// and query_json, the control socket and the CLI all end in it.
// Thread-safety: query and command from any thread; `done` runs on the loop thread.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace cephalo {

// A command's answer, for whoever sent it.
struct CommandAnswer {
  std::string json;   // the documented answer object: {"version","command","id"?,"ok",...}
  bool ok = false;
  std::string error;  // why it was refused, when !ok
  bool correlated = false;  // the request carried an "id"
};

class ControlPort {
 public:
  virtual ~ControlPort() = default;
  // A query answered from the latest snapshot; the answer object as JSON text. `caller` names
  // who asks, for logs ("the control socket", a tentacle's name).
  virtual std::string query(std::string_view request_json, const std::string& caller) = 0;
  // A command run on the loop thread between two events; `done` gets its answer there.
  using Done = std::function<void(const CommandAnswer&)>;
  virtual void command(std::string_view request_json, const std::string& caller, Done done) = 0;
};

}  // namespace cephalo
