// Parsing query strings and form bodies.
#include "exchange_sim/query_params.hpp"

#include <vector>

namespace cephalo::exchange_sim {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::vector<std::string_view> split_pairs(std::string_view text) {
  std::vector<std::string_view> pairs;
  size_t begin = 0;
  while (begin <= text.size()) {
    size_t end = text.find('&', begin);
    if (end == std::string_view::npos) end = text.size();
    if (end > begin) pairs.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return pairs;
}

}  // namespace

std::string url_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

QueryParams parse_params(std::string_view query, std::string_view form_body) {
  QueryParams params;
  params.total = std::string(query);
  if (!form_body.empty()) {
    if (!params.total.empty()) params.total += '&';
    params.total += form_body;
  }
  for (const std::string_view pair : split_pairs(params.total)) {
    const size_t equals = pair.find('=');
    const std::string_view key = pair.substr(0, equals);
    const std::string_view value =
        equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1);
    // Binance: a parameter sent in both the query string and the body takes the query's value.
    params.values.emplace(url_decode(key), url_decode(value));
  }
  return params;
}

std::string signed_text(const std::string& total) {
  // Byte for byte what the client signed: only the signature pair (and one joining '&') goes.
  std::string out;
  size_t begin = 0;
  bool first = true;
  while (begin <= total.size()) {
    size_t end = total.find('&', begin);
    if (end == std::string::npos) end = total.size();
    const std::string_view pair = std::string_view(total).substr(begin, end - begin);
    if (!pair.starts_with("signature=")) {
      if (!first) out += '&';
      out += pair;
      first = false;
    }
    begin = end + 1;
  }
  return out;
}

}  // namespace cephalo::exchange_sim
