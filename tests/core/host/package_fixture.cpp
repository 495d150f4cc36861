// Test helpers for tentacle packages.
// Thread-safety: single-threaded tests.
#include "package_fixture.hpp"

#include <unistd.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "host/sha256.hpp"

namespace cephalo::test {

namespace fs = std::filesystem;

ScratchDir::ScratchDir(const std::string& label) {
  static int counter = 0;
  path_ = fs::temp_directory_path() /
          ("cephalo-test-" + label + "-" + std::to_string(::getpid()) + "-" +
           std::to_string(counter++));
  fs::remove_all(path_);
  fs::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

fs::path fixture_package(const std::string& kind_folder, const std::string& name) {
  return fs::path(CEPHALO_FIXTURE_DIR) / kind_folder / name;
}

fs::path builtin_package(const std::string& kind_folder, const std::string& name) {
  return fs::path(CEPHALO_BUILTIN_DIR) / kind_folder / name;
}

fs::path crash_probe_package(const std::string& build) {
  return fs::path(CEPHALO_BINARY_DIR) / "crash-tentacles" / build / "strategies" / "crash_probe";
}

fs::path cephalo_binary() {
  return fs::path(CEPHALO_BINARY_DIR) / "bin" / "cephalo";
}

fs::path copy_package(const fs::path& package, const fs::path& destination) {
  const fs::path target = destination / package.filename();
  fs::create_directories(target);
  for (const auto& entry : fs::directory_iterator(package)) {
    fs::copy_file(entry.path(), target / entry.path().filename(),
                  fs::copy_options::overwrite_existing);
  }
  return target;
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_text(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
}

void reseal_manifest(const fs::path& manifest, const fs::path& library) {
  const auto digest = sha256_file_hex(library);
  const std::string text = read_text(manifest);
  write_text(manifest, std::regex_replace(text, std::regex("sha256: [0-9a-f]+"),
                                          "sha256: " + digest.value()));
}

std::string snapshot_tree(const fs::path& root) {
  std::map<std::string, std::string> files;
  if (fs::exists(root)) {
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      const std::string relative = fs::relative(entry.path(), root).string();
      files[relative] = entry.is_regular_file() ? read_text(entry.path()) : "<dir>";
    }
  }
  std::string snapshot;
  for (const auto& [name, contents] : files) {
    snapshot += name + "\n" + std::to_string(std::hash<std::string>()(contents)) + "\n";
  }
  return snapshot;
}

}  // namespace cephalo::test
