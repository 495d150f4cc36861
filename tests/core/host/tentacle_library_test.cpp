// Every refusal the host must make before or while loading a tentacle, each with its reason.
// Thread-safety: single-threaded tests.
#include "host/tentacle_library.hpp"

#include <doctest/doctest.h>
#include <elf.h>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <functional>

#include "host/catalog.hpp"
#include "host/host_context.hpp"
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

namespace {

// A sealed copy of fixture_good whose bytes `patch` changed (its manifest's sha256 updated, so
// only the ELF checks and the loader can object).
fs::path patched_good(const fs::path& scratch, const std::function<void(std::fstream&)>& patch) {
  const fs::path package =
      test::copy_package(fixture_package("strategies", "fixture_good"), scratch);
  const fs::path library = package / "libcephalo_fixture_good.so";
  {
    std::fstream file(library, std::ios::in | std::ios::out | std::ios::binary);
    patch(file);
  }
  test::reseal_manifest(package / "tentacle.yaml", library);
  return package;
}

template <class T>
T read_at(std::fstream& file, std::streamoff offset) {
  T value{};
  file.seekg(offset);
  file.read(reinterpret_cast<char*>(&value), sizeof value);
  return value;
}

template <class T>
void write_at(std::fstream& file, std::streamoff offset, T value) {
  file.seekp(offset);
  file.write(reinterpret_cast<const char*>(&value), sizeof value);
}

}  // namespace

// Finding 11 of issue 20: odd ELF headers used to come back as "Bad file descriptor".
TEST_CASE("regression: an odd ELF header gets a clear message, not Bad file descriptor") {
  test::ScratchDir scratch("elf");
  // A program header entry size the loader would not expect.
  auto package = patched_good(scratch.path() / "phentsize", [](std::fstream& file) {
    write_at<uint16_t>(file, offsetof(Elf64_Ehdr, e_phentsize), 1);
  });
  auto loaded = load_package(package);
  REQUIRE_FALSE(loaded.ok());
  CHECK_MESSAGE(contains(loaded.error(), "damaged ELF header: "), loaded.error());
  CHECK(contains(loaded.error(), "program headers of 1 bytes each (expected at least one, of 56"));
  // A section table said to lie far beyond the end of the file.
  package = patched_good(scratch.path() / "shoff", [](std::fstream& file) {
    write_at<uint64_t>(file, offsetof(Elf64_Ehdr, e_shoff), uint64_t{1} << 62);
  });
  loaded = load_package(package);
  REQUIRE_FALSE(loaded.ok());
  CHECK_MESSAGE(contains(loaded.error(), "truncated: the file is"), loaded.error());
  // A header the checks accept but the loader does not: the first loadable segment's address is
  // not page-aligned with its file offset. The loader's own words come back.
  package = patched_good(scratch.path() / "vaddr", [](std::fstream& file) {
    const auto header = read_at<Elf64_Ehdr>(file, 0);
    for (uint16_t i = 0; i < header.e_phnum; ++i) {
      const auto at = static_cast<std::streamoff>(header.e_phoff + i * sizeof(Elf64_Phdr));
      if (read_at<Elf64_Phdr>(file, at).p_type != PT_LOAD) continue;
      write_at<uint64_t>(file, at + offsetof(Elf64_Phdr, p_vaddr), 1);
      return;
    }
  });
  loaded = load_package(package);
  REQUIRE_FALSE(loaded.ok());
  CHECK_MESSAGE(contains(loaded.error(), "the dynamic loader refused it: "), loaded.error());
  CHECK(contains(loaded.error(), "not page-aligned"));
  CHECK_FALSE(contains(loaded.error(), "Bad file descriptor"));
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
  CatalogCheck check;
  check.cephalo_binary = test::cephalo_binary();
  const std::vector<LoadReport> reports = check_entries(scan_tentacle_folders(folders), check);
  REQUIRE(reports.size() == 4);
  int ok = 0;
  bool saw_missing = false, saw_yaml = false, saw_kind = false;
  for (const auto& report : reports) {
    ok += report.ok ? 1 : 0;
    saw_missing = saw_missing || contains(report.reason, "manifest missing");
    saw_yaml = saw_yaml || (contains(report.reason, "tentacle.yaml:") &&
                            contains(report.reason, "YAML syntax error"));
    saw_kind = saw_kind || (contains(report.reason, "kind: expected one of evaluator") &&
                            contains(report.reason, "'robot'"));
  }
  CHECK(ok == 1);
  CHECK(saw_missing);
  CHECK(saw_yaml);
  CHECK(saw_kind);
}
