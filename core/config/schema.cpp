#include "config/schema.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "config/secret.hpp"

namespace cephalo {

namespace {

std::string format_bound(double value) {
  if (std::floor(value) == value && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<long long>(value));
  }
  std::ostringstream out;
  out << value;
  return out.str();
}

std::string join(const std::vector<std::string>& words, std::string_view separator) {
  std::string out;
  for (const auto& word : words) {
    if (!out.empty()) out += separator;
    out += word;
  }
  return out;
}

// What was found, for "expected X, found Y". Never echoes a value whose key names a secret, and
// clips long values so one bad line cannot flood the report.
std::string describe_found(const ConfigNode& node, const std::string& key_path) {
  switch (node.kind) {
    case ConfigNode::Kind::kNull:
      return "nothing";
    case ConfigNode::Kind::kList:
      return "a list";
    case ConfigNode::Kind::kMap:
      return "a map";
    case ConfigNode::Kind::kScalar:
      break;
  }
  if (is_secret_key(key_path)) return "a value (not shown: the key holds a secret)";
  if (node.scalar.empty()) return "an empty string";
  constexpr std::size_t kMaxShown = 60;
  if (node.scalar.size() > kMaxShown) return "'" + node.scalar.substr(0, kMaxShown) + "...'";
  return "'" + node.scalar + "'";
}

std::vector<std::string> field_names(const Schema& schema) {
  std::vector<std::string> names;
  for (const auto& entry : schema.fields) names.push_back(entry.name);
  return names;
}

// Where else in the schema a key of this name is known (through objects only), so a key written
// one level too high gets "did you mean 'market.feeds'?".
void find_elsewhere(const Schema& schema, const std::string& prefix, std::string_view name,
                    std::vector<std::string>& out) {
  for (const auto& entry : schema.fields) {
    const std::string path = join_key(prefix, entry.name);
    if (entry.name == name) out.push_back(path);
    if (entry.schema.type == ValueType::kObject) find_elsewhere(entry.schema, path, name, out);
  }
}

void reset_locations(ConfigNode& node, const SourceLocation& where) {
  node.where = where;
  for (auto& item : node.items) reset_locations(item, where);
  for (auto& entry : node.entries) {
    entry.key_where = where;
    reset_locations(entry.value, where);
  }
}

struct Validator {
  const Schema& root;
  std::vector<ConfigProblem>& problems;

  void report(const SourceLocation& where, const std::string& key, std::string message) {
    problems.push_back({where, key, std::move(message)});
  }

  void check(const ConfigNode& node, const Schema& schema, const std::string& key) {
    switch (schema.type) {
      case ValueType::kString:
        check_string(node, schema, key);
        break;
      case ValueType::kInt:
      case ValueType::kNumber:
        check_number(node, schema, key);
        break;
      case ValueType::kBool:
        if (!node.is_scalar() || !scalar_as_bool(node.scalar)) {
          report(node.where, key, "expected true or false, found " + describe_found(node, key));
        }
        break;
      case ValueType::kEnum:
        check_enum(node, schema, key);
        break;
      case ValueType::kList:
        if (!node.is_list()) {
          report(node.where, key, "expected a list, found " + describe_found(node, key));
          break;
        }
        for (std::size_t i = 0; i < node.items.size(); ++i) {
          check(node.items[i], *schema.item, join_key(key, std::to_string(i)));
        }
        break;
      case ValueType::kObject:
        check_object(node, schema, key);
        break;
      case ValueType::kFreeMap:
        if (!node.is_map()) {
          report(node.where, key,
                 "expected a map of name: value pairs, found " + describe_found(node, key));
        }
        break;
    }
  }

  void check_string(const ConfigNode& node, const Schema& schema, const std::string& key) {
    if (!node.is_scalar()) {
      std::string message = "expected a string, found " + describe_found(node, key);
      if (node.is_null()) message += " (write \"\" for an empty string)";
      report(node.where, key, std::move(message));
      return;
    }
    if (!schema.rule) return;
    if (const auto expected = schema.rule(node.scalar)) {
      report(node.where, key, "expected " + *expected + ", found " + describe_found(node, key));
    }
  }

