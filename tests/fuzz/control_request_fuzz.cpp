// Fuzz target: the control socket's request handling (core/app/control_server) and the
// command/query set's request parser (core/engine/commands/request_parser), end to end over a real
// Unix socket: each input is what a client writes, and the server must answer with one JSON object
// carrying "ok", whatever it was sent. A request the parser accepts is answered with its name and
// checked arguments, without running it (a running bot's effects are the e2e tests' job); one it
// refuses gets the set's own refusal, which must name a reason.
// Thread-safety: libFuzzer's thread is the client; the server answers on its own thread.
#include <spdlog/logger.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "control_server.hpp"
#include "engine/commands/request_parser.hpp"
#include "fuzz_check.hpp"

namespace {

using Json = nlohmann::json;

Json handle(const std::string& line) {
  const cephalo::ParsedRequest parsed = cephalo::parse_request_text(line);
  if (parsed.spec == nullptr) {
    FUZZ_CHECK(!parsed.error.empty());
    return cephalo::refusal_answer(parsed);
  }
  Json answer = parsed.envelope;
  answer["ok"] = true;
  answer["arguments"] = parsed.request;
  return answer;
}

struct Server {
  std::string path = "/tmp/cephalo-fuzz-control-" + std::to_string(::getpid()) + ".sock";
  std::unique_ptr<cephalo::ControlServer> server;
};

Server& server() {
  static Server instance;
  if (!instance.server) {
    // A logger without sinks: the server's log lines go nowhere.
    instance.server = std::make_unique<cephalo::ControlServer>(
        instance.path, handle, std::make_shared<spdlog::logger>("fuzz"));
    const auto started = instance.server->start();
    FUZZ_CHECK(started.ok());
  }
  return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Server& running = server();
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  FUZZ_CHECK(fd >= 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  running.path.copy(address.sun_path, sizeof address.sun_path - 1);
  // libFuzzer's timer signal interrupts blocking calls: each is retried on EINTR.
  int connected = 0;
  do {
    connected = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  } while (connected != 0 && errno == EINTR);
  FUZZ_CHECK(connected == 0);
  // A client that sends its bytes and closes its side: the server must not wait for more.
  size_t sent = 0;
  while (sent < size) {
    const ssize_t wrote = ::send(fd, data + sent, size - sent, MSG_NOSIGNAL);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) break;  // the server may answer and close early (a request over its limit)
    sent += static_cast<size_t>(wrote);
  }
  ::shutdown(fd, SHUT_WR);
  std::string answer;
  char buffer[4096];
  while (true) {
    const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    answer.append(buffer, static_cast<size_t>(got));
  }
  ::close(fd);
  FUZZ_CHECK(!answer.empty() && answer.back() == '\n');
  const Json parsed = Json::parse(answer, nullptr, false);
  FUZZ_CHECK(parsed.is_object() && parsed.contains("ok") && parsed["ok"].is_boolean());
  return 0;
}
