// One HTTP/1.1 connection of the simulator: reads requests, answers REST, hands upgrades to
// WebSocket sessions.
// Thread-safety: not thread-safe; lives on the simulator's single I/O thread.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>

#include "exchange_sim/sim_venue.hpp"

namespace cephalo::exchange_sim {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket socket, SimVenue& venue);
  void start() { read_next(); }

 private:
  void read_next();
  void on_request();
  void upgrade();
  void write(boost::beast::http::response<boost::beast::http::string_body> response);

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  boost::beast::http::request<boost::beast::http::string_body> request_;
  SimVenue& venue_;
};

}  // namespace cephalo::exchange_sim
