// Folder scanning and verification for tentacle packages.
// Thread-safety: see catalog.hpp.
#include "host/catalog.hpp"

#include <algorithm>
#include <cstdlib>
#include <set>

#include "model/market.hpp"
#include "model/system_text.hpp"

namespace cephalo {

namespace fs = std::filesystem;

namespace {

bool is_library_name(const fs::path& file) {
  return file.extension() == ".so" || file.extension() == ".dll" || file.extension() == ".dylib";
}

void scan_root(const fs::path& root, const std::string& origin, std::set<std::string>& names,
               std::vector<CatalogEntry>& out) {
  std::error_code ec;
  if (root.empty() || !fs::is_directory(root, ec)) return;
  std::vector<fs::path> manifests;
  std::vector<fs::path> libraries;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it.depth() > 3) {
      it.disable_recursion_pending();
      continue;
    }
    const fs::path& path = it->path();
    const std::string name = path.filename().string();
    // Install uses hidden temporary folders; a half-written package is never looked at.
    if (it->is_directory(ec) && !name.empty() && name[0] == '.') {
      it.disable_recursion_pending();
      continue;
    }
    if (name == "tentacle.yaml") manifests.push_back(path);
    if (is_library_name(path)) libraries.push_back(path);
  }
  std::sort(manifests.begin(), manifests.end());
  std::sort(libraries.begin(), libraries.end());
  std::set<fs::path> claimed;
  for (const auto& manifest_file : manifests) {
    CatalogEntry entry;
    entry.manifest_file = manifest_file;
    entry.origin = origin;
    auto manifest = read_manifest(manifest_file);
    if (!manifest.ok()) {
      entry.problem = "manifest invalid: " + manifest.error();
      for (const auto& library : libraries) {
        if (library.parent_path() == manifest_file.parent_path()) entry.library_file = library;
      }
    } else {
      entry.library_file = manifest->library_path();
      if (!names.insert(manifest->name).second) {
        entry.problem = describe_tentacle(manifest.value()) +
                        ": another tentacle with this name was found first; names must be "
                        "unique across tentacle folders";
      }
      entry.manifest = std::move(manifest.value());
    }
    claimed.insert(entry.library_file);
    out.push_back(std::move(entry));
  }
  for (const auto& library : libraries) {
    if (claimed.count(library)) continue;
    CatalogEntry entry;
    entry.library_file = library;
    entry.manifest_file = library.parent_path() / "tentacle.yaml";
    entry.origin = origin;
    entry.problem = library.string() +
                    ": manifest missing: no tentacle.yaml beside the library "
                    "(a tentacle is its library plus its manifest)";
    out.push_back(std::move(entry));
  }
}

}  // namespace

std::vector<CatalogEntry> scan_tentacle_folders(const TentacleFolders& folders) {
  std::vector<CatalogEntry> entries;
  std::set<std::string> names;
  scan_root(folders.builtin, "builtin", names, entries);
  if (folders.user != folders.builtin) scan_root(folders.user, "user", names, entries);
  for (const auto& extra : folders.extra) scan_root(extra, "extra", names, entries);
  return entries;
}

LoadReport report_for(const CatalogEntry& entry, const TentacleLibrary* library,
                      const std::string& refusal) {
  LoadReport report;
  report.origin = entry.origin;
  report.file = entry.library_file.empty() ? entry.manifest_file : entry.library_file;
  if (entry.manifest) {
    report.name = entry.manifest->name;
    report.kind = kind_to_string(entry.manifest->kind);
    report.version = entry.manifest->version;
    report.abi =
        std::to_string(entry.manifest->abi_major) + "." + std::to_string(entry.manifest->abi_minor);
  } else {
    report.name = entry.manifest_file.parent_path().filename().string();
  }
  if (library != nullptr) report.abi = library->abi_text();
  report.ok = refusal.empty() && entry.problem.empty();
  report.reason = !entry.problem.empty() ? entry.problem : refusal;
  return report;
}

std::vector<LoadReport> check_entries(const std::vector<CatalogEntry>& entries,
                                      const CatalogCheck& check) {
  std::vector<LoadReport> reports(entries.size());
  std::vector<size_t> to_load;
  std::vector<SmokePackage> packages;
  for (size_t i = 0; i < entries.size(); ++i) {
    const CatalogEntry& entry = entries[i];
    reports[i] = report_for(entry, nullptr, "");
    if (!reports[i].ok) continue;
    if (auto crash = check.crashes.find(entry.manifest->sha256); crash != check.crashes.end()) {
      reports[i].ok = false;
      reports[i].crashed = true;
      reports[i].reason = describe_tentacle(*entry.manifest) + ": " +
                          describe_crash(crash->second) +
                          "; a bot refuses this build (install a fixed one, or `cephalo "
                          "tentacles rollback " +
                          entry.manifest->name + "`)";
      continue;
    }
    if (auto checked = check_before_load(*entry.manifest); !checked.ok()) {
      reports[i] = report_for(entry, nullptr, checked.error());
      continue;
    }
    to_load.push_back(i);
    packages.push_back(SmokePackage{entry.manifest_file, {}, entry.manifest->sha256});
  }
  const auto verdicts =
      smoke_load_each(check.cephalo_binary, check.work_folder, packages, check.time_limit);
  for (size_t k = 0; k < to_load.size(); ++k) {
    const SmokeVerdict& verdict = verdicts[k];
    if (verdict.passed) continue;
    const CatalogEntry& entry = entries[to_load[k]];
    // The child's own error already names the tentacle; a crash or a hang needs the name added.
    const bool named = verdict.failure.rfind("tentacle '", 0) == 0;
    reports[to_load[k]] =
        report_for(entry, nullptr,
                   named ? verdict.failure
                         : describe_tentacle(*entry.manifest) + ": load check in a child process " +
                               verdict.failure);
  }
  return reports;
}

TentacleFolders default_tentacle_folders(const fs::path& executable) {
  TentacleFolders folders;
  std::error_code ec;
  const fs::path exe = fs::weakly_canonical(executable, ec);
  folders.builtin = exe.parent_path().parent_path() / "lib" / "cephalo" / "tentacles";
  if (const char* home = environment_value("CEPHALO_HOME"); home != nullptr && *home != '\0') {
    folders.user = fs::path(home) / "tentacles";
  } else if (const char* user_home = environment_value("HOME"); user_home != nullptr) {
    folders.user = fs::path(user_home) / ".cephalo" / "tentacles";
  }
  return folders;
}

}  // namespace cephalo
