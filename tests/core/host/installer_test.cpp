// Install and remove: verified before anything is written, atomic, never in place.
// Thread-safety: single-threaded tests.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include "host/host_context.hpp"
#include "host/installer.hpp"
#include "package_fixture.hpp"

namespace fs = std::filesystem;
using namespace cephalo;

namespace {

ino_t inode_of(const fs::path& file) {
  struct stat info {};
  REQUIRE(::stat(file.c_str(), &info) == 0);
  return info.st_ino;
}

}  // namespace

TEST_CASE("a good package installs into <user>/<kind>/<name> and is then listed") {
  test::ScratchDir user("user");
  TentacleFolders folders;
  folders.user = user.path();
  auto installed = install_package(test::fixture_package("strategies", "fixture_good"), folders,
                                   core_host_api());
  REQUIRE_MESSAGE(installed.ok(), installed.error());
  const fs::path target = user.path() / "strategies" / "fixture_good";
  CHECK(installed->folder == target);
  CHECK(fs::exists(target / "tentacle.yaml"));
  CHECK(fs::exists(target / "libcephalo_fixture_good.so"));
  const auto entries = scan_tentacle_folders(folders);
  REQUIRE(entries.size() == 1);
  const auto report = verify_entry(entries.front(), core_host_api());
  CHECK(report.ok);
  CHECK(report.origin == "user");
  CHECK(report.name == "fixture_good");
}

TEST_CASE("bad packages are refused and the user folder is left exactly as it was") {
  test::ScratchDir user("user");
  test::ScratchDir scratch("bad");
  TentacleFolders folders;
  folders.user = user.path();
  REQUIRE(install_package(test::fixture_package("evaluators", "fixture_big_descriptor_zero_tail"),
                          folders, core_host_api())
              .ok());
  const std::string before = test::snapshot_tree(user.path());

  const fs::path garbage = scratch.path() / "libgarbage.so";
  test::write_text(garbage, std::string(4096, '\x13'));
  auto refused = install_package(garbage, folders, core_host_api());
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().find("manifest missing") != std::string::npos);

  const fs::path tampered = test::copy_package(
      test::fixture_package("strategies", "fixture_good"), scratch.path());
  test::write_text(tampered / "libcephalo_fixture_good.so", "not the library that was built");
  refused = install_package(tampered, folders, core_host_api());
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().find("refused to install") != std::string::npos);

  for (const char* name : {"fixture_abi_major", "fixture_no_entry"}) {
    refused = install_package(test::fixture_package("evaluators", name), folders,
                              core_host_api());
    CHECK_FALSE(refused.ok());
  }
  refused = install_package(test::fixture_package("strategies", "fixture_create_fails"), folders,
                            core_host_api());
  CHECK(refused.ok());  // create runs when a bot uses it, not at install: the handshake passes

  CHECK(test::snapshot_tree(user.path()) != before);  // the create_fails package landed...
  REQUIRE(remove_package("fixture_create_fails", folders).ok());
  CHECK(test::snapshot_tree(user.path()) == before);  // ...and every refusal changed nothing
}

TEST_CASE("reinstalling replaces the files by rename, never writing over a loaded library") {
  test::ScratchDir user("user");
  TentacleFolders folders;
  folders.user = user.path();
  const fs::path source = test::fixture_package("strategies", "fixture_good");
  REQUIRE(install_package(source, folders, core_host_api()).ok());
  const fs::path installed = user.path() / "strategies" / "fixture_good";
  auto manifest = read_manifest(installed / "tentacle.yaml");
  REQUIRE(manifest.ok());
  auto loaded = TentacleLibrary::load(manifest.value(), core_host_api());
  REQUIRE(loaded.ok());
  const ino_t old_inode = inode_of(installed / "libcephalo_fixture_good.so");

  REQUIRE(install_package(source, folders, core_host_api()).ok());
  CHECK(inode_of(installed / "libcephalo_fixture_good.so") != old_inode);
  // The library loaded before the reinstall still works.
  CHECK(std::string(loaded.value()->descriptor().name) == "fixture_good");
  // No staging or retired folders are left behind.
  int entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(user.path() / "strategies")) {
    ++entries;
  }
  CHECK(entries == 1);
}

TEST_CASE("remove refuses built-ins and unknown names") {
  test::ScratchDir user("user");
  TentacleFolders folders;
  folders.user = user.path();
  folders.builtin = CEPHALO_BUILTIN_DIR;
  auto removed = remove_package("rsi", folders);
  REQUIRE_FALSE(removed.ok());
  CHECK(removed.error().find("built-in") != std::string::npos);
  removed = remove_package("no_such_tentacle", folders);
  REQUIRE_FALSE(removed.ok());
  CHECK(removed.error().find("no user-installed tentacle") != std::string::npos);
}
