// One WebSocket connection of the simulator, plain (ws://) or TLS (wss://): the upgrade, the
// write queue, pings, and drops.
// Thread-safety: not thread-safe; lives on the simulator's single I/O thread.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <deque>
#include <functional>
#include <string_view>
#include <vector>
#include <memory>
#include <string>

#include "exchange_sim/stream_hub.hpp"

namespace cephalo::exchange_sim {

// Stream: boost::beast::tcp_stream or ssl_stream<tcp_stream> (the HTTP session's connection,
// moved in after its upgrade request was read; instantiated for both in ws_session.cpp).
template <class Stream>
class WsSession : public StreamSubscriber, public std::enable_shared_from_this<WsSession<Stream>> {
 public:
  // Answers one WebSocket API request frame with the frames to send back, in order (ws_api.hpp).
  using ApiHandler =
      std::function<std::vector<std::string>(WsApiSession& session, std::string_view request)>;

  WsSession(Stream stream, Subscription subscription, int64_t idle_timeout_seconds,
            ApiHandler api_handler, int64_t now_ms);

  // Completes the upgrade, then registers with the hub and reads (so pings and pongs flow).
  void start(boost::beast::http::request<boost::beast::http::string_body> upgrade, StreamHub& hub);

  void send_text(std::shared_ptr<const std::string> text) override;
  void drop() override;
  const Subscription& subscription() const override { return subscription_; }
  WsApiSession* ws_api_session() override { return subscription_.ws_api ? &api_session_ : nullptr; }

 private:
  void read_next();
  void write_next();

  boost::beast::websocket::stream<Stream> ws_;
  boost::beast::flat_buffer read_buffer_;
  Subscription subscription_;
  ApiHandler api_handler_;
  WsApiSession api_session_;
  std::deque<std::shared_ptr<const std::string>> outbox_;
  bool writing_ = false;
  bool open_ = false;
};

extern template class WsSession<boost::beast::tcp_stream>;
extern template class WsSession<boost::beast::ssl_stream<boost::beast::tcp_stream>>;

}  // namespace cephalo::exchange_sim
