// Beast WebSocket client on a private io_context and thread, written as C++20 coroutines.
// Thread-safety: see websocket_client.hpp.
#include "exchange/net/websocket_client.hpp"

#include <atomic>
#include <deque>
#include <memory>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <random>
#include <thread>

#include "exchange/net/http_transport.hpp"
#include "exchange/net/tls_client.hpp"

namespace cephalo::exchange {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

}  // namespace

const char* stream_health_name(StreamHealthKind kind) {
  switch (kind) {
    case StreamHealthKind::kConnected:
      return "connected";
    case StreamHealthKind::kStale:
      return "stale";
    case StreamHealthKind::kDisconnected:
      return "disconnected";
    case StreamHealthKind::kRotating:
      return "rotating";
  }
  return "?";
}

std::chrono::milliseconds WebSocketClient::backoff_delay(int attempt,
                                                         std::chrono::milliseconds initial,
                                                         std::chrono::milliseconds max,
                                                         uint64_t random_value) {
  int64_t ceiling = initial.count();
  for (int i = 0; i < attempt && ceiling < max.count(); ++i) ceiling *= 2;
  ceiling = std::min<int64_t>(ceiling, max.count());
  const int64_t half = ceiling / 2;
  return std::chrono::milliseconds(
      half + (half > 0 ? static_cast<int64_t>(random_value % static_cast<uint64_t>(half + 1)) : 0));
}

struct WebSocketClient::Impl {
  std::string url;
  BaseUrl base;
  std::string target;
  WebSocketOptions options;
  MessageHandler on_message;
  HealthHandler on_health;

  asio::io_context io;
  asio::ssl::context tls_context{asio::ssl::context::tls_client};
  std::thread thread;
  std::atomic<bool> stopping{false};
  // Set before the thread starts: the thread's first callbacks (a connect, and the send() the
  // health handler makes from it) may run before std::thread's move-assignment has finished.
  std::atomic<bool> running{false};
  std::mt19937_64 random;

  // The live session's sockets, so stop() and the watchdog can close them.
  websocket::stream<beast::tcp_stream>* plain = nullptr;
  websocket::stream<beast::ssl_stream<beast::tcp_stream>>* secure = nullptr;
  std::deque<std::string> outbox;  // text frames to send on the current connection
  bool writing = false;
  SteadyClock::time_point last_message{};
  SteadyClock::time_point connected_at{};
  uint64_t session = 0;

  template <class Ws>
  void write_front(Ws& ws) {
    writing = true;
    ws.text(true);
    ws.async_write(asio::buffer(outbox.front()), [this](beast::error_code ec, size_t) {
      writing = false;
      if (ec) {
        outbox.clear();  // the connection is going; the next one subscribes afresh
        return;
      }
      outbox.pop_front();
      pump();
    });
  }

  // Runs on the io thread: starts the next write if none is in flight.
  void pump() {
    if (writing || outbox.empty()) return;
    if (plain) {
      write_front(*plain);
    } else if (secure) {
      write_front(*secure);
    } else {
      outbox.clear();  // not connected: frames belong to a connection that is gone
    }
  }

  void close_current() {
    beast::error_code ignored;
    if (plain) beast::get_lowest_layer(*plain).socket().close(ignored);
    if (secure) beast::get_lowest_layer(*secure).socket().close(ignored);
  }

  void emit(StreamHealthKind kind, std::string detail, std::chrono::milliseconds next = {}) {
    if (on_health) on_health(StreamHealthEvent{kind, std::move(detail), next});
  }

  asio::awaitable<void> watchdog(uint64_t my_session) {
    asio::steady_timer timer(io);
    beast::error_code ec;
    const auto tick = options.staleness.count() > 0
                          ? std::max(std::chrono::milliseconds(10), options.staleness / 4)
                          : std::chrono::milliseconds(1000);
    while (!stopping && session == my_session) {
      timer.expires_after(tick);
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (stopping || session != my_session) break;
      const auto now = SteadyClock::now();
      if (options.staleness.count() > 0 && now - last_message > options.staleness) {
        emit(StreamHealthKind::kStale,
             "no message for " + std::to_string(options.staleness.count()) + " ms on " + target);
        close_current();
        break;
      }
      if (now - connected_at > options.max_connection_age) {
        emit(StreamHealthKind::kRotating, "reconnecting before the venue's 24 h limit");
        close_current();
        break;
      }
    }
  }

