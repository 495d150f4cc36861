#include "config/config_node.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <unordered_map>
#include <utility>

#include "config/secret.hpp"
#include "config/yaml_reader.hpp"
#include "model/cat.hpp"

namespace cephalo {

namespace {

std::string trim(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  const auto end = text.find_last_not_of(" \t");
  return std::string(text.substr(begin, end - begin + 1));
}

bool is_index(std::string_view segment) {
  return !segment.empty() && std::all_of(segment.begin(), segment.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

}  // namespace

const ConfigNode* ConfigNode::find(std::string_view key) const {
  for (const auto& entry : entries) {
    if (entry.key == key) return &entry.value;
  }
  return nullptr;
}

ConfigNode* ConfigNode::find(std::string_view key) {
  for (auto& entry : entries) {
    if (entry.key == key) return &entry.value;
  }
  return nullptr;
}

ConfigNode ConfigNode::make_map(SourceLocation where) {
  ConfigNode node;
  node.kind = Kind::kMap;
  node.where = std::move(where);
  return node;
}

ConfigNode ConfigNode::make_scalar(std::string text, SourceLocation where) {
  ConfigNode node;
  node.kind = Kind::kScalar;
  node.scalar = std::move(text);
  node.where = std::move(where);
  return node;
}

const ConfigNode* ConfigNode::find_path(std::string_view path) const {
  const ConfigNode* node = this;
  while (node != nullptr && !path.empty()) {
    const size_t dot = path.find('.');
    const std::string_view part = path.substr(0, dot);
    if (node->is_list()) {
      // A list item by its index, as problems name them ("market.feeds.0.file").
      const auto index = scalar_as_int(part);
      node = index && *index >= 0 && static_cast<size_t>(*index) < node->items.size()
                 ? &node->items[static_cast<size_t>(*index)]
                 : nullptr;
    } else {
      node = node->find(part);
    }
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  }
  return node;
}

std::optional<long long> scalar_as_int(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  long long value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end) return std::nullopt;
  return value;
}

std::optional<double> scalar_as_number(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<bool> scalar_as_bool(std::string_view text) {
  std::string word(text);
  std::transform(word.begin(), word.end(), word.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (word == "true" || word == "yes" || word == "on") return true;
  if (word == "false" || word == "no" || word == "off") return false;
  return std::nullopt;
}

std::optional<ConfigNode> parse_config_document(const std::string& text,
                                                const std::string& display_name,
                                                std::vector<ConfigProblem>& problems) {
  auto document = read_yaml_tree(text, YamlSource{display_name}, "", YamlLimits{}, problems);
  if (document && document->is_null()) return ConfigNode::make_map({display_name, 1, 1});
  return document;
}

std::optional<ConfigOverride> parse_override(const std::string& argument, int ordinal,
                                             std::vector<ConfigProblem>& problems) {
  const std::string file(kOverrideFile);
  const SourceLocation argument_start{file, ordinal, 1};
  const auto equals = argument.find('=');
  if (equals == std::string::npos) {
    // Echo the argument only when it cannot be a secret pasted without its '='.
    const std::string shown = is_secret_key(argument) ? std::string(kRedacted) : argument;
    problems.push_back(
        {argument_start, "",
         "expected key.path=value (e.g. storage.batch_size=500), found '" + shown + "'"});
    return std::nullopt;
  }

  ConfigOverride result;
  result.argument = argument;
  result.ordinal = ordinal;
  const std::string key_text = trim(std::string_view(argument).substr(0, equals));
  std::size_t start = 0;
  while (true) {
    const auto dot = key_text.find('.', start);
    result.path.push_back(key_text.substr(start, dot == std::string::npos ? dot : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (key_text.empty() || std::any_of(result.path.begin(), result.path.end(),
                                      [](const std::string& segment) { return segment.empty(); })) {
    problems.push_back({argument_start, key_text,
                        "expected a dotted key path before '=' (e.g. storage.batch_size), found '" +
                            key_text + "'"});
    return std::nullopt;
  }

  const int value_column = static_cast<int>(equals) + 2;
  const std::string value_text = argument.substr(equals + 1);
  const SourceLocation value_where{file, ordinal, value_column};
  if (trim(value_text).empty()) {
    // `--set logging.file=` reads as "set it to the empty string", which is what users mean.
    result.value = ConfigNode::make_scalar("", value_where);
    return result;
  }
  auto parsed = read_yaml_tree(value_text, YamlSource{file, ordinal, value_column - 1}, key_text,
                               YamlLimits{}, problems);
  if (!parsed) return std::nullopt;
  result.value = std::move(*parsed);
  return result;
}

void merge_layer(ConfigNode& base, const ConfigNode& top) {
  if (base.is_map() && top.is_null()) return;
  if (!(base.is_map() && top.is_map())) {
    base = top;
    return;
  }
  // Indexed once, so merging a map of n keys is linear, not n lookups of a growing list.
  std::unordered_map<std::string, std::size_t> entry_of_key;
  entry_of_key.reserve(base.entries.size() + top.entries.size());
  for (std::size_t i = 0; i < base.entries.size(); ++i)
    entry_of_key.emplace(base.entries[i].key, i);
  for (const auto& entry : top.entries) {
    const auto [at, fresh] = entry_of_key.emplace(entry.key, base.entries.size());
    if (fresh) {
      base.entries.push_back(entry);
      continue;
    }
    ConfigNode::Entry& existing = base.entries[at->second];
    merge_layer(existing.value, entry.value);
    // The key now "lives" where the higher layer wrote it: that is the line to point at.
    existing.key_where = entry.key_where;
  }
}

void apply_override(ConfigNode& root, const ConfigOverride& override_arg,
                    std::vector<ConfigProblem>& problems) {
  const std::string file(kOverrideFile);
  const std::string full_key = [&] {
    std::string key;
    for (const auto& segment : override_arg.path) key = join_key(key, segment);
    return key;
  }();
  // `key=null` removes the key (a defaulted one gets its default back), so nothing is created on
  // the way to it.
  const bool remove = override_arg.value.is_null();

  ConfigNode* current = &root;
  std::string walked;
  int column = 1;
  for (std::size_t depth = 0; depth < override_arg.path.size(); ++depth) {
    const std::string& segment = override_arg.path[depth];
    const bool last = depth + 1 == override_arg.path.size();
    const SourceLocation segment_where{file, override_arg.ordinal, column};
    column += static_cast<int>(segment.size()) + 1;
    if (current->is_null()) {
      if (remove) return;
      current->kind = is_index(segment) ? ConfigNode::Kind::kList : ConfigNode::Kind::kMap;
      current->where = segment_where;
    }
    const std::string here = walked.empty() ? "the top level" : "'" + walked + "'";
    if (current->is_map()) {
      ConfigNode* child = current->find(segment);
      if (remove && last) {
        std::erase_if(current->entries,
                      [&](const ConfigNode::Entry& entry) { return entry.key == segment; });
        return;
      }
      if (child == nullptr) {
        if (remove) return;
        ConfigNode fresh;
        fresh.where = segment_where;
        current->entries.push_back({segment, segment_where, std::move(fresh)});
        child = &current->entries.back().value;
      }
      current = child;
    } else if (current->is_list()) {
      const auto index = scalar_as_int(segment);
      if (!is_index(segment) || !index) {
        problems.push_back({segment_where, full_key,
                            cat(here, " is a list: address its items by number (0, 1, ...), not '",
                                segment, "'")});
        return;
      }
      const auto size = static_cast<long long>(current->items.size());
      if (*index > size || (remove && *index == size)) {
        problems.push_back(
            {segment_where, full_key,
             cat("item ", segment, " does not exist: ", here, " has ", std::to_string(size),
                 " item(s), numbered from 0",
                 remove ? std::string() : cat(" (use ", std::to_string(size), " to add one)"))});
        return;
      }
      const auto item = static_cast<std::size_t>(*index);
      if (last) {
        // A list item is replaced whole: merging `{tentacle: b}` into an item that held
        // tentacle a's params would hand b parameters it never declared.
        if (remove) {
          current->items.erase(current->items.begin() + static_cast<std::ptrdiff_t>(item));
        } else if (item == current->items.size()) {
          current->items.push_back(override_arg.value);
        } else {
          current->items[item] = override_arg.value;
        }
        return;
      }
      if (item == current->items.size()) {
        ConfigNode fresh;
        fresh.where = segment_where;
        current->items.push_back(std::move(fresh));
      }
      current = &current->items[item];
    } else {
      if (remove) return;
      problems.push_back(
          {segment_where, full_key,
           cat(here, " holds a single value, so it has no '", segment, "' inside it")});
      return;
    }
    walked = join_key(walked, segment);
  }
  merge_layer(*current, override_arg.value);
}

YAML::Node to_yaml(const ConfigNode& node) {
  switch (node.kind) {
    case ConfigNode::Kind::kScalar:
      return YAML::Node(node.scalar);
    case ConfigNode::Kind::kList: {
      YAML::Node list(YAML::NodeType::Sequence);
      for (const auto& item : node.items) list.push_back(to_yaml(item));
      return list;
    }
    case ConfigNode::Kind::kMap: {
      YAML::Node map(YAML::NodeType::Map);
      // force_insert: the keys are unique already, and operator[] would search them all each time.
      for (const auto& entry : node.entries) map.force_insert(entry.key, to_yaml(entry.value));
      return map;
    }
    case ConfigNode::Kind::kNull:
      break;
  }
  return YAML::Node(YAML::NodeType::Null);
}

std::string to_flow_text(const ConfigNode& node) {
  if (node.is_scalar()) return node.scalar;
  if (node.is_null()) return "";
  YAML::Emitter emitter;
  emitter.SetMapFormat(YAML::Flow);
  emitter.SetSeqFormat(YAML::Flow);
  emitter << to_yaml(node);
  return emitter.c_str();
}

std::string join_key(const std::string& parent, std::string_view child) {
  if (parent.empty()) return std::string(child);
  return parent + "." + std::string(child);
}

}  // namespace cephalo
