// Client order id generation and validation.
// Thread-safety: see client_order_id.hpp.
#include "orders/client_order_id.hpp"

namespace cephalo::orders {
namespace {

void append_base36(std::string& out, uint64_t value) {
  static constexpr char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  char digits[16];
  int n = 0;
  do {
    digits[n++] = kDigits[value % 36];
    value /= 36;
  } while (value != 0);
  while (n > 0) out.push_back(digits[--n]);
}

}  // namespace

std::string make_run_tag(int64_t start_ms, uint32_t random) {
  std::string tag;
  append_base36(tag, static_cast<uint64_t>(start_ms < 0 ? 0 : start_ms));
  tag.push_back('-');
  append_base36(tag, random);
  return tag;
}

bool is_valid_client_order_id(std::string_view id) {
  if (id.empty() || id.size() > 36) return false;
  for (char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == ':' || c == '/' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

ClientOrderIds::ClientOrderIds(const std::string& run_tag) {
  std::string clean;
  for (char c : run_tag) {
    if (is_valid_client_order_id(std::string_view(&c, 1))) clean.push_back(c);
  }
  if (clean.size() > 22) clean.resize(22);  // room for a 2-character kind suffix
  prefix_ = "cph-" + clean + "-";
}

std::string ClientOrderIds::next(std::string_view kind_suffix) {
  std::string id = prefix_;
  append_base36(id, ++sequence_);
  id += kind_suffix;
  return id;
}

std::string exit_reason_of_client_id(std::string_view id) {
  if (id.ends_with(kStopLossSuffix)) return "stop_loss";
  if (id.ends_with(kTrailingStopSuffix)) return "trailing_stop";
  return {};
}

}  // namespace cephalo::orders
