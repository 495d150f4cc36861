// A refusal as Binance sends it: an HTTP status plus {"code":-2010,"msg":"..."}.
// Thread-safety: a plain value.
#pragma once

#include <string>

namespace cephalo::exchange_sim {

struct ApiError {
  int http_status = 400;
  int code = 0;  // Binance's negative error code
  std::string msg;
};

}  // namespace cephalo::exchange_sim
