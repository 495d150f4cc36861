// A request's parameters: the query string plus a form body, as Binance reads them together.
// Thread-safety: plain values and pure functions.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace cephalo::exchange_sim {

std::string url_decode(std::string_view text);

struct QueryParams {
  // "totalParams" in Binance's words: the query string, then '&' and the body when both are
  // present. The signature is computed over this text with the signature pair itself removed.
  std::string total;
  std::map<std::string, std::string> values;  // decoded; a repeated key keeps its first value

  const std::string* find(const std::string& key) const {
    const auto found = values.find(key);
    return found == values.end() ? nullptr : &found->second;
  }
  std::string get(const std::string& key) const {
    const std::string* value = find(key);
    return value == nullptr ? std::string() : *value;
  }
};

QueryParams parse_params(std::string_view query, std::string_view form_body);
// total with "signature=..." taken out (and its joining '&'): the signed text.
std::string signed_text(const std::string& total);

}  // namespace cephalo::exchange_sim
