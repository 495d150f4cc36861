// Secrets read from the environment, and the rules that decide which config keys hold secrets.
// Thread-safety: Secret is a plain value; the free functions are pure and thread-safe.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>

namespace cephalo {

// Holds a secret read from the environment. Deliberately awkward to print: no operator<< (a
// deleted one, so a stray `log << secret` fails to compile instead of picking a conversion) and
// no implicit conversion; the only way out is the explicit, greppable reveal().
class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  Secret(const Secret&) = default;
  Secret(Secret&&) noexcept = default;
  Secret& operator=(const Secret&) = default;
  Secret& operator=(Secret&&) noexcept = default;
  // Overwrites the bytes so a core dump or a reused heap block holds the secret for less time.
  ~Secret();

  const std::string& reveal() const { return value_; }
  bool empty() const { return value_.empty(); }

  friend std::ostream& operator<<(std::ostream&, const Secret&) = delete;

 private:
  std::string value_;
};

// The text shown wherever a secret value would otherwise appear.
inline constexpr std::string_view kRedacted = "***redacted***";

// Keys ending in "_env" hold the NAME of an environment variable that holds a secret.
bool is_env_reference_key(std::string_view key);

// Keys whose value is itself secret, judged by name: secret, password, passwd, token, api_key,
// apikey, private_key (any case, anywhere in the key). "*_env" keys are not: they hold a name.
bool is_secret_key(std::string_view key);

// What a "*_env" key may hold: an environment variable name in the upper case POSIX reserves for
// them, [A-Z_][A-Z0-9_]*, at most kMaxEnvNameChars long. Anything else is most likely the secret
// pasted in by mistake (an exchange key is 64 mixed-case letters and digits, which a shell would
// accept as a name), so it is refused and never echoed: not in problems, `config show`, logs or
// the stored config.
inline constexpr std::size_t kMaxEnvNameChars = 48;
bool is_valid_env_name(std::string_view name);

}  // namespace cephalo
