// One WebSocket connection of the simulator: the upgrade, the write queue, pings, and drops.
// Thread-safety: not thread-safe; lives on the simulator's single I/O thread.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <memory>
#include <string>

#include "exchange_sim/stream_hub.hpp"

namespace cephalo::exchange_sim {

class WsSession : public StreamSubscriber, public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(boost::asio::ip::tcp::socket socket, Subscription subscription,
            int64_t idle_timeout_seconds);

  // Completes the upgrade, then registers with the hub and reads (so pings and pongs flow).
  void start(boost::beast::http::request<boost::beast::http::string_body> upgrade, StreamHub& hub);

  void send_text(std::shared_ptr<const std::string> text) override;
  void drop() override;
  const Subscription& subscription() const override { return subscription_; }

 private:
  void read_next();
  void write_next();

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer read_buffer_;
  Subscription subscription_;
  std::deque<std::shared_ptr<const std::string>> outbox_;
  bool writing_ = false;
  bool open_ = false;
};

}  // namespace cephalo::exchange_sim
