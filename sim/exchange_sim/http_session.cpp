// HTTP sessions over Boost.Beast: REST requests in, JSON replies out, upgrades handed over. The
// TLS variant differs only in its handshake at the start and its close_notify at the end.
#include "exchange_sim/http_session.hpp"

#include <boost/beast/websocket.hpp>
#include <chrono>
#include <type_traits>

#include "exchange_sim/rest_router.hpp"
#include "exchange_sim/ws_api.hpp"
#include "exchange_sim/ws_session.hpp"

namespace cephalo::exchange_sim {

namespace beast = boost::beast;
namespace http = beast::http;

namespace {
// A client that connects and sends nothing (or never finishes its TLS handshake) is dropped.
constexpr std::chrono::seconds kHandshakeTimeout{30};
}  // namespace

template <class Stream>
HttpSession<Stream>::HttpSession(Stream stream, SimVenue& venue)
    : stream_(std::move(stream)), venue_(venue) {}

template <class Stream>
void HttpSession<Stream>::start() {
  if constexpr (std::is_same_v<Stream, PlainStream>) {
    read_next();
  } else {
    beast::get_lowest_layer(stream_).expires_after(kHandshakeTimeout);
    stream_.async_handshake(boost::asio::ssl::stream_base::server,
                            [self = this->shared_from_this()](beast::error_code error) {
                              // A client that refuses our certificate ends here (it sends an
                              // alert); nothing else to do.
                              if (!error) self->read_next();
                            });
  }
}

template <class Stream>
void HttpSession<Stream>::read_next() {
  request_ = {};
  // An idle keep-alive connection is closed after a while so abandoned clients free their socket.
  beast::get_lowest_layer(stream_).expires_after(std::chrono::minutes(5));
  http::async_read(stream_, buffer_, request_,
                   [self = this->shared_from_this()](beast::error_code error, size_t) {
                     if (error) return;  // closed by the client, timeout, or a bad request
                     self->on_request();
                   });
}

template <class Stream>
void HttpSession<Stream>::on_request() {
  if (beast::websocket::is_upgrade(request_)) {
    upgrade();
    return;
  }
  const std::string target(request_.target());
  const size_t question = target.find('?');
  RestRequest rest;
  rest.method = std::string(request_.method_string());
  rest.path = target.substr(0, question);
  rest.query = question == std::string::npos ? "" : target.substr(question + 1);
  rest.body = request_.body();
  std::string api_key;
  if (const auto found = request_.find("X-MBX-APIKEY"); found != request_.end()) {
    api_key = std::string(found->value());
    rest.api_key = &api_key;
  }
  const RestReply reply = handle_rest(venue_, rest);
  http::response<http::string_body> response{static_cast<http::status>(reply.status),
                                             request_.version()};
  response.set(http::field::server, "cephalo-exchange-sim");
  response.set(http::field::content_type, "application/json;charset=UTF-8");
  for (const auto& [name, value] : reply.headers) response.set(name, value);
  response.keep_alive(request_.keep_alive());
  response.body() = reply.body;
  response.prepare_payload();
  write(std::move(response));
}

template <class Stream>
void HttpSession<Stream>::upgrade() {
  const std::string target(request_.target());
  const auto subscription = parse_stream_target(target);
  if (venue_.faults().reject_websockets || !subscription) {
    // The stream endpoint is down (or the path names no stream): refuse and hang up.
    http::response<http::string_body> response{
        subscription ? http::status::service_unavailable : http::status::bad_request,
        request_.version(), std::string()};
    response.keep_alive(false);
    response.body() = subscription ? "WebSocket streams unavailable" : "unknown stream path";
    response.prepare_payload();
    write(std::move(response));
    return;
  }
  beast::get_lowest_layer(stream_).expires_never();
  // The WebSocket takes over the connection (for TLS, with its session state).
  SimVenue& venue = venue_;
  auto session = std::make_shared<WsSession<Stream>>(
      std::move(stream_), *subscription, venue_.config().ws_idle_timeout_seconds,
      [&venue](WsApiSession& api_session, std::string_view request) {
        return handle_ws_api(venue, api_session, request);
      },
      venue_.now_ms());
  session->start(std::move(request_), venue_.hub());
}

template <class Stream>
void HttpSession<Stream>::write(http::response<http::string_body> response) {
  auto message = std::make_shared<http::response<http::string_body>>(std::move(response));
  http::async_write(stream_, *message,
                    [self = this->shared_from_this(), message](beast::error_code error, size_t) {
                      if (error || message->need_eof()) {
                        self->close();
                        return;
                      }
                      self->read_next();
                    });
}

template <class Stream>
void HttpSession<Stream>::close() {
  beast::error_code ignored;
  if constexpr (std::is_same_v<Stream, PlainStream>) {
    stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
  } else {
    // close_notify first, so the client can tell the end of the reply from a cut connection.
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
    stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {
      beast::error_code ignored_too;
      beast::get_lowest_layer(self->stream_).socket().close(ignored_too);
    });
  }
}

template class HttpSession<PlainStream>;
template class HttpSession<TlsStream>;

}  // namespace cephalo::exchange_sim
