// Manifest parsing: every problem at once, each with its line and key.
// Thread-safety: single-threaded tests.
#include "host/manifest.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <algorithm>

#include "host/catalog.hpp"
#include "package_fixture.hpp"

using namespace cephalo;

TEST_CASE("a complete manifest parses with its parameters") {
  test::ScratchDir scratch("manifest-good");
  const auto file = scratch.path() / "tentacle.yaml";
  test::write_text(file,
                   "name: demo\nkind: evaluator\nversion: 1.2.3\nabi_major: 1\nabi_minor: 0\n"
                   "library: libcephalo_demo.so\nsha256: " +
                       std::string(64, 'a') +
                       "\nparameters:\n  period: {type: integer, default: 14, min: 2, max: 50}\n"
                       "  mode: {type: string, default: fast, choices: [fast, slow]}\n");
  auto manifest = read_manifest(file);
  REQUIRE_MESSAGE(manifest.ok(), manifest.error());
  CHECK(manifest->name == "demo");
  CHECK(manifest->kind == CEPHALO_KIND_EVALUATOR);
  REQUIRE(manifest->parameters.size() == 2);
  CHECK(manifest->parameter("period")->max == 50);
  CHECK(manifest->parameter("mode")->choices.size() == 2);
  CHECK(manifest->library_path() == scratch.path() / "libcephalo_demo.so");
}

TEST_CASE("a manifest with several mistakes lists every one with its line") {
  test::ScratchDir scratch("manifest-bad");
  const auto file = scratch.path() / "tentacle.yaml";
  test::write_text(file,
                   "name: Bad Name\n"                                 // 1
                   "kind: evaluator\n"                                // 2
                   "version: one\n"                                   // 3
                   "abi_major: x\n"                                   // 4
                   "abi_minor: 0\n"                                   // 5
                   "library: ../escape.so\n"                          // 6
                   "sha256: 1234\n"                                   // 7
                   "colour: blue\n"                                   // 8
                   "parameters:\n"                                    // 9
                   "  period: {type: integer, default: 1, min: 2}\n"  // 10
                   "  speed: {type: fast, default: 1}\n");            // 11
  auto manifest = read_manifest(file);
  REQUIRE_FALSE(manifest.ok());
  const std::string& error = manifest.error();
  const std::string prefix = file.string() + ":";
  for (const std::string& expected :
       {prefix + "1:7: name:", prefix + "3:10: version:", prefix + "4:12: abi_major:",
        prefix + "6:10: library:", prefix + "7:9: sha256:", prefix + "8:1: colour: unknown",
        prefix + "10:", prefix + "11:"}) {
    CHECK_MESSAGE(error.find(expected) != std::string::npos, expected, " not in:\n", error);
  }
  CHECK(error.find("parameters.period.default: expected a value in [2, inf], found 1") !=
        std::string::npos);
  CHECK(error.find("parameters.speed.type") != std::string::npos);
}

TEST_CASE("a missing manifest says so") {
  auto manifest = read_manifest("/nonexistent/tentacle.yaml");
  REQUIRE_FALSE(manifest.ok());
  CHECK(manifest.error().find("manifest missing") != std::string::npos);
}

// Issue 20's bad-input audit, findings 1, 4, 5, 6 and 9: each input that aborted, hung or was
// accepted before is a clear refusal of that one manifest now.
namespace {

const std::string kGoodHead =
    "name: demo\nkind: evaluator\nversion: 1.2.3\nabi_major: 1\n"
    "abi_minor: 0\nlibrary: libcephalo_demo.so\nsha256: " +
    std::string(64, 'a') + "\n";

std::string refusal_of(const std::string& text) {
  test::ScratchDir scratch("manifest-refused");
  const auto file = scratch.path() / "tentacle.yaml";
  test::write_text(file, text);
  auto manifest = read_manifest(file);
  REQUIRE_FALSE(manifest.ok());
  const std::string prefix = file.string() + ":";
  // Every line names the file (the caller shows which package was refused).
  std::string error = manifest.error();
  CHECK(error.rfind(prefix, 0) == 0);
  size_t at = 0;
  while ((at = error.find(prefix, at)) != std::string::npos) error.replace(at, prefix.size(), "M:");
  return error;
}

}  // namespace

TEST_CASE("regression: audit 1, non-scalar manifest fields are refused, not an abort") {
  // Before: each threw YAML::TypedBadConversion out of read_manifest (exit 134).
  CHECK(refusal_of(kGoodHead + "description: {a: 1}\n") ==
        "M:8:14: description: expected text, found a map");
  CHECK(refusal_of(kGoodHead + "author: [a, b]\n") == "M:8:9: author: expected text, found a list");
  CHECK(refusal_of(kGoodHead + "{a: 1}: x\n") == "M:8:1: a key must be plain text, found a map");
  CHECK(refusal_of(kGoodHead +
                   "parameters:\n  mode: {type: string, default: a, choices: [a, {b: 1}]}\n") ==
        "M:9:49: parameters.mode.choices.1: expected a string, found a map");
  CHECK(refusal_of(kGoodHead +
                   "parameters:\n  period: {type: integer, default: 3, description: [x]}\n") ==
        "M:9:52: parameters.period.description: expected text, found a list");
  CHECK(refusal_of(kGoodHead + "parameters:\n  period: {type: integer, default: 3, min: [1]}\n") ==
        "M:9:44: parameters.period.min: expected a number, found a list");
  CHECK(refusal_of(kGoodHead + "parameters:\n  [p]: {type: integer, default: 3}\n") ==
        "M:9:3: parameters: a key must be plain text, found a list");
}

