// Blocking reads per connection are fine here: requests are rare, small and local.
// Thread-safety: see control_server.hpp.
#include "control_server.hpp"

#include <sys/stat.h>
#include <sys/un.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

namespace cephalo {

namespace local = boost::asio::local;

namespace {

constexpr size_t kMaxRequestBytes = 1 << 16;

Status check_path_length(const std::filesystem::path& path) {
  if (path.string().size() >= sizeof(sockaddr_un::sun_path)) {
    return Error{"control socket path " + path.string() + " is " +
                 std::to_string(path.string().size()) + " characters; Unix sockets allow " +
                 std::to_string(sizeof(sockaddr_un::sun_path) - 1) +
                 " (set control.socket to a shorter path)"};
  }
  return Ok{};
}

}  // namespace

std::filesystem::path control_socket_for(const Config& config) {
  if (!config.control.socket.empty()) return config.control.socket;
  return std::filesystem::absolute(config.storage.path).string() + ".sock";
}

ControlServer::ControlServer(std::filesystem::path socket_path, Handler handler,
                             std::shared_ptr<spdlog::logger> logger)
    : path_(std::move(socket_path)), handler_(std::move(handler)), logger_(std::move(logger)) {}

ControlServer::~ControlServer() {
  stop();
}

Status ControlServer::start() {
  if (auto length = check_path_length(path_); !length.ok()) return length;
  std::error_code ec;
  if (std::filesystem::exists(path_, ec)) {
    // A socket file left by a bot that died, or one that is alive: only a live one answers.
    auto alive = send_control_request(path_, {{"command", "ping"}}, std::chrono::milliseconds(500));
    if (alive.ok()) {
      return Error{"another cephalo is running with control socket " + path_.string() +
                   " (the same storage file?); stop it or set control.socket"};
    }
    std::filesystem::remove(path_, ec);
  }
  try {
    acceptor_ = std::make_unique<local::stream_protocol::acceptor>(
        io_, local::stream_protocol::endpoint(path_.string()));
  } catch (const boost::system::system_error& error) {
    return Error{"cannot listen on control socket " + path_.string() + ": " + error.what()};
  }
  ::chmod(path_.c_str(), 0600);
  accept_next();
  thread_ = std::thread([this] { io_.run(); });
  return Ok{};
}

void ControlServer::stop() {
  if (!thread_.joinable()) return;
  io_.stop();
  thread_.join();
  acceptor_.reset();
  std::error_code ec;
  std::filesystem::remove(path_, ec);
}

void ControlServer::accept_next() {
  acceptor_->async_accept(
      [this](const boost::system::error_code& error, local::stream_protocol::socket socket) {
        if (error) return;
        serve(std::move(socket));
        accept_next();
      });
}

void ControlServer::serve(local::stream_protocol::socket socket) {
  nlohmann::json answer;
  try {
    boost::asio::streambuf buffer(kMaxRequestBytes);
    boost::asio::read_until(socket, buffer, '\n');
    std::istream in(&buffer);
    std::string line;
    std::getline(in, line);
    const auto request = nlohmann::json::parse(line, nullptr, false);
    if (!request.is_object() || !request.contains("command") || !request["command"].is_string()) {
      answer = {{"ok", false}, {"error", "a request is one JSON object with a \"command\" string"}};
    } else {
      answer = handler_(request);
    }
  } catch (const std::exception& error) {
    answer = {{"ok", false}, {"error", std::string("control request failed: ") + error.what()}};
  }
  boost::system::error_code ignored;
  boost::asio::write(socket, boost::asio::buffer(answer.dump() + "\n"), ignored);
}

Result<nlohmann::json> send_control_request(const std::filesystem::path& socket_path,
                                            const nlohmann::json& request,
                                            std::chrono::milliseconds timeout) {
  if (auto length = check_path_length(socket_path); !length.ok()) return Error{length.error()};
  boost::asio::io_context io;
  local::stream_protocol::socket socket(io);
  boost::system::error_code error;
  socket.connect(local::stream_protocol::endpoint(socket_path.string()), error);
  if (error) {
    return Error{"no running cephalo answers on " + socket_path.string() + ": " + error.message() +
                 " (is `cephalo run` running with this config, in paper or live mode?)"};
  }
  boost::asio::write(socket, boost::asio::buffer(request.dump() + "\n"), error);
  if (error) return Error{"cannot send to " + socket_path.string() + ": " + error.message()};
  // The answer may take as long as a swap; a bounded wait keeps a stuck bot from hanging the CLI.
  timeval tv{static_cast<time_t>(timeout.count() / 1000),
             static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  boost::asio::streambuf buffer(kMaxRequestBytes);
  boost::asio::read_until(socket, buffer, '\n', error);
  if (error) {
    return Error{"no answer from " + socket_path.string() + " within " +
                 std::to_string(timeout.count()) + " ms: " + error.message()};
  }
  std::istream in(&buffer);
  std::string line;
  std::getline(in, line);
  auto answer = nlohmann::json::parse(line, nullptr, false);
  if (answer.is_discarded()) return Error{"the bot's answer is not JSON: " + line};
  return answer;
}

}  // namespace cephalo
