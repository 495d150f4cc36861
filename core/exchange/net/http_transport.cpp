// Boost.Beast client: async operations on a private io_context, run to completion per request,
// so every step has a deadline (synchronous Beast calls have none).
// Thread-safety: see http_transport.hpp.
#include "exchange/net/http_transport.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <charconv>
#include <mutex>

#include "exchange/net/tls_client.hpp"

namespace cephalo::exchange {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

int64_t header_int(const http::response<http::string_body>& response, std::string_view name) {
  auto found = response.find(beast::string_view(name.data(), name.size()));
  if (found == response.end()) return -1;
  const auto value = found->value();
  int64_t parsed = -1;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
  if (ec != std::errc() || end != value.data() + value.size() || parsed < 0) return -1;
  return parsed;
}

}  // namespace

Result<BaseUrl> parse_base_url(std::string_view url) {
  BaseUrl base;
  std::string_view rest;
  if (url.substr(0, 7) == "http://") {
    rest = url.substr(7);
    base.port = "80";
  } else if (url.substr(0, 8) == "https://") {
    rest = url.substr(8);
    base.tls = true;
    base.port = "443";
  } else {
    return Error{"base URL \"" + std::string(url) +
                 "\": expected http://HOST[:PORT] or https://HOST[:PORT]"};
  }
  const size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) base.prefix = std::string(rest.substr(slash));
  while (!base.prefix.empty() && base.prefix.back() == '/') base.prefix.pop_back();
  const size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos) {
    base.port = std::string(authority.substr(colon + 1));
    authority = authority.substr(0, colon);
    if (base.port.empty() || base.port.find_first_not_of("0123456789") != std::string::npos) {
      return Error{"base URL \"" + std::string(url) + "\": the port is not a number"};
    }
  }
  if (authority.empty()) return Error{"base URL \"" + std::string(url) + "\": no host"};
  base.host = std::string(authority);
  return base;
}

struct BeastHttpTransport::Impl {
  BaseUrl base;
  HttpOptions options;
  std::mutex mutex;
  asio::io_context io;
  asio::ssl::context tls_context{asio::ssl::context::tls_client};
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buffer;

  beast::tcp_stream& lowest() { return base.tls ? beast::get_lowest_layer(*secure) : *plain; }
  bool connected() const { return base.tls ? secure != nullptr : plain != nullptr; }
  void drop() {
    plain.reset();
    secure.reset();
    buffer.clear();
  }

  // Runs the queued async work until it completes (each step carries its own deadline).
  void run() {
    io.restart();
    io.run();
  }

  std::string connect() {
    drop();
    beast::error_code ec;
    tcp::resolver resolver(io);
    tcp::resolver::results_type endpoints;
    resolver.async_resolve(base.host, base.port,
                           [&](beast::error_code e, tcp::resolver::results_type r) {
                             ec = e;
                             endpoints = std::move(r);
                           });
    run();
    if (ec) return "cannot resolve " + base.host + ": " + ec.message();
    if (base.tls) {
      secure = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(io, tls_context);
      // Host name (or IP address) verification and SNI: a valid certificate for another name is
      // refused.
      if (Status prepared = prepare_tls_connection(secure->native_handle(), base.host); !prepared) {
        drop();
        return prepared.error();
      }
    } else {
      plain = std::make_unique<beast::tcp_stream>(io);
    }
    lowest().expires_after(options.connect_timeout);
    lowest().async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
    run();
    if (ec) {
      drop();
      return "cannot connect to " + base.host + ":" + base.port + ": " + ec.message();
    }
    if (base.tls) {
      lowest().expires_after(options.connect_timeout);
      secure->async_handshake(asio::ssl::stream_base::client, [&](beast::error_code e) { ec = e; });
      run();
      if (ec) {
        std::string why =
            describe_tls_failure(secure->native_handle(), ec, base.host, options.ca_file);
        drop();
        return why;
      }
    }
    return {};
  }

