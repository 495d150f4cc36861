// Package location, verification and the temp-folder-then-rename install.
// Thread-safety: see installer.hpp.
#include "host/installer.hpp"

#include <unistd.h>

#include <vector>

namespace cephalo {

namespace fs = std::filesystem;

namespace {

// A built manifest carries library and sha256 lines; a source manifest (in a project folder) does
// not, so a project folder with both resolves to the built one.
bool is_built_manifest(const fs::path& file) {
  auto manifest = read_manifest(file);
  return manifest.ok();
}

Result<fs::path> locate_manifest(const fs::path& source) {
  std::error_code ec;
  if (!fs::exists(source, ec)) return Error{source.string() + ": no such file or folder"};
  if (fs::is_regular_file(source, ec)) {
    if (source.filename() == "tentacle.yaml") return source;
    const fs::path beside = source.parent_path() / "tentacle.yaml";
    if (!fs::exists(beside, ec)) {
      return Error{source.string() +
                   ": manifest missing: no tentacle.yaml beside the library (a "
                   "tentacle package is its library plus its manifest)"};
    }
    return beside;
  }
  std::vector<fs::path> candidates;
  std::vector<fs::path> built;
  for (auto it = fs::recursive_directory_iterator(source, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory() && it->path().filename() == "CMakeFiles") {
      it.disable_recursion_pending();
      continue;
    }
    if (it->path().filename() != "tentacle.yaml") continue;
    candidates.push_back(it->path());
    if (is_built_manifest(it->path())) built.push_back(it->path());
  }
  if (candidates.empty()) return Error{source.string() + ": no tentacle.yaml found in the folder"};
  if (built.size() == 1) return built.front();
  if (built.empty() && candidates.size() == 1) return candidates.front();  // reports its problems
  if (built.empty()) {
    return Error{source.string() + ": found " + std::to_string(candidates.size()) +
                 " manifests but none is a built package (with library and sha256); build the "
                 "tentacle first"};
  }
  return Error{source.string() + ": found " + std::to_string(built.size()) +
               " built packages; name one of them (its tentacle.yaml) explicitly"};
}

}  // namespace

Result<TentacleManifest> verify_package(const fs::path& source, const cephalo_host_api* host_api) {
  auto manifest_file = locate_manifest(source);
  if (!manifest_file.ok()) return Error{manifest_file.error()};
  auto manifest = read_manifest(manifest_file.value());
  if (!manifest.ok()) return Error{"manifest invalid: " + manifest.error()};
  auto library = TentacleLibrary::load(manifest.value(), host_api);
  if (!library.ok()) return Error{library.error()};
  return manifest.value();
}

Result<InstalledPackage> install_package(const fs::path& source, const TentacleFolders& folders,
                                         const cephalo_host_api* host_api) {
  if (folders.user.empty()) {
    return Error{"no user tentacle folder (set HOME or CEPHALO_HOME)"};
  }
  auto verified = verify_package(source, host_api);
  if (!verified.ok()) return Error{"refused to install: " + verified.error()};
  const TentacleManifest& manifest = verified.value();

  TentacleFolders builtin_only;
  builtin_only.builtin = folders.builtin;
  for (const auto& entry : scan_tentacle_folders(builtin_only)) {
    if (entry.manifest && entry.manifest->name == manifest.name) {
      return Error{"refused to install: a built-in tentacle is already named '" + manifest.name +
                   "' (" + entry.manifest_file.string() + "); choose another name"};
    }
  }

  const fs::path kind_dir = folders.user / kind_folder(manifest.kind);
  const fs::path target = kind_dir / manifest.name;
  const std::string suffix = std::to_string(::getpid());
  const fs::path staging = kind_dir / ("." + manifest.name + ".installing-" + suffix);
  const fs::path retired = kind_dir / ("." + manifest.name + ".replaced-" + suffix);
  std::error_code ec;
  fs::create_directories(kind_dir, ec);
  if (ec) return Error{"cannot create " + kind_dir.string() + ": " + ec.message()};
  fs::remove_all(staging, ec);
  fs::create_directories(staging, ec);
  auto fail = [&](const std::string& what) -> Result<InstalledPackage> {
    std::error_code ignored;
    fs::remove_all(staging, ignored);
    return Error{what};
  };
  fs::copy_file(manifest.library_path(), staging / manifest.library, ec);
  if (ec) return fail("cannot copy " + manifest.library_path().string() + ": " + ec.message());
  fs::copy_file(manifest.file, staging / "tentacle.yaml", ec);
  if (ec) return fail("cannot copy " + manifest.file.string() + ": " + ec.message());

  // Re-verify the staged copy: what lands in the folder is exactly what was checked.
  auto staged = read_manifest(staging / "tentacle.yaml");
  if (!staged.ok()) return fail("staged manifest invalid: " + staged.error());
  if (auto checked = check_before_load(staged.value()); !checked.ok()) {
    return fail("staged copy failed its check: " + checked.error());
  }

  // A running bot may have the old library mapped: renaming keeps its inode alive for it.
  const bool replacing = fs::exists(target, ec);
  if (replacing) {
    fs::rename(target, retired, ec);
    if (ec) return fail("cannot move the installed version aside: " + ec.message());
  }
  fs::rename(staging, target, ec);
  if (ec) {
    std::error_code ignored;
    if (replacing) fs::rename(retired, target, ignored);
    return fail("cannot move the new version into place: " + ec.message());
  }
  if (replacing) fs::remove_all(retired, ec);

  InstalledPackage installed{manifest, target};
  installed.manifest.file = target / "tentacle.yaml";
  return installed;
}

Status remove_package(const std::string& name, const TentacleFolders& folders) {
  TentacleFolders user_only;
  user_only.user = folders.user;
  for (const auto& entry : scan_tentacle_folders(user_only)) {
    const bool matches = entry.manifest ? entry.manifest->name == name
                                        : entry.manifest_file.parent_path().filename() == name;
    if (!matches) continue;
    const fs::path folder = entry.manifest_file.parent_path();
    const fs::path retired =
        folder.parent_path() / ("." + name + ".removing-" + std::to_string(::getpid()));
    std::error_code ec;
    fs::rename(folder, retired, ec);
    if (ec) return Error{"cannot remove " + folder.string() + ": " + ec.message()};
    fs::remove_all(retired, ec);
    fs::remove(folder.parent_path(), ec);  // the kind folder, only if nothing else is in it
    return Ok{};
  }
  TentacleFolders builtin_only;
  builtin_only.builtin = folders.builtin;
  for (const auto& entry : scan_tentacle_folders(builtin_only)) {
    if (entry.manifest && entry.manifest->name == name) {
      return Error{"'" + name +
                   "' is a built-in tentacle and cannot be removed (leave it out of "
                   "the config's pipeline instead)"};
    }
  }
  return Error{"no user-installed tentacle named '" + name + "' in " + folders.user.string()};
}

}  // namespace cephalo