TEST_CASE("regression: audit 9, duplicate keys in a manifest are refused") {
  // Before: the first `name` won silently.
  CHECK(refusal_of(kGoodHead + "name: other\n") ==
        "M:8:1: name: key 'name' is written twice (first at M:1:1); keep one");
  CHECK(refusal_of(
            kGoodHead +
            "parameters:\n  p: {type: integer, default: 3}\n  p: {type: number, default: 1}\n") ==
        "M:10:3: parameters.p: key 'p' is written twice (first at M:9:3); keep one");
}

TEST_CASE("regression: audit 4, a billion-laughs manifest is refused") {
  std::string text = kGoodHead + "x0: &a0 [l, l, l, l, l, l, l, l, l, l]\n";
  for (int level = 1; level <= 9; ++level) {
    const std::string previous = "*a" + std::to_string(level - 1);
    text += "x" + std::to_string(level) + ": &a" + std::to_string(level) + " [";
    for (int i = 0; i < 10; ++i) text += (i ? ", " : "") + previous;
    text += "]\n";
  }
  const std::string error = refusal_of(text);
  CHECK(error.find("M:12:45: x4.7:") == 0);  // x4's 10 copies of x3 pass 10^5 values
  CHECK(error.find("aliases expand to more than 100000 values in total") != std::string::npos);
}

TEST_CASE("regression: audit 4, a manifest over 1 MiB or nested 10k deep is refused") {
  CHECK(refusal_of(kGoodHead + "# " + std::string(1u << 20, 'x') + "\n")
            .find("M: is 1048748 bytes, more than the 1048576 a manifest may have") == 0);
  const std::string deep = refusal_of(kGoodHead + "description: " + std::string(10'000, '[') +
                                      std::string(10'000, ']') + "\n");
  CHECK(deep.find("nested more than 64 levels deep (at line 8)") != std::string::npos);
}

TEST_CASE("regression: audit 5, 100k unknown keys: linear, and at most 50 problems listed") {
  // The audit's 900k keys (52 s, 1 GB, ~70 MB of errors) are over the 1 MiB cap now; 100k fit.
  std::string text = kGoodHead;
  for (int i = 0; i < 100'000; ++i) text += "k" + std::to_string(i) + ": 1\n";
  const std::string error = refusal_of(text);
  CHECK(std::count(error.begin(), error.end(), '\n') == 50);
  CHECK(error.find("M:8:1: k0: unknown manifest field\n") == 0);
  CHECK(error.substr(error.rfind('\n') + 1) ==
        "M: 99950 more problems not listed; fix the ones above first");
}

TEST_CASE("regression: audit 6, a FIFO or device as tentacle.yaml is refused at once") {
  test::ScratchDir scratch("manifest-fifo");
  const auto fifo = scratch.path() / "tentacle.yaml";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  auto manifest = read_manifest(fifo);  // before: blocked for a writer
  REQUIRE_FALSE(manifest.ok());
  CHECK(manifest.error().find(": is a FIFO (named pipe), expected a tentacle.yaml manifest") !=
        std::string::npos);
  const auto link = scratch.path() / "zero" / "tentacle.yaml";
  std::filesystem::create_directories(link.parent_path());
  std::filesystem::create_symlink("/dev/zero", link);
  manifest = read_manifest(link);
  REQUIRE_FALSE(manifest.ok());
  CHECK(manifest.error().find("is a symlink to /dev/zero, a character device") !=
        std::string::npos);
}

TEST_CASE(
    "regression: audit 1, one broken manifest in a tentacle folder refuses that package only") {
  // Before: scanning the folder aborted `tentacles list`, `backtest`, `config validate` and a
  // running bot that did not even use the package.
  test::ScratchDir scratch("manifest-folder");
  const auto user = scratch.path() / "user";
  std::filesystem::create_directories(user / "evaluators" / "broken");
  std::filesystem::create_directories(user / "evaluators" / "demo");
  test::write_text(user / "evaluators" / "broken" / "tentacle.yaml",
                   kGoodHead + "description: {a: 1}\n");
  test::write_text(user / "evaluators" / "demo" / "tentacle.yaml", kGoodHead);
  TentacleFolders folders;
  folders.user = user;
  const auto entries = scan_tentacle_folders(folders);
  REQUIRE(entries.size() == 2);
  int refused = 0;
  for (const auto& entry : entries) {
    if (entry.manifest_file.parent_path().filename() == "broken") {
      ++refused;
      CHECK_FALSE(entry.manifest.has_value());
      CHECK(entry.problem.find("manifest invalid: " + entry.manifest_file.string() +
                               ":8:14: description: expected text, found a map") == 0);
    } else {
      CHECK(entry.manifest.has_value());
      CHECK(entry.problem.empty());
    }
  }
  CHECK(refused == 1);
}
