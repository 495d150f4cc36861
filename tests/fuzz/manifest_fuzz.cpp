// Fuzz target: the tentacle.yaml manifest parser (core/host/manifest), through parse_manifest, the
// function read_manifest and so `tentacles list`, `install` and every bot start use.
// Thread-safety: libFuzzer calls it from one thread.
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "host/manifest.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto manifest = cephalo::parse_manifest(text, "/fuzz/evaluators/x/tentacle.yaml");
  if (!manifest.ok()) {
    FUZZ_CHECK(!manifest.error().empty());
    return 0;
  }
  // What the loader relies on once a manifest is accepted.
  FUZZ_CHECK(!manifest->name.empty() && manifest->name.size() <= 64);
  FUZZ_CHECK(manifest->library.find('/') == std::string::npos);
  FUZZ_CHECK(manifest->sha256.size() == 64);
  for (const auto& parameter : manifest->parameters) {
    FUZZ_CHECK(manifest->parameter(parameter.name) != nullptr);
  }
  return 0;
}
