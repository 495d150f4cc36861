// Installing and removing tentacle packages in the user folder, atomically.
// Thread-safety: call from one thread; safe against a bot running from the same folder because
// files are never overwritten in place.
#pragma once

#include <filesystem>
#include <string>

#include "host/catalog.hpp"

namespace cephalo {

struct InstalledPackage {
  TentacleManifest manifest;
  std::filesystem::path folder;  // where it now lives
};

// Finds the built package at `source` (a folder holding exactly one built tentacle.yaml, that
// manifest, or the library beside it), verifies it completely (manifest, file, checksum,
// handshake, descriptor) and copies it into <user>/<kind folder>/<name>/ by write-then-rename.
// A failure changes nothing on disk.
Result<InstalledPackage> install_package(const std::filesystem::path& source,
                                         const TentacleFolders& folders,
                                         const cephalo_host_api* host_api);

// Finds and fully verifies a package without installing it (`tentacles verify`).
Result<TentacleManifest> verify_package(const std::filesystem::path& source,
                                        const cephalo_host_api* host_api);

// Removes a user-installed tentacle by name; built-ins cannot be removed.
Status remove_package(const std::string& name, const TentacleFolders& folders);

}  // namespace cephalo