  template <class Ws>
  asio::awaitable<std::string> read_loop(Ws& ws, bool& out_received) {
    beast::error_code ec;
    websocket::stream_base::timeout timeouts =
        websocket::stream_base::timeout::suggested(beast::role_type::client);
    timeouts.handshake_timeout = options.connect_timeout;
    timeouts.idle_timeout = websocket::stream_base::none();  // staleness is the watchdog's job
    ws.set_option(timeouts);
    beast::get_lowest_layer(ws).expires_never();
    co_await ws.async_handshake(base.host + ":" + base.port, target,
                                asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return "WebSocket handshake for " + target + " failed: " + ec.message();
    connected_at = SteadyClock::now();
    last_message = connected_at;
    const uint64_t my_session = ++session;
    emit(StreamHealthKind::kConnected, url);
    asio::co_spawn(io, watchdog(my_session), asio::detached);
    beast::flat_buffer buffer;
    while (!stopping) {
      buffer.clear();
      co_await ws.async_read(buffer, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      last_message = SteadyClock::now();
      out_received = true;
      const auto data = buffer.cdata();
      on_message(std::string_view(static_cast<const char*>(data.data()), data.size()));
    }
    ++session;  // retires the watchdog
    outbox.clear();
    co_return ec ? "connection lost: " + ec.message() : std::string("closed");
  }

  asio::awaitable<std::string> run_session(bool& out_received) {
    beast::error_code ec;
    tcp::resolver resolver(io);
    auto endpoints = co_await resolver.async_resolve(base.host, base.port,
                                                     asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return "cannot resolve " + base.host + ": " + ec.message();
    if (!base.tls) {
      websocket::stream<beast::tcp_stream> ws(io);
      beast::get_lowest_layer(ws).expires_after(options.connect_timeout);
      co_await beast::get_lowest_layer(ws).async_connect(
          endpoints, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return "cannot connect to " + base.host + ":" + base.port + ": " + ec.message();
      plain = &ws;
      std::string why = co_await read_loop(ws, out_received);
      plain = nullptr;
      co_return why;
    }
    websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws(io, tls_context);
    if (Status prepared = prepare_tls_connection(ws.next_layer().native_handle(), base.host);
        !prepared) {
      co_return prepared.error();
    }
    beast::get_lowest_layer(ws).expires_after(options.connect_timeout);
    co_await beast::get_lowest_layer(ws).async_connect(
        endpoints, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return "cannot connect to " + base.host + ":" + base.port + ": " + ec.message();
    co_await ws.next_layer().async_handshake(asio::ssl::stream_base::client,
                                             asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      co_return describe_tls_failure(ws.next_layer().native_handle(), ec, base.host,
                                     options.ca_file);
    }
    secure = &ws;
    std::string why = co_await read_loop(ws, out_received);
    secure = nullptr;
    co_return why;
  }

  asio::awaitable<void> run_forever() {
    int attempt = 0;
    asio::steady_timer timer(io);
    while (!stopping) {
      bool received = false;
      std::string why = co_await run_session(received);
      if (stopping) break;
      if (received) attempt = 0;  // a session that worked resets the backoff
      const auto delay =
          backoff_delay(attempt++, options.backoff_initial, options.backoff_max, random());
      emit(StreamHealthKind::kDisconnected, why, delay);
      beast::error_code ec;
      timer.expires_after(delay);
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
  }
};

WebSocketClient::WebSocketClient(std::string url, WebSocketOptions options,
                                 MessageHandler on_message, HealthHandler on_health)
    : impl_(std::make_unique<Impl>()) {
  impl_->url = std::move(url);
  impl_->options = std::move(options);
  impl_->on_message = std::move(on_message);
  impl_->on_health = std::move(on_health);
  impl_->random.seed(impl_->options.jitter_seed != 0
                         ? impl_->options.jitter_seed
                         : static_cast<uint64_t>(SteadyClock::now().time_since_epoch().count()));
}

WebSocketClient::~WebSocketClient() {
  stop();
}

Status WebSocketClient::start() {
  if (impl_->thread.joinable()) return Error{"WebSocket client already started"};
  std::string url = impl_->url;
  if (url.rfind("ws://", 0) == 0) {
    url = "http://" + url.substr(5);
  } else if (url.rfind("wss://", 0) == 0) {
    url = "https://" + url.substr(6);
  } else {
    return Error{"WebSocket URL \"" + impl_->url + "\": expected ws://... or wss://..."};
  }
  auto base = parse_base_url(url);
  if (!base) return base.status();
  impl_->base = std::move(base).value();
  impl_->target = impl_->base.prefix.empty() ? "/" : impl_->base.prefix;
  impl_->base.prefix.clear();
  if (impl_->base.tls) {
    if (Status configured = configure_tls_client(impl_->tls_context, impl_->options.ca_file);
        !configured) {
      return configured;
    }
  }
  asio::co_spawn(impl_->io, impl_->run_forever(), asio::detached);
  impl_->running = true;
  impl_->thread = std::thread([impl = impl_.get()] { impl->io.run(); });
  return Ok{};
}

void WebSocketClient::send(std::string text) {
  if (!impl_ || !impl_->running) return;
  asio::post(impl_->io, [impl = impl_.get(), text = std::move(text)]() mutable {
    if (!impl->plain && !impl->secure) return;
    impl->outbox.push_back(std::move(text));
    impl->pump();
  });
}

void WebSocketClient::reconnect() {
  if (!impl_ || !impl_->running) return;
  asio::post(impl_->io, [impl = impl_.get()] { impl->close_current(); });
}

void WebSocketClient::schedule(std::chrono::milliseconds delay, std::function<void()> task) {
  if (!impl_ || !impl_->running) return;
  auto timer = std::make_shared<asio::steady_timer>(impl_->io, delay);
  timer->async_wait([impl = impl_.get(), timer, task = std::move(task)](beast::error_code ec) {
    if (!ec && !impl->stopping) task();
  });
}

void WebSocketClient::stop() {
  if (!impl_ || !impl_->thread.joinable()) return;
  impl_->running = false;
  impl_->stopping = true;
  asio::post(impl_->io, [impl = impl_.get()] {
    impl->close_current();
    impl->io.stop();
  });
  impl_->thread.join();
}

}  // namespace cephalo::exchange
