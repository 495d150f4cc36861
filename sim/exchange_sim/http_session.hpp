// One HTTP/1.1 connection of the simulator, plain (http://) or TLS (https://): reads requests,
// answers REST, hands upgrades to WebSocket sessions (ws:// or wss:// on the same connection).
// Thread-safety: not thread-safe; lives on the simulator's single I/O thread.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <memory>

#include "exchange_sim/sim_venue.hpp"

namespace cephalo::exchange_sim {

using PlainStream = boost::beast::tcp_stream;
using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

// Stream: PlainStream or TlsStream (the only two instantiations, in http_session.cpp).
template <class Stream>
class HttpSession : public std::enable_shared_from_this<HttpSession<Stream>> {
 public:
  // `stream`: an accepted connection; for TLS, the server handshake runs first, in start().
  HttpSession(Stream stream, SimVenue& venue);
  void start();

 private:
  void read_next();
  void on_request();
  void upgrade();
  void write(boost::beast::http::response<boost::beast::http::string_body> response);
  void close();

  Stream stream_;
  boost::beast::flat_buffer buffer_;
  boost::beast::http::request<boost::beast::http::string_body> request_;
  SimVenue& venue_;
};

extern template class HttpSession<PlainStream>;
extern template class HttpSession<TlsStream>;

}  // namespace cephalo::exchange_sim
