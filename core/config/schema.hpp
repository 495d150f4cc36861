// A declarative description of what a config may hold, and the validator that checks a
// ConfigNode tree against it, collecting every problem instead of stopping at the first.
// Thread-safety: a Schema is immutable once built; all functions here are pure and re-entrant.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_node.hpp"
#include "config/problem.hpp"

namespace cephalo {

enum class ValueType { kString, kInt, kNumber, kBool, kEnum, kList, kObject, kFreeMap };

struct SchemaField;

// Describes one value. Build with the helpers below rather than by hand.
struct Schema {
  ValueType type = ValueType::kString;
  std::vector<std::string> choices;    // kEnum
  std::optional<double> min;           // kInt, kNumber, inclusive
  std::optional<double> max;           // kInt, kNumber, inclusive
  std::shared_ptr<const Schema> item;  // kList
  std::vector<SchemaField> fields;     // kObject
  // kString: an extra rule. Returns what was expected when `text` breaks it, nullopt when fine.
  std::function<std::optional<std::string>(std::string_view text)> rule;
};

enum class Presence {
  kDefaulted,  // filled from `default_yaml` (objects: from their own fields) when absent
  kRequired,   // absent is a problem
  kOptional,   // absent (or empty) means "not used"
};

struct SchemaField {
  std::string name;
  Schema schema;
  Presence presence = Presence::kDefaulted;
  std::string default_yaml;  // kDefaulted, non-objects: the default written as YAML ("1000", "[]")
};

Schema string_value();
Schema non_empty_string();
Schema string_with_rule(std::function<std::optional<std::string>(std::string_view)> rule);
Schema int_value(long long min, long long max);
Schema number_value(double min, double max);
Schema bool_value();
Schema enum_value(std::vector<std::string> choices);
Schema list_of(Schema item);
Schema object_of(std::vector<SchemaField> fields);
// Any keys, any values: tentacle params, whose types only the tentacle's manifest knows.
Schema free_form_map();

// A key with a default; for an object, leave `default_yaml` empty: its fields supply defaults.
SchemaField field(std::string name, Schema schema, std::string default_yaml = "");
SchemaField required(std::string name, Schema schema);
SchemaField optional(std::string name, Schema schema);

inline constexpr std::string_view kDefaultsFile = "<built-in defaults>";

// The built-in defaults layer: every defaulted key of `object_schema`, located in kDefaultsFile.
ConfigNode schema_defaults(const Schema& object_schema);

// Fills absent defaulted keys everywhere, including objects inside lists, which the defaults layer
// cannot reach because it does not know how many items the user will write. An empty value where
// a list, map or object belongs becomes an empty one.
void fill_defaults(ConfigNode& node, const Schema& schema);

// Appends one problem per mistake under `node`; `key_path` names `node` ("" for the root).
void validate(const ConfigNode& node, const Schema& schema, const std::string& key_path,
              std::vector<ConfigProblem>& problems);

// The candidate closest to `word` by edit distance, or "" when none is close enough to be a typo.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace cephalo
