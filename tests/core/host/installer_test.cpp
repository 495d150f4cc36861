// Install, rollback and remove: the package's code tried only in a child process (its smoke test),
// a build that crashes, aborts or hangs refused with the stage named, the installed version left
// in place, the replaced version kept for a rollback, and never a file overwritten in place.
// Thread-safety: single-threaded tests.
#include "host/installer.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <fstream>

#include "data/ohlcv_reader.hpp"
#include "host/host_context.hpp"
#include "host/mapped_images.hpp"
#include "package_fixture.hpp"

namespace fs = std::filesystem;
using namespace cephalo;

namespace {

ino_t inode_of(const fs::path& file) {
  struct stat info {};
  REQUIRE(::stat(file.c_str(), &info) == 0);
  return info.st_ino;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The last 200 real ETH/BTC 5m candles: the first events of the smoke test.
std::vector<Candle> sample_candles(NameTable& names) {
  const auto loaded = load_ohlcv(fs::path(CEPHALO_TEST_DATA_DIR) / "ETH_BTC-5m.csv", 300'000,
                                 BadRowPolicy::kReject);
  REQUIRE(loaded.ok);
  std::vector<Candle> candles;
  for (size_t i = loaded.bars.size() - 200; i < loaded.bars.size(); ++i) {
    const OhlcvBar& bar = loaded.bars[i];
    candles.push_back(Candle{names.intern("ETH/BTC"), names.intern("5m"),
                             bar.open_time_ms * 1'000'000, bar.open, bar.high, bar.low, bar.close,
                             bar.volume});
  }
  return candles;
}

struct Installer {
  NameTable names;
  test::ScratchDir user{"user"};
  test::ScratchDir work{"smoke"};
  TentacleFolders folders;
  PackageCheck check;

  Installer() {
    folders.user = user.path();
    check.cephalo_binary = test::cephalo_binary();
    check.work_folder = work.path();
    check.candles = sample_candles(names);
    check.time_limit = std::chrono::milliseconds(2000);  // the endless loops are killed after it
  }
  Result<InstalledPackage> install(const fs::path& source) {
    return install_package(source, folders, check);
  }
  std::string installed_version(const std::string& kind, const std::string& name) {
    auto manifest = read_manifest(user.path() / kind / name / "tentacle.yaml");
    return manifest.ok() ? manifest->version : "(none: " + manifest.error() + ")";
  }
};

}  // namespace

TEST_CASE("a good package installs into <user>/<kind>/<name> and is then listed") {
  Installer installer;
  auto installed = installer.install(test::fixture_package("strategies", "fixture_good"));
  REQUIRE_MESSAGE(installed.ok(), installed.error());
  const fs::path target = installer.user.path() / "strategies" / "fixture_good";
  CHECK(installed->folder == target);
  CHECK_FALSE(installed->previous.has_value());
  CHECK(fs::exists(target / "tentacle.yaml"));
  CHECK(fs::exists(target / "libcephalo_fixture_good.so"));
  const auto entries = scan_tentacle_folders(installer.folders);
  REQUIRE(entries.size() == 1);
  CatalogCheck check;
  check.cephalo_binary = test::cephalo_binary();
  const auto reports = check_entries(entries, check);
  REQUIRE(reports.size() == 1);
  CHECK_MESSAGE(reports[0].ok, reports[0].reason);
  CHECK(reports[0].origin == "user");
  CHECK(reports[0].name == "fixture_good");
  // Neither the install nor the listing loaded it into this process.
  CHECK_FALSE(image_is_mapped(target / "libcephalo_fixture_good.so"));
  CHECK_FALSE(image_is_mapped(test::fixture_package("strategies", "fixture_good") /
                              "libcephalo_fixture_good.so"));
}

TEST_CASE("bad packages are refused and the user folder is left exactly as it was") {
  Installer installer;
  test::ScratchDir scratch("bad");
  REQUIRE(installer.install(test::fixture_package("evaluators", "fixture_big_descriptor_zero_tail"))
              .ok());
  const std::string before = test::snapshot_tree(installer.user.path());

  const fs::path garbage = scratch.path() / "libgarbage.so";
  test::write_text(garbage, std::string(4096, '\x13'));
  auto refused = installer.install(garbage);
  REQUIRE_FALSE(refused.ok());
  CHECK(contains(refused.error(), "manifest missing"));

  const fs::path tampered = test::copy_package(
      test::fixture_package("strategies", "fixture_good"), scratch.path());
  test::write_text(tampered / "libcephalo_fixture_good.so", "not the library that was built");
  refused = installer.install(tampered);
  REQUIRE_FALSE(refused.ok());
  CHECK(contains(refused.error(), "refused to install"));

  for (const char* name : {"fixture_abi_major", "fixture_no_entry"}) {
    refused = installer.install(test::fixture_package("evaluators", name));
    CHECK_FALSE(refused.ok());
  }
  // create runs in the smoke test now, with the default parameters: a build that cannot even be
  // created is not installed.
  refused = installer.install(test::fixture_package("strategies", "fixture_create_fails"));
  REQUIRE_FALSE(refused.ok());
  CHECK(contains(refused.error(), "failed the smoke test"));
  CHECK(contains(refused.error(), "refusing to be created"));
  CHECK(test::snapshot_tree(installer.user.path()) == before);
}

TEST_CASE("a build that segfaults, aborts or hangs in create, load_state or on_event is refused") {
  Installer installer;
  REQUIRE(installer.install(test::crash_probe_package("good")).ok());
  const std::string before = test::snapshot_tree(installer.user.path());
  struct Case {
    const char* build;
    const char* expected;  // in the refusal
  };
  const Case cases[] = {
      {"segv_create", "crashed with SIGSEGV in create"},
      {"abort_create", "crashed with SIGABRT in create"},
      {"loop_create", "did not finish within 2000 ms in create"},
      {"segv_load_state", "crashed with SIGSEGV in load_state"},
      {"abort_load_state", "crashed with SIGABRT in load_state"},
      {"loop_load_state", "did not finish within 2000 ms in load_state"},
      {"segv_on_event", "crashed with SIGSEGV in on_event"},
      {"abort_on_event", "crashed with SIGABRT in on_event"},
      {"loop_on_event", "did not finish within 2000 ms in on_event"},
      {"segv_load", "crashed with SIGSEGV in load"},
  };
  for (const Case& crash : cases) {
    CAPTURE(crash.build);
    auto refused = installer.install(test::crash_probe_package(crash.build));
    REQUIRE_FALSE(refused.ok());
    CHECK_MESSAGE(contains(refused.error(), crash.expected), refused.error());
    CHECK(contains(refused.error(), "tentacle 'crash_probe'"));
    CHECK(contains(refused.error(), "the installed version (if any) is left in place"));
    // This process is alive, the good build is still the installed one, nothing else changed.
    CHECK(installer.installed_version("strategies", "crash_probe") == "1.0.0");
    CHECK(test::snapshot_tree(installer.user.path()) == before);
  }
}

TEST_CASE("verify runs the package's code only in a child: a constructor that crashes is named") {
  Installer installer;
  installer.check.smoke = false;
  const fs::path package = test::crash_probe_package("segv_load");
  auto verified = verify_package(package, installer.check);
  REQUIRE_FALSE(verified.ok());
  CHECK_MESSAGE(contains(verified.error(), "failed the load check"), verified.error());
  CHECK(contains(verified.error(), "crashed with SIGSEGV in load"));
  CHECK_FALSE(image_is_mapped(package / "libcephalo_crash_probe.so"));
  // The load check alone runs no create: a build that only crashes there passes it...
  CHECK(verify_package(test::crash_probe_package("segv_create"), installer.check).ok());
  // ...and the smoke test (`verify --smoke`) finds it.
  installer.check.smoke = true;
  verified = verify_package(test::crash_probe_package("segv_create"), installer.check);
  REQUIRE_FALSE(verified.ok());
  CHECK(contains(verified.error(), "failed the smoke test"));
}

TEST_CASE("verify refuses a manifest whose ABI differs from the library's") {
  Installer installer;
  test::ScratchDir scratch("abi");
  // fixture_good is built for ABI 1.0; its manifest now claims 1.1.
  const fs::path package =
      test::copy_package(test::fixture_package("strategies", "fixture_good"), scratch.path());
  std::string text = test::read_text(package / "tentacle.yaml");
  text.replace(text.find("abi_minor: 0"), 12, "abi_minor: 1");
  test::write_text(package / "tentacle.yaml", text);
  installer.check.smoke = false;
  auto verified = verify_package(package, installer.check);
  REQUIRE_FALSE(verified.ok());
  CHECK_MESSAGE(contains(verified.error(), "the library says it needs ABI 1.0 but its manifest"),
                verified.error());
  CHECK(contains(verified.error(), "says ABI 1.1"));
}

TEST_CASE("reinstalling keeps the replaced version; rollback brings it back, and back again") {
  Installer installer;
  REQUIRE(installer.install(test::crash_probe_package("good")).ok());
  const fs::path installed = installer.user.path() / "strategies" / "crash_probe";
  auto manifest = read_manifest(installed / "tentacle.yaml");
  REQUIRE(manifest.ok());
  auto loaded = TentacleLibrary::load(manifest.value(), core_host_api());
  REQUIRE(loaded.ok());
  const ino_t old_inode = inode_of(installed / "libcephalo_crash_probe.so");

  auto second = installer.install(test::crash_probe_package("good2"));
  REQUIRE_MESSAGE(second.ok(), second.error());
  REQUIRE(second->previous.has_value());
  CHECK(second->previous->version == "1.0.0");
  CHECK(inode_of(installed / "libcephalo_crash_probe.so") != old_inode);
  // The library loaded before the reinstall still works; the old file is kept aside, not
  // rewritten (same inode).
  CHECK(std::string(loaded.value()->descriptor().name) == "crash_probe");
  const fs::path kept = installer.user.path() / "strategies" / ".crash_probe.previous";
  CHECK(inode_of(kept / "libcephalo_crash_probe.so") == old_inode);
  // Only the package and the kept version: no staging or discarded folders left behind.
  int entries = 0;
  for ([[maybe_unused]] const auto& entry :
       fs::directory_iterator(installer.user.path() / "strategies")) {
    ++entries;
  }
  CHECK(entries == 2);
  // The catalog does not list the kept version.
  CHECK(scan_tentacle_folders(installer.folders).size() == 1);

  auto rolled = rollback_package("crash_probe", installer.folders);
  REQUIRE_MESSAGE(rolled.ok(), rolled.error());
  CHECK(rolled->first.version == "1.0.0");
  CHECK(rolled->second.version == "1.0.1");
  CHECK(installer.installed_version("strategies", "crash_probe") == "1.0.0");
  rolled = rollback_package("crash_probe", installer.folders);
  REQUIRE(rolled.ok());
  CHECK(installer.installed_version("strategies", "crash_probe") == "1.0.1");

  REQUIRE(remove_package("crash_probe", installer.folders).ok());
  CHECK_FALSE(fs::exists(kept));
  CHECK_FALSE(fs::exists(installer.user.path() / "strategies"));
  auto nothing = rollback_package("crash_probe", installer.folders);
  REQUIRE_FALSE(nothing.ok());
  CHECK(contains(nothing.error(), "no user-installed tentacle named 'crash_probe'"));
}

TEST_CASE("rollback without a kept version says why") {
  Installer installer;
  REQUIRE(installer.install(test::crash_probe_package("good")).ok());
  auto rolled = rollback_package("crash_probe", installer.folders);
  REQUIRE_FALSE(rolled.ok());
  CHECK(contains(rolled.error(), "no previous version of 'crash_probe' is kept"));
}

TEST_CASE("tentacles list shows a build that crashed a bot as crashed") {
  Installer installer;
  REQUIRE(installer.install(test::crash_probe_package("good")).ok());
  const auto entries = scan_tentacle_folders(installer.folders);
  REQUIRE(entries.size() == 1);
  CatalogCheck check;
  check.cephalo_binary = test::cephalo_binary();
  CrashRecord crash;
  crash.time_s = 1'790'000'000;
  crash.signal = 11;
  crash.sha256 = entries[0].manifest->sha256;
  crash.name = "crash_probe";
  crash.version = "1.0.0";
  crash.callback = "on_event";
  check.crashes[crash.sha256] = crash;
  const auto reports = check_entries(entries, check);
  REQUIRE(reports.size() == 1);
  CHECK_FALSE(reports[0].ok);
  CHECK(reports[0].crashed);
  CHECK(std::string(reports[0].status()) == "crashed");
  CHECK_MESSAGE(contains(reports[0].reason, "crashed a bot on 2026-09-21 "), reports[0].reason);
  CHECK(contains(reports[0].reason, "with SIGSEGV in on_event"));
  CHECK(contains(reports[0].reason, "tentacles rollback crash_probe"));
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
