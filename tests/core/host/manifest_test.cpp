// Manifest parsing: every problem at once, each with its line and key.
// Thread-safety: single-threaded tests.
#include <doctest/doctest.h>

#include "host/manifest.hpp"
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
                   "name: Bad Name\n"                  // 1
                   "kind: evaluator\n"                 // 2
                   "version: one\n"                    // 3
                   "abi_major: x\n"                    // 4
                   "abi_minor: 0\n"                    // 5
                   "library: ../escape.so\n"           // 6
                   "sha256: 1234\n"                    // 7
                   "colour: blue\n"                    // 8
                   "parameters:\n"                     // 9
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
