// Installing and removing tentacle packages in the user folder, atomically, keeping the version
// an install replaced so it can be rolled back to (by hand, or by a bot whose new build crashed).
// Thread-safety: call from one thread; safe against a bot running from the same folder because
// files are never overwritten in place.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "host/catalog.hpp"
#include "host/smoke_test.hpp"

namespace cephalo {

struct InstalledPackage {
  TentacleManifest manifest;
  std::filesystem::path folder;  // where it now lives
  std::optional<TentacleManifest> previous;  // the version it replaced, now kept aside
};

// How a package's code is tried, never in this process: in a child of `cephalo_binary`.
struct PackageCheck {
  std::filesystem::path cephalo_binary;
  std::filesystem::path work_folder = default_smoke_folder();
  // Beyond the load check (dlopen, entry point, descriptor): an instance with the default
  // parameters, fed `candles`, its state saved and loaded into a second one, then destroyed.
  bool smoke = true;
  std::vector<Candle> candles;
  std::chrono::milliseconds time_limit{10'000};
};

// Finds the built package at `source` (a folder holding exactly one built tentacle.yaml, that
// manifest, or the library beside it) and checks it: the manifest, file and checksum here, its
// code (load, and the smoke test when asked) in a child process.
Result<TentacleManifest> verify_package(const std::filesystem::path& source,
                                        const PackageCheck& check);

// verify_package with the smoke test, then copies the package into <user>/<kind folder>/<name>/
// by write-then-rename. The version it replaces is kept as <kind folder>/.<name>.previous (the
// one kept before that goes). A failure changes nothing on disk.
Result<InstalledPackage> install_package(const std::filesystem::path& source,
                                         const TentacleFolders& folders, const PackageCheck& check);

// Removes a user-installed tentacle by name, with its kept previous version; built-ins cannot be
// removed.
Status remove_package(const std::string& name, const TentacleFolders& folders);

// Makes the kept previous version of a user-installed tentacle the installed one again; the one
// it replaces is kept as the previous version in turn (so a second rollback undoes the first).
// Returns the versions: {now installed, now kept}.
Result<std::pair<TentacleManifest, TentacleManifest>> rollback_package(
    const std::string& name, const TentacleFolders& folders);

// <folder of the package>/../.<name>.previous/tentacle.yaml: where install keeps the version it
// replaced, next to the installed package's folder.
std::filesystem::path previous_manifest_file(const std::filesystem::path& manifest_file,
                                             const std::string& name);

}  // namespace cephalo
