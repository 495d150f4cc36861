// Test helpers: scratch folders and copies of built tentacle packages that tests may damage.
// Thread-safety: single-threaded tests.
#pragma once

#include <filesystem>
#include <string>

namespace cephalo::test {

// A fresh empty folder under the system temp dir, removed when the object goes.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& label);
  ~ScratchDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// build/test-tentacles/<kind folder>/<name>
std::filesystem::path fixture_package(const std::string& kind_folder, const std::string& name);
std::filesystem::path builtin_package(const std::string& kind_folder, const std::string& name);

// build/crash-tentacles/<build>/strategies/crash_probe: one build of the crash probe fixture.
std::filesystem::path crash_probe_package(const std::string& build);

// The cephalo executable of this build: its hidden `tentacles smoke` is the smoke test's child.
std::filesystem::path cephalo_binary();

// Copies a package folder (library + tentacle.yaml) to destination/<name>; returns the new folder.
std::filesystem::path copy_package(const std::filesystem::path& package,
                                   const std::filesystem::path& destination);

std::string read_text(const std::filesystem::path& file);
void write_text(const std::filesystem::path& file, const std::string& text);
// Replaces the sha256 line of a manifest with the digest of `library`.
void reseal_manifest(const std::filesystem::path& manifest, const std::filesystem::path& library);
// A snapshot of every file under root (relative path -> contents), to prove nothing changed.
std::string snapshot_tree(const std::filesystem::path& root);

}  // namespace cephalo::test
