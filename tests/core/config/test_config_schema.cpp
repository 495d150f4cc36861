// The declarative schema on its own: defaults, validation and suggestions for any schema.
#include <doctest/doctest.h>

#include "config/config_node.hpp"
#include "config/schema.hpp"

namespace cephalo {
namespace {

ConfigNode parse(const std::string& text) {
  std::vector<ConfigProblem> problems;
  auto node = parse_config_document(text, "t.yaml", problems);
  REQUIRE(problems.empty());
  REQUIRE(node.has_value());
  return *node;
}

// One line per key is all a new setting takes.
const Schema kSchema = object_of({
    field("ratio", number_value(0.0, 1.0), "0.5"),
    field("verbose", bool_value(), "false"),
    field("limits", object_of({field("orders", int_value(1, 10), "3")})),
    optional("extra", object_of({required("name", string_value())})),
});

TEST_CASE("defaults come from the schema, nested objects included") {
  ConfigNode node = parse("verbose: yes\n");
  fill_defaults(node, kSchema);
  std::vector<ConfigProblem> problems;
  validate(node, kSchema, "", problems);
  CHECK(problems.empty());
  REQUIRE(node.find("ratio") != nullptr);
  CHECK(node.find("ratio")->scalar == "0.5");
  CHECK(node.find("ratio")->where.file == "<built-in defaults>");
  CHECK(node.find("verbose")->scalar == "yes");
  REQUIRE(node.find("limits") != nullptr);
  CHECK(node.find("limits")->find("orders")->scalar == "3");
  CHECK(node.find("extra") == nullptr);  // optional: absent means unused
}

TEST_CASE("numbers, booleans and required keys are all checked in one pass") {
  ConfigNode node = parse("ratio: 1.5\nverbose: maybe\nlimits: 4\nextra: {}\n");
  fill_defaults(node, kSchema);
  std::vector<ConfigProblem> problems;
  validate(node, kSchema, "", problems);
  REQUIRE(problems.size() == 4);
  CHECK(problems[0].key == "ratio");
  CHECK(problems[0].message == "expected a number from 0 to 1, found '1.5'");
  CHECK(problems[1].key == "verbose");
  CHECK(problems[1].message == "expected true or false, found 'maybe'");
  CHECK(problems[2].key == "limits");
  CHECK(problems[2].message == "expected a map with the keys orders; found '4'");
  CHECK(problems[3].key == "extra.name");
  CHECK(problems[3].message == "required key 'name' is missing");
  CHECK(problems[3].where.line == 4);
}

TEST_CASE("closest_match suggests typos only") {
  const std::vector<std::string> keys = {"storage", "logging", "exchange", "mode"};
  CHECK(closest_match("storag", keys) == "storage");
  CHECK(closest_match("loging", keys) == "logging");
  CHECK(closest_match("Mode", keys) == "mode");
  CHECK(closest_match("colour", keys) == "");
  CHECK(closest_match("x", keys) == "");
}

TEST_CASE("a recursive alias is refused instead of recursing forever") {
  std::vector<ConfigProblem> problems;
  // yaml-cpp builds a cyclic graph for this; the reader refuses the alias where it is used.
  (void)parse_config_document("a: &loop [*loop]\n", "t.yaml", problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].where.line == 1);
  CHECK(problems[0].message ==
        "this alias refers to the anchor it is inside (a recursive alias); a value cannot contain "
        "itself");
}

}  // namespace
}  // namespace cephalo
