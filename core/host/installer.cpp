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

// The package's code, run in a child process on exactly the files given: the load check, or the
// whole smoke test.
Status try_in_child(const TentacleManifest& manifest, const PackageCheck& check) {
  SmokeRequest request;
  request.depth = check.smoke ? SmokeRequest::Depth::kFull : SmokeRequest::Depth::kLoad;
  request.package = SmokePackage{manifest.file, manifest.library_path(), manifest.sha256};
  request.candles = check.candles;
  request.time_limit = check.time_limit;
  const SmokeVerdict verdict = run_smoke_test(check.cephalo_binary, check.work_folder, request);
  if (verdict.passed) return Ok{};
  // The child's own errors start with the same name; it is said once.
  const std::string who = describe_tentacle(manifest) + ": ";
  const std::string failure =
      verdict.failure.rfind(who, 0) == 0 ? verdict.failure.substr(who.size()) : verdict.failure;
  return Error{who + (check.smoke ? "failed the smoke test" : "failed the load check") +
               " (run in a child process): " + failure};
}

}  // namespace

Result<TentacleManifest> verify_package(const fs::path& source, const PackageCheck& check) {
  auto manifest_file = locate_manifest(source);
  if (!manifest_file.ok()) return Error{manifest_file.error()};
  auto manifest = read_manifest(manifest_file.value());
  if (!manifest.ok()) return Error{"manifest invalid: " + manifest.error()};
  // Nothing of the package runs in this process: the file checks here, its code in a child.
  if (auto checked = check_before_load(manifest.value()); !checked.ok()) {
    return Error{checked.error()};
  }
  if (auto tried = try_in_child(manifest.value(), check); !tried.ok()) return Error{tried.error()};
  return manifest.value();
}

fs::path previous_manifest_file(const fs::path& manifest_file, const std::string& name) {
  return manifest_file.parent_path().parent_path() / ("." + name + ".previous") / "tentacle.yaml";
}

Result<InstalledPackage> install_package(const fs::path& source, const TentacleFolders& folders,
                                         const PackageCheck& check) {
  if (folders.user.empty()) {
    return Error{"no user tentacle folder (set HOME or CEPHALO_HOME)"};
  }
  auto manifest_file = locate_manifest(source);
  if (!manifest_file.ok()) return Error{"refused to install: " + manifest_file.error()};
  auto read = read_manifest(manifest_file.value());
  if (!read.ok()) return Error{"refused to install: manifest invalid: " + read.error()};
  const TentacleManifest& manifest = read.value();
  if (auto checked = check_before_load(manifest); !checked.ok()) {
    return Error{"refused to install: " + checked.error()};
  }

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
  const fs::path previous = kind_dir / ("." + manifest.name + ".previous");
  const fs::path discarded = kind_dir / ("." + manifest.name + ".discarded-" + suffix);
  std::error_code ec;
  fs::create_directories(kind_dir, ec);
  if (ec) return Error{"cannot create " + kind_dir.string() + ": " + ec.message()};
  fs::remove_all(staging, ec);
  fs::create_directories(staging, ec);
  auto fail = [&](const std::string& what) -> Result<InstalledPackage> {
    std::error_code ignored;
    fs::remove_all(staging, ignored);
    fs::remove(kind_dir, ignored);  // only when empty: a refused first install leaves nothing
    return Error{what};
  };
  fs::copy_file(manifest.library_path(), staging / manifest.library, ec);
  if (ec) return fail("cannot copy " + manifest.library_path().string() + ": " + ec.message());
  fs::copy_file(manifest.file, staging / "tentacle.yaml", ec);
  if (ec) return fail("cannot copy " + manifest.file.string() + ": " + ec.message());

  // The staged copy is what is checked and smoke-tested: what lands in the folder is exactly what
  // was tried, and a build that fails never replaces the installed one.
  auto staged = read_manifest(staging / "tentacle.yaml");
  if (!staged.ok()) return fail("staged manifest invalid: " + staged.error());
  if (staged->sha256 != manifest.sha256) {
    return fail("refused to install: " + manifest.file.string() + " changed while installing");
  }
  if (auto checked = check_before_load(staged.value()); !checked.ok()) {
    return fail("refused to install: staged copy failed its check: " + checked.error());
  }
  PackageCheck smoke = check;
  smoke.smoke = true;
  if (auto tried = try_in_child(staged.value(), smoke); !tried.ok()) {
    return fail("refused to install: " + tried.error() +
                "; the installed version (if any) is left in place");
  }

  // The installed version becomes the kept previous one (a running bot may have it mapped:
  // renaming keeps its inode alive for it); the one kept before goes.
  std::optional<TentacleManifest> replaced;
  if (fs::exists(target, ec)) {
    if (auto old = read_manifest(target / "tentacle.yaml"); old.ok()) replaced = old.value();
    if (fs::exists(previous, ec)) {
      fs::rename(previous, discarded, ec);
      if (ec) return fail("cannot move the kept previous version aside: " + ec.message());
    }
    fs::rename(target, previous, ec);
    if (ec) {
      std::error_code ignored;
      fs::rename(discarded, previous, ignored);
      return fail("cannot move the installed version aside: " + ec.message());
    }
  }
  fs::rename(staging, target, ec);
  if (ec) {
    std::error_code ignored;
    if (replaced) fs::rename(previous, target, ignored);
    fs::rename(discarded, previous, ignored);
    return fail("cannot move the new version into place: " + ec.message());
  }
  fs::remove_all(discarded, ec);

  InstalledPackage installed{staged.value(), target, replaced};
  installed.manifest.file = target / "tentacle.yaml";
  if (installed.previous) installed.previous->file = previous / "tentacle.yaml";
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
    fs::remove_all(previous_manifest_file(entry.manifest_file, name).parent_path(), ec);
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

Result<std::pair<TentacleManifest, TentacleManifest>> rollback_package(
    const std::string& name, const TentacleFolders& folders) {
  TentacleFolders user_only;
  user_only.user = folders.user;
  for (const auto& entry : scan_tentacle_folders(user_only)) {
    if (!entry.manifest || entry.manifest->name != name) continue;
    const fs::path target = entry.manifest_file.parent_path();
    const fs::path previous = previous_manifest_file(entry.manifest_file, name).parent_path();
    auto kept = read_manifest(previous / "tentacle.yaml");
    if (!kept.ok()) {
      return Error{"no previous version of '" + name + "' is kept in " + previous.string() +
                   " (install keeps the version it replaces; this one was installed over nothing, "
                   "or by copying files): " +
                   kept.error()};
    }
    const fs::path swapping =
        target.parent_path() / ("." + name + ".rollback-" + std::to_string(::getpid()));
    std::error_code ec;
    fs::rename(target, swapping, ec);
    if (ec) return Error{"cannot move " + target.string() + " aside: " + ec.message()};
    fs::rename(previous, target, ec);
    if (ec) {
      std::error_code ignored;
      fs::rename(swapping, target, ignored);
      return Error{"cannot move " + previous.string() + " into place: " + ec.message()};
    }
    fs::rename(swapping, previous, ec);
    if (ec) return Error{"rolled back, but cannot keep the replaced version: " + ec.message()};
    TentacleManifest now = kept.value();
    now.file = target / "tentacle.yaml";
    TentacleManifest replaced = entry.manifest.value();
    replaced.file = previous / "tentacle.yaml";
    return std::make_pair(now, replaced);
  }
  return Error{"no user-installed tentacle named '" + name + "' in " + folders.user.string()};
}

}  // namespace cephalo
