// The smoke test: a tentacle build's risky first calls (dlopen and its static constructors, the
// entry point, create, load_state, the first events, save_state, destroy) rehearsed in a
// short-lived child process, `cephalo tentacles smoke`, before the build may run in this one. A
// segfault, an abort or an endless loop there refuses the build instead of killing the bot.
// Thread-safety: run_smoke_test and smoke_load_each may run on any thread, several at once (each
// child has its own files); they never load the library into this process.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "model/market.hpp"
#include "model/result.hpp"

namespace cephalo {

struct SmokePackage {
  std::filesystem::path manifest_file;  // the package's tentacle.yaml
  std::filesystem::path library;        // the exact file to load; empty: the manifest's library
  std::string sha256;  // what the manifest and the library must say; empty: the manifest's word
};

// A running instance's state, handed to the rehearsed build as a hot swap would hand it.
struct HandedState {
  uint32_t version = 0;  // the old build's state_version
  std::string bytes;
};

struct SmokeRequest {
  enum class Depth {
    kLoad,  // checks, dlopen, entry point and descriptor: what `tentacles list` shows
    kFull,  // and an instance: create, load_state, the first events, save_state, destroy
  };
  Depth depth = Depth::kFull;
  SmokePackage package;
  std::vector<ParamSetting> params;  // the config entry's parameters; empty: the defaults
  // kFull: the running instance's state; without it the build hands its own state from one
  // instance to a second one (save_state after the first half of the candles, load_state, the
  // second half), so save_state and load_state run either way.
  std::optional<HandedState> state;
  std::vector<Candle> candles;  // kFull: the first events, oldest first (the last ones the bot saw)
  std::chrono::milliseconds time_limit{5000};  // of the whole child; then it is killed
};

struct SmokeVerdict {
  bool passed = false;
  std::string stage;    // the last stage the child reached: check, load, create, load_state, ...
  std::string failure;  // why it failed: the error, the signal, the time limit; empty if passed
  double seconds = 0;   // the child's wall time
};

// Runs one rehearsal in a child of `cephalo_binary` (the cephalo executable, which has the hidden
// `tentacles smoke` subcommand), in a fresh private folder under `work_folder`.
SmokeVerdict run_smoke_test(const std::filesystem::path& cephalo_binary,
                            const std::filesystem::path& work_folder, const SmokeRequest& request);

// kLoad for many packages in as few children as possible: one child takes them in turn, and one
// that crashes or hangs on a package is replaced by a new child for the rest. `time_limit` is per
// package. One verdict per package, in order.
std::vector<SmokeVerdict> smoke_load_each(const std::filesystem::path& cephalo_binary,
                                          const std::filesystem::path& work_folder,
                                          const std::vector<SmokePackage>& packages,
                                          std::chrono::milliseconds time_limit);

// <temp>/cephalo-<uid>/smoke: where rehearsal folders go by default.
std::filesystem::path default_smoke_folder();

// ---- The child's side of the wire (the `tentacles smoke` subcommand) ---------------------------

// What the child reads from the request folder: the packages (several for kLoad) and the rest.
struct SmokeJob {
  SmokeRequest::Depth depth = SmokeRequest::Depth::kFull;
  std::vector<SmokePackage> packages;
  std::vector<ParamSetting> params;
  std::optional<HandedState> state;
  // Candles as text (symbol and timeframe by name): the child interns them in its own table.
  struct CandleRow {
    std::string symbol, timeframe;
    int64_t open_time_ns = 0;
    double open = 0, high = 0, low = 0, close = 0, volume = 0;
  };
  std::vector<CandleRow> candles;
};
Result<SmokeJob> read_smoke_job(const std::filesystem::path& request_folder);

// The lines the child writes on stdout, one write each, so a crash never cuts one in half:
// "stage <package index> <stage>" before each stage, "result <package index> <json>" after each
// package ({"ok": bool, "error": text}).
void write_smoke_stage(size_t package, const char* stage);
void write_smoke_result(size_t package, bool ok, const std::string& error);

}  // namespace cephalo
