// Every refusal the host must make before or while loading a tentacle, each with its reason.
// Thread-safety: single-threaded tests.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "host/catalog.hpp"
#include "host/host_context.hpp"
#include "host/tentacle_library.hpp"
#include "package_fixture.hpp"

namespace fs = std::filesystem;
using namespace cephalo;
using test::fixture_package;

namespace {

Result<std::shared_ptr<TentacleLibrary>> load_package(const fs::path& folder) {
  auto manifest = read_manifest(folder / "tentacle.yaml");
  REQUIRE_MESSAGE(manifest.ok(), manifest.error());
  return TentacleLibrary::load(manifest.value(), core_host_api());
}

const std::string kHostAbi =
    std::to_string(CEPHALO_ABI_MAJOR) + "." + std::to_string(CEPHALO_ABI_MINOR);

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("a well-formed tentacle loads and its descriptor matches its manifest") {
  auto library = load_package(fixture_package("strategies", "fixture_good"));
  REQUIRE_MESSAGE(library.ok(), library.error());
  CHECK(std::string(library.value()->descriptor().name) == "fixture_good");
  CHECK(library.value()->descriptor().kind == CEPHALO_KIND_STRATEGY);
  CHECK(library.value()->abi_text() == "1.0");
}

TEST_CASE("a file that is not a shared library is refused before dlopen") {
  test::ScratchDir scratch("garbage");
  const fs::path package = test::copy_package(fixture_package("strategies", "fixture_good"),
                                              scratch.path());
  const fs::path library = package / "libcephalo_fixture_good.so";
  test::write_text(library, std::string(4096, '\x42'));
  test::reseal_manifest(package / "tentacle.yaml", library);
  auto loaded = load_package(package);
  REQUIRE_FALSE(loaded.ok());
  CHECK(contains(loaded.error(), "tentacle 'fixture_good'"));
  CHECK(contains(loaded.error(), library.string()));
  CHECK(contains(loaded.error(), "not a shared library"));
}

TEST_CASE("a truncated library is refused and says how short it is") {
  test::ScratchDir scratch("truncated");
  const fs::path package = test::copy_package(fixture_package("strategies", "fixture_good"),
                                              scratch.path());
  const fs::path library = package / "libcephalo_fixture_good.so";
  const auto full_size = fs::file_size(library);
  fs::resize_file(library, full_size / 2);
  test::reseal_manifest(package / "tentacle.yaml", library);
  auto loaded = load_package(package);
  REQUIRE_FALSE(loaded.ok());
  CHECK(contains(loaded.error(), "truncated"));
  CHECK(contains(loaded.error(), std::to_string(full_size / 2) + " bytes"));
}

TEST_CASE("a library without the entry symbol is refused") {
  auto loaded = load_package(fixture_package("evaluators", "fixture_no_entry"));
  REQUIRE_FALSE(loaded.ok());
  CHECK(contains(loaded.error(), "entry symbol 'cephalo_tentacle_entry' missing"));
}

TEST_CASE("a different ABI major is refused naming both versions") {
  auto loaded = load_package(fixture_package("evaluators", "fixture_abi_major"));
  REQUIRE_FALSE(loaded.ok());
  CHECK(contains(loaded.error(), "needs ABI 2."));
  CHECK(contains(loaded.error(), "provides ABI " + kHostAbi));
  CHECK(contains(loaded.error(), "major versions differ"));
}

TEST_CASE("a minor newer than the host is refused naming both versions") {
  auto loaded = load_package(fixture_package("evaluators", "fixture_abi_minor_newer"));
  REQUIRE_FALSE(loaded.ok());
  CHECK(contains(loaded.error(), "needs ABI 1.99"));
  CHECK(contains(loaded.error(), "newer than this host's ABI " + kHostAbi));
}

TEST_CASE("a manifest that claims a newer ABI is refused without loading any code") {
  test::ScratchDir scratch("manifest-abi");
  const fs::path package = test::copy_package(fixture_package("strategies", "fixture_good"),
                                              scratch.path());
  std::string text = test::read_text(package / "tentacle.yaml");
  text.replace(text.find("abi_minor: 0"), 12, "abi_minor: 7");
  test::write_text(package / "tentacle.yaml", text);
  auto loaded = load_package(package);
  REQUIRE_FALSE(loaded.ok());
  CHECK(contains(loaded.error(), "refused before loading"));
  CHECK(contains(loaded.error(), "1.7"));
}

TEST_CASE("a checksum mismatch is refused with both digests") {
  test::ScratchDir scratch("checksum");
  const fs::path package = test::copy_package(fixture_package("strategies", "fixture_good"),
                                              scratch.path());
  const fs::path library = package / "libcephalo_fixture_good.so";
  {
    std::fstream file(library, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(static_cast<std::streamoff>(fs::file_size(library) - 1));
    file.put('\x7f');
  }
  auto loaded = load_package(package);
  REQUIRE_FALSE(loaded.ok());
  CHECK(contains(loaded.error(), "checksum mismatch"));
  CHECK(contains(loaded.error(), "manifest expects sha256"));
}

TEST_CASE("a descriptor larger than the host knows is refused when its tail is not zero") {
  auto refused = load_package(fixture_package("evaluators", "fixture_big_descriptor"));
  REQUIRE_FALSE(refused.ok());
  CHECK(contains(refused.error(), "unknown tail is not zero"));
  CHECK(contains(refused.error(), std::to_string(sizeof(cephalo_tentacle_descriptor))));

  auto accepted = load_package(fixture_package("evaluators", "fixture_big_descriptor_zero_tail"));
  CHECK_MESSAGE(accepted.ok(), accepted.error());
}

TEST_CASE("a missing or invalid manifest is reported by the catalog and the others still load") {
  test::ScratchDir scratch("catalog");
  const fs::path root = scratch.path() / "evaluators";
  // A library dropped without its manifest.
  const fs::path lonely = root / "lonely";
  fs::create_directories(lonely);
  fs::copy_file(fixture_package("strategies", "fixture_good") / "libcephalo_fixture_good.so",
                lonely / "libcephalo_lonely.so");
  // A manifest with a YAML error and one with a bad field.
  const fs::path broken = test::copy_package(fixture_package("evaluators", "fixture_throws"), root);
  test::write_text(broken / "tentacle.yaml", "name: fixture_throws\nkind: [unclosed\n");
  const fs::path wrong_kind = test::copy_package(fixture_package("strategies", "fixture_good"),
                                                 root);
  std::string text = test::read_text(wrong_kind / "tentacle.yaml");
  text.replace(text.find("kind: strategy"), 14, "kind: robot");
  test::write_text(wrong_kind / "tentacle.yaml", text);
  // And one good package.
  test::copy_package(fixture_package("evaluators", "fixture_big_descriptor_zero_tail"), root);

  TentacleFolders folders;
  folders.extra.push_back(scratch.path());
  std::vector<LoadReport> reports;
  for (const auto& entry : scan_tentacle_folders(folders)) {
    reports.push_back(verify_entry(entry, core_host_api()));
  }
  REQUIRE(reports.size() == 4);
  int ok = 0;
  bool saw_missing = false, saw_yaml = false, saw_kind = false;
  for (const auto& report : reports) {
    ok += report.ok ? 1 : 0;
    saw_missing = saw_missing || contains(report.reason, "manifest missing");
    saw_yaml = saw_yaml || (contains(report.reason, "tentacle.yaml:") &&
                            contains(report.reason, "invalid YAML"));
    saw_kind = saw_kind || (contains(report.reason, "kind: expected one of evaluator") &&
                            contains(report.reason, "'robot'"));
  }
  CHECK(ok == 1);
  CHECK(saw_missing);
  CHECK(saw_yaml);
  CHECK(saw_kind);
}