  void check_number(const ConfigNode& node, const Schema& schema, const std::string& key) {
    const bool integer = schema.type == ValueType::kInt;
    const std::string what = integer ? "an integer" : "a number";
    std::optional<double> value;
    if (node.is_scalar()) {
      if (integer) {
        if (const auto parsed = scalar_as_int(node.scalar)) value = static_cast<double>(*parsed);
      } else {
        value = scalar_as_number(node.scalar);
      }
    }
    const bool below = value && schema.min && *value < *schema.min;
    const bool above = value && schema.max && *value > *schema.max;
    if (value && !below && !above) return;
    std::string expected = what;
    if (schema.min && schema.max) {
      expected += " from " + format_bound(*schema.min) + " to " + format_bound(*schema.max);
    } else if (schema.min) {
      expected += " of at least " + format_bound(*schema.min);
    } else if (schema.max) {
      expected += " of at most " + format_bound(*schema.max);
    }
    report(node.where, key, "expected " + expected + ", found " + describe_found(node, key));
  }

  void check_enum(const ConfigNode& node, const Schema& schema, const std::string& key) {
    if (node.is_scalar() && std::find(schema.choices.begin(), schema.choices.end(), node.scalar) !=
                                schema.choices.end()) {
      return;
    }
    std::string message =
        "expected one of " + join(schema.choices, ", ") + "; found " + describe_found(node, key);
    if (node.is_scalar()) {
      const std::string guess = closest_match(node.scalar, schema.choices);
      if (!guess.empty()) message += "; did you mean '" + guess + "'?";
    }
    report(node.where, key, std::move(message));
  }

  void check_object(const ConfigNode& node, const Schema& schema, const std::string& key) {
    const std::vector<std::string> known = field_names(schema);
    if (!node.is_map()) {
      report(node.where, key,
             "expected a map with the keys " + join(known, ", ") + "; found " +
                 describe_found(node, key));
      return;
    }
    for (const auto& entry : node.entries) {
      const std::string child_key = join_key(key, entry.key);
      const auto spec =
          std::find_if(schema.fields.begin(), schema.fields.end(),
                       [&](const SchemaField& candidate) { return candidate.name == entry.key; });
      if (spec == schema.fields.end()) {
        report(entry.key_where, child_key, unknown_key_message(entry.key, key, known));
        continue;
      }
      if (spec->presence == Presence::kOptional && entry.value.is_null()) continue;
      check(entry.value, spec->schema, child_key);
    }
    for (const auto& spec : schema.fields) {
      if (spec.presence == Presence::kRequired && node.find(spec.name) == nullptr) {
        report(node.where, join_key(key, spec.name), "required key '" + spec.name + "' is missing");
      }
    }
  }

