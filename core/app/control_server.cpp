// Reads requests asynchronously on one I/O thread, each with its own deadline and size limit, and
// answers each on a thread of its own: a slow request (a swap) or a silent client never holds up
// another client or the bot's graceful stop.
// Thread-safety: see control_server.hpp.
#include "control_server.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

namespace cephalo {

namespace local = boost::asio::local;

namespace {

// Answers may be large (a page of trades, the config); this only guards against a runaway peer.
constexpr size_t kMaxAnswerBytes = size_t{256} << 20;

Status check_path_length(const std::filesystem::path& path) {
  if (path.string().size() >= sizeof(sockaddr_un::sun_path)) {
    return Error{"control socket path " + path.string() + " is " +
                 std::to_string(path.string().size()) + " characters; Unix sockets allow " +
                 std::to_string(sizeof(sockaddr_un::sun_path) - 1) +
                 " (set control.socket to a shorter path)"};
  }
  return Ok{};
}

void set_timeout(int fd, int option, std::chrono::milliseconds timeout) {
  timeval tv{static_cast<time_t>(timeout.count() / 1000),
             static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
  ::setsockopt(fd, SOL_SOCKET, option, &tv, sizeof tv);
}

std::string error_line(const std::string& error) {
  return nlohmann::json{{"version", 1}, {"ok", false}, {"error", error}}.dump() + "\n";
}

}  // namespace

struct ControlServer::Connection {
  explicit Connection(local::stream_protocol::socket s, size_t max_bytes)
      : socket(std::move(s)), buffer(max_bytes), timer(socket.get_executor()) {}
  local::stream_protocol::socket socket;
  boost::asio::streambuf buffer;
  boost::asio::steady_timer timer;
  bool reading = true;  // I/O thread only: the timer may cancel the read only while it runs
};

std::filesystem::path control_socket_for(const Config& config) {
  if (!config.control.socket.empty()) return config.control.socket;
  return std::filesystem::absolute(config.storage.path).string() + ".sock";
}

ControlServer::ControlServer(std::filesystem::path socket_path, Handler handler,
                             std::shared_ptr<spdlog::logger> logger, ControlServerLimits limits)
    : path_(std::move(socket_path)),
      handler_(std::move(handler)),
      logger_(std::move(logger)),
      limits_(limits) {}

ControlServer::~ControlServer() {
  stop();
}

Status ControlServer::start() {
  if (auto length = check_path_length(path_); !length.ok()) return length;
  std::error_code ec;
  if (std::filesystem::exists(path_, ec)) {
    // A socket file left by a bot that died, or one that is alive: only a live one answers.
    auto alive = send_control_request(path_, {{"query", "ping"}}, std::chrono::milliseconds(500));
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
  // Silent clients are only pending reads on the I/O thread: stopping it drops them at once.
  io_.stop();
  thread_.join();
  acceptor_.reset();
  std::list<Answering> answering;
  {
    std::lock_guard lock(answering_mutex_);
    answering.swap(answering_);
  }
  for (Answering& request : answering) request.thread.join();
  std::error_code ec;
  std::filesystem::remove(path_, ec);
}

void ControlServer::accept_next() {
  acceptor_->async_accept([this](const boost::system::error_code& error,
                                 local::stream_protocol::socket socket) {
    if (error) {
      if (error != boost::asio::error::operation_aborted) accept_next();
      return;
    }
    reap_finished();
    auto connection = std::make_shared<Connection>(std::move(socket), limits_.max_request_bytes);
    if (open_connections_.load() >= limits_.max_connections) {
      refuse(connection, "the bot serves " + std::to_string(limits_.max_connections) +
                             " control connections at once; try again");
    } else {
      read_request(connection);
    }
    accept_next();
  });
}

void ControlServer::read_request(const std::shared_ptr<Connection>& connection) {
  ++open_connections_;
  connection->timer.expires_after(limits_.read_timeout);
  connection->timer.async_wait([connection](const boost::system::error_code& error) {
    if (error || !connection->reading) return;  // the read finished first
    boost::system::error_code ignored;
    connection->socket.cancel(ignored);  // the pending read ends with operation_aborted
  });
  boost::asio::async_read_until(
      connection->socket, connection->buffer, '\n',
      [this, connection](const boost::system::error_code& error, size_t) {
        connection->reading = false;
        const bool timed_out = connection->timer.expiry() <= std::chrono::steady_clock::now();
        connection->timer.cancel();
        if (!error) {
          std::istream in(&connection->buffer);
          std::string line;
          std::getline(in, line);
          answer(connection, std::move(line));
          return;
        }
        --open_connections_;
        if (error == boost::asio::error::not_found) {
          refuse(connection, "control request larger than " +
                                 std::to_string(limits_.max_request_bytes) +
                                 " bytes without a newline: send one JSON object on one line, "
                                 "at most " +
                                 std::to_string(limits_.max_request_bytes) + " bytes");
        } else if (error == boost::asio::error::operation_aborted && timed_out) {
          refuse(connection, "no complete request line within " +
                                 std::to_string(limits_.read_timeout.count()) +
                                 " ms of connecting: send one JSON object and a newline");
        } else if (error == boost::asio::error::eof) {
          // A client that half-closed still reads: say what was missing (a write to one that
          // went away fails quietly).
          refuse(connection, connection->buffer.size() > 0
                                 ? "the request ended without a newline: end it with '\\n'"
                                 : "the connection ended before any request: send one JSON "
                                   "object and a newline");
        }
        // Anything else (the server stops, a reset): nothing to answer.
      });
}

void ControlServer::refuse(const std::shared_ptr<Connection>& connection,
                           const std::string& error) {
  logger_->warn("control socket: {}", error);
  set_timeout(connection->socket.native_handle(), SO_SNDTIMEO, limits_.write_timeout);
  boost::system::error_code ignored;
  boost::asio::write(connection->socket, boost::asio::buffer(error_line(error)), ignored);
  connection->socket.close(ignored);
}

void ControlServer::answer(const std::shared_ptr<Connection>& connection, std::string line) {
  auto done = std::make_shared<std::atomic<bool>>(false);
  std::lock_guard lock(answering_mutex_);
  answering_.push_back(Answering{
      std::thread([this, connection, line = std::move(line), done] {
        std::string text;
        try {
          text = handler_(line).dump() + "\n";
        } catch (const std::exception& error) {
          text = error_line(std::string("control request failed: ") + error.what());
        }
        // A blocking write on this thread alone, bounded: a client that stops reading is dropped.
        set_timeout(connection->socket.native_handle(), SO_SNDTIMEO, limits_.write_timeout);
        boost::system::error_code ignored;
        boost::asio::write(connection->socket, boost::asio::buffer(text), ignored);
        connection->socket.close(ignored);
        --open_connections_;
        done->store(true);
      }),
      done});
}

void ControlServer::reap_finished() {
  std::lock_guard lock(answering_mutex_);
  for (auto it = answering_.begin(); it != answering_.end();) {
    if (it->done->load()) {
      it->thread.join();
      it = answering_.erase(it);
    } else {
      ++it;
    }
  }
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
  set_timeout(socket.native_handle(), SO_SNDTIMEO, timeout);
  boost::asio::write(socket, boost::asio::buffer(request.dump() + "\n"), error);
  if (error) return Error{"cannot send to " + socket_path.string() + ": " + error.message()};
  // The answer may take as long as a swap; a bounded wait keeps a stuck bot from hanging the CLI.
  set_timeout(socket.native_handle(), SO_RCVTIMEO, timeout);
  boost::asio::streambuf buffer(kMaxAnswerBytes);
  boost::asio::read_until(socket, buffer, '\n', error);
  if (error == boost::asio::error::not_found) {
    return Error{"the answer from " + socket_path.string() + " is larger than " +
                 std::to_string(kMaxAnswerBytes >> 20) + " MiB; ask for less (limit, offset)"};
  }
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
