// WebSocket sessions over Boost.Beast: accept, keep reading for control frames, queue writes.
#include "exchange_sim/ws_session.hpp"

#include <chrono>

namespace cephalo::exchange_sim {

namespace beast = boost::beast;
namespace websocket = beast::websocket;

// A subscriber that reads slower than the market moves would grow the queue without bound; past
// this many queued messages the connection is dropped, as Binance disconnects slow consumers.
constexpr size_t kMaxQueuedMessages = 100'000;

template <class Stream>
WsSession<Stream>::WsSession(Stream stream, Subscription subscription, int64_t idle_timeout_seconds,
                             ApiHandler api_handler, int64_t now_ms)
    : ws_(std::move(stream)),
      subscription_(std::move(subscription)),
      api_handler_(std::move(api_handler)) {
  api_session_.connected_since_ms = now_ms;
  websocket::stream_base::timeout timeout{};
  timeout.handshake_timeout = std::chrono::seconds(30);
  // Beast pings a client that has sent nothing for half the idle timeout and drops it when the
  // whole timeout passes without a frame (a pong counts), like Binance's ping/pong rule.
  timeout.idle_timeout = std::chrono::seconds(idle_timeout_seconds);
  timeout.keep_alive_pings = true;
  ws_.set_option(timeout);
}

template <class Stream>
void WsSession<Stream>::start(beast::http::request<beast::http::string_body> upgrade,
                              StreamHub& hub) {
  auto self = this->shared_from_this();
  ws_.async_accept(upgrade, [self, &hub](beast::error_code error) {
    if (error) return;
    self->open_ = true;
    hub.add(self);
    self->read_next();
    self->write_next();
  });
}

template <class Stream>
void WsSession<Stream>::read_next() {
  ws_.async_read(read_buffer_, [self = this->shared_from_this()](beast::error_code error, size_t) {
    if (error) {
      self->open_ = false;
      return;
    }
    // WebSocket API: every frame is a request, answered in order. Market stream connections'
    // client messages (SUBSCRIBE requests) are not part of the subset; they are ignored.
    if (self->subscription_.ws_api && self->api_handler_) {
      const auto data = self->read_buffer_.cdata();
      std::vector<std::string> replies = self->api_handler_(
          self->api_session_,
          std::string_view(static_cast<const char*>(data.data()), data.size()));
      for (std::string& reply : replies) {
        self->send_text(std::make_shared<const std::string>(std::move(reply)));
      }
    }
    self->read_buffer_.consume(self->read_buffer_.size());
    self->read_next();
  });
}

template <class Stream>
void WsSession<Stream>::send_text(std::shared_ptr<const std::string> text) {
  if (!open_) return;
  if (outbox_.size() >= kMaxQueuedMessages) {
    drop();
    return;
  }
  outbox_.push_back(std::move(text));
  write_next();
}

template <class Stream>
void WsSession<Stream>::write_next() {
  if (writing_ || !open_ || outbox_.empty()) return;
  writing_ = true;
  ws_.text(true);
  ws_.async_write(boost::asio::buffer(*outbox_.front()),
                  [self = this->shared_from_this()](beast::error_code error, size_t) {
                    self->writing_ = false;
                    if (error || !self->open_) {  // a drop may have come while writing
                      self->open_ = false;
                      return;
                    }
                    self->outbox_.pop_front();
                    self->write_next();
                  });
}

template <class Stream>
void WsSession<Stream>::drop() {
  open_ = false;
  // A write in flight still reads the front message; it stays until that write completes.
  while (outbox_.size() > (writing_ ? 1u : 0u)) outbox_.pop_back();
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both,
                                                 ignored);
  beast::get_lowest_layer(ws_).socket().close(ignored);
}

template class WsSession<beast::tcp_stream>;
template class WsSession<beast::ssl_stream<beast::tcp_stream>>;

}  // namespace cephalo::exchange_sim
