// ControlServer: the running bot's local control channel, a Unix socket speaking JSON lines.
// Thread-safety: start/stop from one thread; the handler runs on the server's own thread.
#pragma once

#include <spdlog/logger.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "config/config.hpp"
#include "model/result.hpp"

namespace cephalo {

// One request per connection: the client writes a JSON object and a newline, the server answers
// with one JSON object and a newline, then closes. The socket file is created 0600 (only the
// bot's user may command it) and removed on stop.
class ControlServer {
 public:
  using Handler = std::function<nlohmann::json(const nlohmann::json& request)>;

  ControlServer(std::filesystem::path socket_path, Handler handler,
                std::shared_ptr<spdlog::logger> logger);
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  // Fails when the path is too long for a socket or another live bot listens there already.
  Status start();
  void stop();
  const std::filesystem::path& path() const { return path_; }

 private:
  void accept_next();
  void serve(boost::asio::local::stream_protocol::socket socket);

  std::filesystem::path path_;
  Handler handler_;
  std::shared_ptr<spdlog::logger> logger_;
  boost::asio::io_context io_;
  std::unique_ptr<boost::asio::local::stream_protocol::acceptor> acceptor_;
  std::thread thread_;
};

// The client side, for the CLI: sends `request`, waits at most `timeout` for the answer.
Result<nlohmann::json> send_control_request(const std::filesystem::path& socket_path,
                                            const nlohmann::json& request,
                                            std::chrono::milliseconds timeout);

// Where a bot with this config listens: control.socket, or else <storage.path>.sock. The bot and
// every CLI command that talks to it derive it here, so they cannot disagree.
std::filesystem::path control_socket_for(const Config& config);

}  // namespace cephalo
