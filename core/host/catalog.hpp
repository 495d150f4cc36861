// TentacleCatalog: finds tentacle packages in the configured folders and reports on each one.
// Thread-safety: pure functions over the file system; call from one thread.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "host/crash_recorder.hpp"
#include "host/manifest.hpp"
#include "host/smoke_test.hpp"
#include "host/tentacle_library.hpp"

namespace cephalo {

struct TentacleFolders {
  std::filesystem::path builtin;             // shipped with cephalo: <prefix>/lib/cephalo/tentacles
  std::filesystem::path user;                // where `tentacles install` puts packages
  std::vector<std::filesystem::path> extra;  // from the config
};

// One package found on disk: its manifest, or why it could not be read.
struct CatalogEntry {
  std::filesystem::path manifest_file;
  std::filesystem::path library_file;  // known even when the manifest is missing or broken
  std::string origin;                  // "builtin", "user" or "extra"
  std::optional<TentacleManifest> manifest;
  std::string problem;  // empty when the manifest is valid
};

// What `tentacles list` shows and storage keeps for every tentacle the bot looked at.
struct LoadReport {
  std::string name;
  std::string kind;
  std::string version;
  std::string abi;
  std::string origin;
  std::filesystem::path file;
  bool ok = false;
  bool crashed = false;  // a bot died in its code (see the crash log); not ok either
  std::string reason;    // why it was refused or what the crash was; empty when ok

  const char* status() const { return crashed ? "crashed" : ok ? "ok" : "refused"; }
};

// Package folders are <root>/<kind folder>/<name>/ with tentacle.yaml and the library; any
// tentacle.yaml or lib*.so up to three levels down is considered. A name found twice is refused the
// second time (earlier folders win: builtin, user, extra).
std::vector<CatalogEntry> scan_tentacle_folders(const TentacleFolders& folders);

// How `tentacles list` checks packages without loading any of them into this process: manifest,
// file and checksum here; dlopen, the entry point and the descriptor in child processes of
// `cephalo_binary` (one for all of them unless one crashes or hangs); crashes from the crash log.
struct CatalogCheck {
  std::filesystem::path cephalo_binary;
  std::filesystem::path work_folder = default_smoke_folder();
  std::chrono::milliseconds time_limit{10'000};  // per package
  std::map<std::string, CrashRecord> crashes;    // by library SHA-256 (read_crash_log)
};
std::vector<LoadReport> check_entries(const std::vector<CatalogEntry>& entries,
                                      const CatalogCheck& check);

// The report for an entry whose library loaded, or failed to load, elsewhere.
LoadReport report_for(const CatalogEntry& entry, const TentacleLibrary* library,
                      const std::string& refusal);

// Default folders for a binary at `executable`: <exe>/../lib/cephalo/tentacles, and
// $CEPHALO_HOME/tentacles or ~/.cephalo/tentacles for the user.
TentacleFolders default_tentacle_folders(const std::filesystem::path& executable);

}  // namespace cephalo
