// HTTP sessions over Boost.Beast: REST requests in, JSON replies out, upgrades handed over.
#include "exchange_sim/http_session.hpp"

#include <boost/beast/websocket.hpp>
#include <chrono>

#include "exchange_sim/rest_router.hpp"
#include "exchange_sim/ws_session.hpp"

namespace cephalo::exchange_sim {

namespace beast = boost::beast;
namespace http = beast::http;

HttpSession::HttpSession(boost::asio::ip::tcp::socket socket, SimVenue& venue)
    : stream_(std::move(socket)), venue_(venue) {}

void HttpSession::read_next() {
  request_ = {};
  // An idle keep-alive connection is closed after a while so abandoned clients free their socket.
  stream_.expires_after(std::chrono::minutes(5));
  http::async_read(stream_, buffer_, request_,
                   [self = shared_from_this()](beast::error_code error, size_t) {
                     if (error) return;  // closed by the client, timeout, or a bad request
                     self->on_request();
                   });
}

void HttpSession::on_request() {
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

void HttpSession::upgrade() {
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
  stream_.expires_never();
  auto session = std::make_shared<WsSession>(stream_.release_socket(), *subscription,
                                             venue_.config().ws_idle_timeout_seconds);
  session->start(std::move(request_), venue_.hub());
}

void HttpSession::write(http::response<http::string_body> response) {
  auto message = std::make_shared<http::response<http::string_body>>(std::move(response));
  http::async_write(
      stream_, *message, [self = shared_from_this(), message](beast::error_code error, size_t) {
        if (error || message->need_eof()) {
          beast::error_code ignored;
          self->stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
          return;
        }
        self->read_next();
      });
}

}  // namespace cephalo::exchange_sim
