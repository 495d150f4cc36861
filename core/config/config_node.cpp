#include "config/config_node.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <utility>

#include "config/secret.hpp"

namespace cephalo {

namespace {

// Deeper than any real config; stops a recursive alias (`&a [*a]`) from recursing forever.
constexpr int kMaxDepth = 64;

// Turns yaml-cpp's 0-based marks into the 1-based locations users see. Inside a --set argument the
// "line" is the argument's ordinal and columns count from the start of the argument.
struct MarkMapper {
  std::string file;
  int fixed_line = 0;
  int column_offset = 0;

  SourceLocation at(const YAML::Mark& mark, const SourceLocation& fallback) const {
    if (mark.is_null()) return fallback;
    if (fixed_line > 0) return {file, fixed_line, column_offset + mark.column + 1};
    return {file, mark.line + 1, mark.column + 1};
  }
};

std::string describe_kind(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a map";
    default:
      return "nothing";
  }
}

ConfigNode convert(const YAML::Node& node, const MarkMapper& mapper, const SourceLocation& fallback,
                   const std::string& key_path, int depth, std::vector<ConfigProblem>& problems) {
  ConfigNode out;
  out.where = mapper.at(node.Mark(), fallback);
  if (depth > kMaxDepth) {
    problems.push_back(
        {out.where, key_path,
         "nested more than " + std::to_string(kMaxDepth) + " levels deep (a recursive alias?)"});
    return out;
  }
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      out.kind = ConfigNode::Kind::kScalar;
      out.scalar = node.Scalar();
      break;
    case YAML::NodeType::Sequence:
      out.kind = ConfigNode::Kind::kList;
      for (std::size_t i = 0; i < node.size(); ++i) {
        out.items.push_back(convert(node[i], mapper, out.where,
                                    join_key(key_path, std::to_string(i)), depth + 1, problems));
      }
      break;
    case YAML::NodeType::Map:
      out.kind = ConfigNode::Kind::kMap;
      for (auto it = node.begin(); it != node.end(); ++it) {
        const SourceLocation key_where = mapper.at(it->first.Mark(), out.where);
        if (!it->first.IsScalar()) {
          problems.push_back(
              {key_where, key_path, "a key must be plain text, found " + describe_kind(it->first)});
          continue;
        }
        const std::string key = it->first.Scalar();
        const std::string child_path = join_key(key_path, key);
        const auto previous =
            std::find_if(out.entries.begin(), out.entries.end(),
                         [&](const ConfigNode::Entry& entry) { return entry.key == key; });
        if (previous != out.entries.end()) {
          problems.push_back({key_where, child_path,
                              "key '" + key + "' is written twice (first at " +
                                  previous->key_where.to_string() + "); keep one"});
          continue;
        }
        ConfigNode value = convert(it->second, mapper, key_where, child_path, depth + 1, problems);
        // yaml-cpp marks an empty value at the next token, often the next line; the key is where
        // the user looks.
        if (value.is_null()) value.where = key_where;
        out.entries.push_back({key, key_where, std::move(value)});
      }
      break;
    default:
      break;  // Null and Undefined both mean "no value here".
  }
  return out;
}

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
  const SourceLocation top{display_name, 1, 1};
  YAML::Node document;
  try {
    document = YAML::Load(text);
  } catch (const YAML::Exception& error) {
    const SourceLocation where =
        error.mark.is_null()
            ? top
            : SourceLocation{display_name, error.mark.line + 1, error.mark.column + 1};
    problems.push_back({where, "", "YAML syntax error: " + error.msg});
    return std::nullopt;
  }
  if (document.IsNull() || !document.IsDefined()) return ConfigNode::make_map(top);
  return convert(document, MarkMapper{display_name}, top, "", 0, problems);
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
  try {
    const YAML::Node parsed = YAML::Load(value_text);
    result.value = convert(parsed, MarkMapper{file, ordinal, value_column - 1}, value_where,
                           key_text, 0, problems);
  } catch (const YAML::Exception& error) {
    const int column = error.mark.is_null() ? value_column : value_column + error.mark.column;
    problems.push_back({{file, ordinal, column}, key_text, "YAML syntax error: " + error.msg});
    return std::nullopt;
  }
  return result;
}

void merge_layer(ConfigNode& base, const ConfigNode& top) {
  if (base.is_map() && top.is_null()) return;
  if (!(base.is_map() && top.is_map())) {
    base = top;
    return;
  }
  for (const auto& entry : top.entries) {
    if (ConfigNode* existing = base.find(entry.key)) {
      merge_layer(*existing, entry.value);
      // The key now "lives" where the higher layer wrote it: that is the line to point at.
      for (auto& base_entry : base.entries) {
        if (base_entry.key == entry.key) base_entry.key_where = entry.key_where;
      }
    } else {
      base.entries.push_back(entry);
    }
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

  ConfigNode* current = &root;
  std::string walked;
  int column = 1;
  for (const auto& segment : override_arg.path) {
    const SourceLocation segment_where{file, override_arg.ordinal, column};
    column += static_cast<int>(segment.size()) + 1;
    if (current->is_null()) {
      current->kind = is_index(segment) ? ConfigNode::Kind::kList : ConfigNode::Kind::kMap;
      current->where = segment_where;
    }
    const std::string here = walked.empty() ? "the top level" : "'" + walked + "'";
    if (current->is_map()) {
      ConfigNode* child = current->find(segment);
      if (child == nullptr) {
        ConfigNode fresh;
        fresh.where = segment_where;
        current->entries.push_back({segment, segment_where, std::move(fresh)});
        child = &current->entries.back().value;
      }
      current = child;
    } else if (current->is_list()) {
      const auto index = scalar_as_int(segment);
      if (!is_index(segment) || !index) {
        problems.push_back(
            {segment_where, full_key,
             here + " is a list: address its items by number (0, 1, ...), not '" + segment + "'"});
        return;
      }
      const auto size = static_cast<long long>(current->items.size());
      if (*index > size) {
        problems.push_back({segment_where, full_key,
                            "item " + segment + " does not exist: " + here + " has " +
                                std::to_string(size) + " item(s), numbered from 0 (use " +
                                std::to_string(size) + " to add one)"});
        return;
      }
      if (*index == size) {
        ConfigNode fresh;
        fresh.where = segment_where;
        current->items.push_back(std::move(fresh));
      }
      current = &current->items[static_cast<std::size_t>(*index)];
    } else {
      problems.push_back(
          {segment_where, full_key,
           here + " holds a single value, so it has no '" + segment + "' inside it"});
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
      for (const auto& entry : node.entries) map[entry.key] = to_yaml(entry.value);
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
