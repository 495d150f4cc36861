#include "config/secret.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace cephalo {

Secret::~Secret() {
  // volatile so the compiler cannot drop the stores to memory that is about to be freed.
  volatile char* bytes = value_.data();
  for (std::size_t i = 0; i < value_.size(); ++i) bytes[i] = '\0';
}

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

bool is_env_reference_key(std::string_view key) {
  return ends_with(lower(key), "_env");
}

bool is_secret_key(std::string_view key) {
  if (is_env_reference_key(key)) return false;
  static constexpr std::array<std::string_view, 7> kMarkers = {
      "secret", "password", "passwd", "token", "api_key", "apikey", "private_key"};
  const std::string name = lower(key);
  return std::any_of(kMarkers.begin(), kMarkers.end(), [&](std::string_view marker) {
    return name.find(marker) != std::string::npos;
  });
}

bool is_valid_env_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxEnvNameChars) return false;
  const auto upper = [](char c) { return (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!upper(name.front())) return false;
  return std::all_of(name.begin(), name.end(),
                     [&](char c) { return upper(c) || (c >= '0' && c <= '9'); });
}

}  // namespace cephalo
