// A tiny venue on 127.0.0.1 for socket-level tests: real TCP, Beast HTTP and WebSocket, a
// handler per test. Only what the connector tests need; the exchange simulator replaces it in
// integration tests.
// Thread-safety: handlers run on the server's connection threads; the destructor joins them.
#pragma once

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <thread>

namespace cephalo::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = boost::asio::ip::tcp;

class LoopbackVenue {
 public:
  using RestHandler =
      std::function<http::response<http::string_body>(const http::request<http::string_body>&)>;
  // Runs for one WebSocket session; return to close it.
  using WsHandler = std::function<void(websocket::stream<tcp::socket>&, const std::string& target)>;

  LoopbackVenue(RestHandler rest, WsHandler ws)
      : rest_(std::move(rest)), ws_(std::move(ws)), acceptor_(io_, {tcp::v4(), 0}) {
    acceptor_.set_option(boost::asio::socket_base::reuse_address(true));
    port_ = acceptor_.local_endpoint().port();
    accept_thread_ = std::thread([this] { accept_loop(); });
  }
  ~LoopbackVenue() {
    stopping_ = true;
    boost::system::error_code ignored;
    {
      // A blocked accept() does not wake when the acceptor closes; a connection wakes it.
      boost::asio::io_context io;
      tcp::socket wake(io);
      wake.connect({boost::asio::ip::make_address("127.0.0.1"), port_}, ignored);
      accept_thread_.join();
    }
    acceptor_.close(ignored);
    {
      std::lock_guard lock(mutex_);
      for (tcp::socket* socket : sockets_) socket->shutdown(tcp::socket::shutdown_both, ignored);
    }
    for (std::thread& t : connections_) t.join();
  }
  unsigned short port() const { return port_; }
  std::string http_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string ws_url(const std::string& path) const {
    return "ws://127.0.0.1:" + std::to_string(port_) + path;
  }
  int connections_accepted() const { return accepted_.load(); }
  // Closes every open connection now (a dropped socket, as the venue or network would).
  void drop_all() {
    std::lock_guard lock(mutex_);
    boost::system::error_code ignored;
    for (tcp::socket* socket : sockets_) socket->shutdown(tcp::socket::shutdown_both, ignored);
  }

 private:
  void accept_loop() {
    while (!stopping_) {
      tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stopping_) return;
      ++accepted_;
      connections_.emplace_back([this, s = std::move(socket)]() mutable { serve(std::move(s)); });
    }
  }
  void serve(tcp::socket socket) {
    {
      std::lock_guard lock(mutex_);
      sockets_.push_back(&socket);
    }
    beast::flat_buffer buffer;
    boost::system::error_code ec;
    while (!stopping_) {
      http::request<http::string_body> request;
      http::read(socket, buffer, request, ec);
      if (ec) break;
      if (websocket::is_upgrade(request)) {
        websocket::stream<tcp::socket> ws(std::move(socket));
        {
          std::lock_guard lock(mutex_);
          sockets_.remove(&socket);
          sockets_.push_back(&ws.next_layer());
        }
        ws.accept(request, ec);
        if (!ec) ws_(ws, std::string(request.target()));
        std::lock_guard lock(mutex_);
        sockets_.remove(&ws.next_layer());
        return;
      }
      auto response = rest_(request);
      response.version(11);
      response.keep_alive(request.keep_alive());
      response.prepare_payload();
      http::write(socket, response, ec);
      if (ec || !request.keep_alive()) break;
    }
    std::lock_guard lock(mutex_);
    sockets_.remove(&socket);
  }

  RestHandler rest_;
  WsHandler ws_;
  boost::asio::io_context io_;
  tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> accepted_{0};
  std::mutex mutex_;
  std::list<tcp::socket*> sockets_;
  std::list<std::thread> connections_;
  std::thread accept_thread_;
};

inline http::response<http::string_body> json_response(int status, std::string body,
                                                       int used_weight = 1) {
  http::response<http::string_body> response{static_cast<http::status>(status), 11};
  response.set(http::field::content_type, "application/json");
  response.set("X-MBX-USED-WEIGHT-1M", std::to_string(used_weight));
  response.body() = std::move(body);
  return response;
}

}  // namespace cephalo::test
