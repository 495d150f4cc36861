// A YAML document as a tree that remembers where each key and value was written, so layers
// (defaults, file, --set) can be merged while every problem still names its file:line:column.
// Thread-safety: plain values; the free functions are pure and may run concurrently.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/problem.hpp"

namespace cephalo {

struct ConfigNode {
  enum class Kind { kNull, kScalar, kList, kMap };
  struct Entry;

  Kind kind = Kind::kNull;
  std::string scalar;             // kScalar: the text as written, without quotes
  std::vector<ConfigNode> items;  // kList
  std::vector<Entry> entries;     // kMap, in the order written (yaml-cpp keeps it, so do we)
  SourceLocation where;           // of the value

  bool is_null() const { return kind == Kind::kNull; }
  bool is_scalar() const { return kind == Kind::kScalar; }
  bool is_list() const { return kind == Kind::kList; }
  bool is_map() const { return kind == Kind::kMap; }

  const ConfigNode* find(std::string_view key) const;
  // A dotted path of map keys ("risk.position.stop_loss_fraction"); nullptr when absent.
  const ConfigNode* find_path(std::string_view path) const;
  ConfigNode* find(std::string_view key);

  static ConfigNode make_map(SourceLocation where);
  static ConfigNode make_scalar(std::string text, SourceLocation where);
};

struct ConfigNode::Entry {
  std::string key;
  SourceLocation key_where;
  ConfigNode value;
};

// Scalar readings shared by the validator and the extractor, so both agree on what "42" means.
std::optional<long long> scalar_as_int(std::string_view text);
std::optional<double> scalar_as_number(std::string_view text);
std::optional<bool> scalar_as_bool(std::string_view text);  // true/false, yes/no, on/off, any case

// Parses one YAML document within YamlLimits (yaml_reader.hpp). On a syntax error or a broken
// limit returns nullopt and adds a problem at the place; an empty document is an empty map.
// Duplicate keys are problems (yaml-cpp would silently keep the first, hiding the line the user
// actually edited).
std::optional<ConfigNode> parse_config_document(const std::string& text,
                                                const std::string& display_name,
                                                std::vector<ConfigProblem>& problems);

// One `--set key.path=value` argument. `ordinal` counts the --set arguments from 1 and becomes the
// line of every location inside it, so problems say which argument is at fault.
struct ConfigOverride {
  std::string argument;           // as given, without the "--set " prefix
  std::vector<std::string> path;  // "pipeline.evaluators.0.params.period" split at '.'
  ConfigNode value;
  int ordinal = 0;
};

inline constexpr std::string_view kOverrideFile = "--set";

std::optional<ConfigOverride> parse_override(const std::string& argument, int ordinal,
                                             std::vector<ConfigProblem>& problems);

// Layering rule: maps merge key by key; anything else in `top` replaces what `base` had (a list
// in a file means "exactly these", not "these as well"). An empty value over a map keeps the map,
// because `storage:` with nothing under it means "nothing to change here".
void merge_layer(ConfigNode& base, const ConfigNode& top);

// Walks the override's path (creating maps, appending to a list at index == size) and puts its
// value there: merged key by key into a map (`risk.position={stop_loss_fraction: 0.02}` keeps the
// other position keys), but replacing a list item whole (`pipeline.strategies.0={tentacle: b}`
// drops the old item's params) and anything else whole (`pipeline.strategies=[...]`). A null
// value (`key=null`, `key=~`) removes the key or list item, so a defaulted key gets its default
// back. Reports a path that cannot exist (indexing into a scalar, past the end of a list).
void apply_override(ConfigNode& root, const ConfigOverride& override_arg,
                    std::vector<ConfigProblem>& problems);

YAML::Node to_yaml(const ConfigNode& node);

// The scalar text as written, or YAML flow text ("[1, 2]", "{a: 1}") for a list or map.
std::string to_flow_text(const ConfigNode& node);

// "key.path" + "child" with the dot only when needed.
std::string join_key(const std::string& parent, std::string_view child);

}  // namespace cephalo