  std::string unknown_key_message(const std::string& name, const std::string& parent_key,
                                  const std::vector<std::string>& known) {
    std::string message = "unknown key '" + name + "'";
    const std::string guess = closest_match(name, known);
    if (!guess.empty()) return message + "; did you mean '" + guess + "'?";
    std::vector<std::string> elsewhere;
    find_elsewhere(root, "", name, elsewhere);
    if (!elsewhere.empty()) return message + "; did you mean '" + elsewhere.front() + "'?";
    const std::string where = parent_key.empty() ? "at the top level" : "in '" + parent_key + "'";
    return message + "; the keys allowed " + where + " are " + join(known, ", ");
  }
};

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

Schema string_value() {
  return Schema{};
}

Schema non_empty_string() {
  return string_with_rule([](std::string_view text) -> std::optional<std::string> {
    if (text.empty()) return std::string("a non-empty string");
    return std::nullopt;
  });
}

Schema string_with_rule(std::function<std::optional<std::string>(std::string_view)> rule) {
  Schema schema;
  schema.rule = std::move(rule);
  return schema;
}

Schema int_value(long long min, long long max) {
  Schema schema;
  schema.type = ValueType::kInt;
  schema.min = static_cast<double>(min);
  schema.max = static_cast<double>(max);
  return schema;
}

Schema number_value(double min, double max) {
  Schema schema;
  schema.type = ValueType::kNumber;
  schema.min = min;
  schema.max = max;
  return schema;
}

Schema bool_value() {
  Schema schema;
  schema.type = ValueType::kBool;
  return schema;
}

Schema enum_value(std::vector<std::string> choices) {
  Schema schema;
  schema.type = ValueType::kEnum;
  schema.choices = std::move(choices);
  return schema;
}

Schema list_of(Schema item) {
  Schema schema;
  schema.type = ValueType::kList;
  schema.item = std::make_shared<const Schema>(std::move(item));
  return schema;
}

Schema object_of(std::vector<SchemaField> fields) {
  Schema schema;
  schema.type = ValueType::kObject;
  schema.fields = std::move(fields);
  return schema;
}

Schema free_form_map() {
  Schema schema;
  schema.type = ValueType::kFreeMap;
  return schema;
}

SchemaField field(std::string name, Schema schema, std::string default_yaml) {
  return {std::move(name), std::move(schema), Presence::kDefaulted, std::move(default_yaml)};
}

SchemaField required(std::string name, Schema schema) {
  return {std::move(name), std::move(schema), Presence::kRequired, ""};
}

SchemaField optional(std::string name, Schema schema) {
  return {std::move(name), std::move(schema), Presence::kOptional, ""};
}

ConfigNode schema_defaults(const Schema& object_schema) {
  ConfigNode root = ConfigNode::make_map({std::string(kDefaultsFile), 0, 0});
  fill_defaults(root, object_schema);
  return root;
}

void fill_defaults(ConfigNode& node, const Schema& schema) {
  const SourceLocation defaults_where{std::string(kDefaultsFile), 0, 0};
  switch (schema.type) {
    case ValueType::kList:
      if (node.is_null()) node.kind = ConfigNode::Kind::kList;
      for (auto& item : node.items) fill_defaults(item, *schema.item);
      return;
    case ValueType::kFreeMap:
      if (node.is_null()) node.kind = ConfigNode::Kind::kMap;
      return;
    case ValueType::kObject:
      break;
    default:
      return;
  }
  if (node.is_null()) node.kind = ConfigNode::Kind::kMap;
  if (!node.is_map()) return;  // the validator reports it
  for (const auto& spec : schema.fields) {
    if (ConfigNode* present = node.find(spec.name)) {
      if (!(spec.presence == Presence::kOptional && present->is_null())) {
        fill_defaults(*present, spec.schema);
      }
      continue;
    }
    if (spec.presence != Presence::kDefaulted) continue;
    ConfigNode value;
    value.where = defaults_where;
    if (!spec.default_yaml.empty()) {
      std::vector<ConfigProblem> problems;
      auto parsed = parse_config_document(spec.default_yaml, std::string(kDefaultsFile), problems);
      if (!parsed || !problems.empty()) {
        // A broken built-in default is a programming error, found by the first test that loads.
        throw std::logic_error("config schema: bad default for '" + spec.name +
                               "': " + spec.default_yaml);
      }
      value = std::move(*parsed);
      reset_locations(value, defaults_where);
    }
    fill_defaults(value, spec.schema);
    node.entries.push_back({spec.name, defaults_where, std::move(value)});
  }
}

void validate(const ConfigNode& node, const Schema& schema, const std::string& key_path,
              std::vector<ConfigProblem>& problems) {
  Validator{schema, problems}.check(node, schema, key_path);
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::string::npos;
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  // A third of the word may be mistyped (at least one letter, at most three), but never the whole.
  const std::size_t allowed = std::clamp<std::size_t>(best.size() / 3, 1, 3);
  if (best.empty() || best_distance > allowed || best_distance >= word.size()) return "";
  return best;
}

}  // namespace cephalo
