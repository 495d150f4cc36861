// HTTP/1.1 requests to one venue base URL: plain TCP for http://, TLS with certificate and host
// name verification for https://; one kept-alive connection, a timeout on every step.
// Thread-safety: send() may be called from any thread; requests are serialised (one at a time).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/result.hpp"

namespace cephalo::exchange {

struct HttpRequest {
  std::string method;  // GET, POST, PUT, DELETE
  std::string target;  // path and query, e.g. "/api/v3/order?symbol=..."
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  std::string body;
  int64_t used_weight_1m = -1;  // X-MBX-USED-WEIGHT-1M, -1 when absent
  int64_t retry_after_s = -1;   // Retry-After, -1 when absent
  int64_t order_count_10s = -1;  // X-MBX-ORDER-COUNT-10S (successful order answers), -1 absent
  int64_t order_count_1d = -1;   // X-MBX-ORDER-COUNT-1D
};

// A response, or why there is none. `maybe_delivered` is true once any byte of the request may
// have reached the venue: for an order placement that means the order may exist.
struct HttpOutcome {
  std::optional<HttpResponse> response;
  std::string error;
  bool maybe_delivered = false;
};

// The seam the connector talks through; tests inject their own.
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  virtual HttpOutcome send(const HttpRequest& request) = 0;
};

struct BaseUrl {
  bool tls = false;
  std::string host;
  std::string port;    // "80"/"443" when not given
  std::string prefix;  // path before /api, usually empty
};
// "http://127.0.0.1:8080", "https://api.binance.com"; anything else is refused with the reason.
Result<BaseUrl> parse_base_url(std::string_view url);

struct HttpOptions {
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds request_timeout{5000};  // write + read of one exchange
  std::string user_agent = "cephalo";
  // PEM CA bundle trusted for https instead of the system store (a self-hosted venue, the test
  // simulator); empty: the system store. Peer and host name verification are always on.
  std::string ca_file;
};

class BeastHttpTransport final : public HttpTransport {
 public:
  static Result<std::unique_ptr<BeastHttpTransport>> open(std::string_view base_url,
                                                          HttpOptions options = {});
  ~BeastHttpTransport() override;
  HttpOutcome send(const HttpRequest& request) override;

 private:
  struct Impl;
  explicit BeastHttpTransport(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cephalo::exchange
