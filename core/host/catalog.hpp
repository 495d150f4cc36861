// TentacleCatalog: finds tentacle packages in the configured folders and reports on each one.
// Thread-safety: pure functions over the file system; call from one thread.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "host/manifest.hpp"
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
  std::string reason;  // why it was refused; empty when ok
};

// Package folders are <root>/<kind folder>/<name>/ with tentacle.yaml and the library; any
// tentacle.yaml or lib*.so up to three levels down is considered. A name found twice is refused the
// second time (earlier folders win: builtin, user, extra).
std::vector<CatalogEntry> scan_tentacle_folders(const TentacleFolders& folders);

// Loads the entry's library (manifest checks, handshake), then unloads it.
LoadReport verify_entry(const CatalogEntry& entry, const cephalo_host_api* host_api);

// The report for an entry whose library loaded, or failed to load, elsewhere.
LoadReport report_for(const CatalogEntry& entry, const TentacleLibrary* library,
                      const std::string& refusal);

// Default folders for a binary at `executable`: <exe>/../lib/cephalo/tentacles, and
// $CEPHALO_HOME/tentacles or ~/.cephalo/tentacles for the user.
TentacleFolders default_tentacle_folders(const std::filesystem::path& executable);

}  // namespace cephalo
