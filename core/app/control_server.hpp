// ControlServer: the running bot's local control channel, a Unix socket speaking JSON lines.
// Thread-safety: start/stop from one thread; connections are read on the server's I/O thread and
// each request is answered on a thread of its own, so no client can hold up another.
#pragma once

#include <spdlog/logger.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "config/config.hpp"
#include "model/result.hpp"

namespace cephalo {

struct ControlServerLimits {
  // A request is one line of at most this many bytes (the newline included).
  size_t max_request_bytes = 64 * 1024;
  // A client must send its whole request line within this time of connecting.
  std::chrono::milliseconds read_timeout{5000};
  // Writing the answer may take at most this long (a client that stops reading is dropped).
  std::chrono::milliseconds write_timeout{5000};
  // Connections at once; one more is answered with an error and closed.
  size_t max_connections = 64;
};

// One request per connection: the client writes a JSON object and a newline, the server answers
// with one JSON object and a newline, then closes. The socket file is created 0600 (only the
// bot's user may command it) and removed on stop. Clients are served concurrently: a silent or
// slow client waits on its own timer and never delays another's request (kill, stop) or the bot's
// graceful stop.
class ControlServer {
 public:
  // Called on a request's own thread with the request line's text (not yet parsed).
  using Handler = std::function<nlohmann::json(const std::string& request_line)>;

  ControlServer(std::filesystem::path socket_path, Handler handler,
                std::shared_ptr<spdlog::logger> logger, ControlServerLimits limits = {});
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  // Fails when the path is too long for a socket or another live bot listens there already.
  Status start();
  // Stops accepting and reading at once; waits for the requests being answered.
  void stop();
  const std::filesystem::path& path() const { return path_; }

 private:
  struct Connection;
  void accept_next();
  void read_request(const std::shared_ptr<Connection>& connection);
  // The request line is in: answered on a thread of its own.
  void answer(const std::shared_ptr<Connection>& connection, std::string line);
  // An answer written from the I/O thread (a refusal before any handler ran).
  void refuse(const std::shared_ptr<Connection>& connection, const std::string& error);
  void reap_finished();

  std::filesystem::path path_;
  Handler handler_;
  std::shared_ptr<spdlog::logger> logger_;
  ControlServerLimits limits_;
  boost::asio::io_context io_;
  std::unique_ptr<boost::asio::local::stream_protocol::acceptor> acceptor_;
  std::thread thread_;
  std::atomic<size_t> open_connections_{0};
  struct Answering {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  std::mutex answering_mutex_;
  std::list<Answering> answering_;
};

// The client side, for the CLI: sends `request`, waits at most `timeout` for the answer.
Result<nlohmann::json> send_control_request(const std::filesystem::path& socket_path,
                                            const nlohmann::json& request,
                                            std::chrono::milliseconds timeout);

// Where a bot with this config listens: control.socket, or else <storage.path>.sock. The bot and
// every CLI command that talks to it derive it here, so they cannot disagree.
std::filesystem::path control_socket_for(const Config& config);

}  // namespace cephalo
