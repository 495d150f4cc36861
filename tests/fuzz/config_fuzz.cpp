// Fuzz target: the YAML config loader with --set overrides (core/config), through load_config_text
// and render_redacted, the path every `cephalo` command takes. Input: the config file's text, then
// optionally a line "#--set" followed by one override argument per line.
// Thread-safety: libFuzzer calls it from one thread.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "fuzz_check.hpp"

namespace {

// The value of the variable the seeds' *_env keys name: it must never reach a problem or the
// rendered config, whatever the input does.
constexpr std::string_view kSecretValue = "fuzz-secret-value-4f9d";

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  ::setenv("CEPHALO_FUZZ_SECRET", std::string(kSecretValue).c_str(), 1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  constexpr std::string_view kMarker = "\n#--set\n";
  const size_t marker = input.find(kMarker);
  const std::string text(input.substr(0, marker));
  std::vector<std::string> overrides;
  if (marker != std::string_view::npos) {
    std::string_view rest = input.substr(marker + kMarker.size());
    while (!rest.empty()) {
      const size_t end = rest.find('\n');
      overrides.emplace_back(rest.substr(0, end));
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    }
  }
  const cephalo::ConfigLoadResult result = cephalo::load_config_text(text, "fuzz.yaml", overrides);
  FUZZ_CHECK(result.ok() == result.problems.empty());
  FUZZ_CHECK(result.problems.size() <= 101);  // the listed cap plus its summary
  const std::string shown = cephalo::render_redacted(result);
  // Text the input holds itself is the user's to see again (libFuzzer learns the value from the
  // comparisons below and writes it into a config): only the environment's copy must not leak.
  if (input.find(kSecretValue) != std::string_view::npos) return 0;
  FUZZ_CHECK(shown.find(kSecretValue) == std::string::npos);
  for (const auto& problem : result.problems) {
    FUZZ_CHECK(problem.to_string().find(kSecretValue) == std::string::npos);
  }
  return 0;
}