  template <class Stream>
  void exchange(Stream& stream, http::request<http::string_body>& request,
                http::response<http::string_body>& response, beast::error_code& write_ec,
                beast::error_code& read_ec, bool& wrote_any) {
    lowest().expires_after(options.request_timeout);
    http::async_write(stream, request, [&](beast::error_code e, std::size_t bytes) {
      write_ec = e;
      wrote_any = bytes > 0 || !e;
      if (e) return;
      http::async_read(stream, buffer, response,
                       [&](beast::error_code e2, std::size_t) { read_ec = e2; });
    });
    run();
  }
};

Result<std::unique_ptr<BeastHttpTransport>> BeastHttpTransport::open(std::string_view base_url,
                                                                     HttpOptions options) {
  auto base = parse_base_url(base_url);
  if (!base) return base.status();
  auto impl = std::make_unique<Impl>();
  impl->base = std::move(base).value();
  impl->options = std::move(options);
  if (impl->base.tls) {
    if (Status configured = configure_tls_client(impl->tls_context, impl->options.ca_file);
        !configured) {
      return configured;
    }
  }
  return std::unique_ptr<BeastHttpTransport>(new BeastHttpTransport(std::move(impl)));
}

BeastHttpTransport::BeastHttpTransport(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
BeastHttpTransport::~BeastHttpTransport() = default;

HttpOutcome BeastHttpTransport::send(const HttpRequest& request) {
  std::lock_guard lock(impl_->mutex);
  Impl& impl = *impl_;
  HttpOutcome outcome;

  http::request<http::string_body> message;
  message.method(http::string_to_verb(request.method));
  message.target(impl.base.prefix + request.target);
  message.version(11);
  message.set(http::field::host, impl.base.host);
  message.set(http::field::user_agent, impl.options.user_agent);
  message.keep_alive(true);
  for (const auto& [name, value] : request.headers) message.set(name, value);
  message.body() = request.body;
  message.prepare_payload();

  // A kept-alive connection the venue has closed fails on first use; only a request that cannot
  // have been delivered (nothing was written) is worth one more try on a fresh connection.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = impl.connected();
    if (!reused) {
      std::string error = impl.connect();
      if (!error.empty()) {
        outcome.error = std::move(error);
        return outcome;
      }
    }
    http::response<http::string_body> response;
    beast::error_code write_ec;
    beast::error_code read_ec;
    bool wrote_any = false;
    if (impl.base.tls) {
      impl.exchange(*impl.secure, message, response, write_ec, read_ec, wrote_any);
    } else {
      impl.exchange(*impl.plain, message, response, write_ec, read_ec, wrote_any);
    }
    if (!write_ec && !read_ec) {
      outcome.response = HttpResponse{};
      outcome.response->status = static_cast<int>(response.result_int());
      outcome.response->body = std::move(response.body());
      outcome.response->used_weight_1m = header_int(response, "X-MBX-USED-WEIGHT-1M");
      outcome.response->retry_after_s = header_int(response, "Retry-After");
      outcome.response->order_count_10s = header_int(response, "X-MBX-ORDER-COUNT-10S");
      outcome.response->order_count_1d = header_int(response, "X-MBX-ORDER-COUNT-1D");
      outcome.maybe_delivered = true;
      if (!response.keep_alive()) impl.drop();
      return outcome;
    }
    impl.drop();
    // Reads (and cancels, which the venue answers -2011 when repeated) are safe to repeat once
    // on a fresh connection; a placement that may have been delivered is never repeated.
    const bool repeatable = request.method != "POST" || (write_ec && !wrote_any);
    if (reused && repeatable && read_ec != beast::error::timeout) continue;
    outcome.maybe_delivered = wrote_any;
    const beast::error_code& ec = write_ec ? write_ec : read_ec;
    outcome.error = (ec == beast::error::timeout ? std::string("timed out")
                                                 : "connection failed: " + ec.message()) +
                    " during " + request.method + " " +
                    request.target.substr(0, request.target.find('?'));
    // A reused connection that the venue closed right as we read: the request may or may not
    // have been processed (an order may exist); say so rather than guess.
    return outcome;
  }
  outcome.error = "connection to " + impl.base.host + " closed twice in a row";
  return outcome;
}

}  // namespace cephalo::exchange
