// Builds the tree from yaml-cpp's parser events instead of YAML::Load: a YAML::Node shares an
// aliased node, so walking it expands aliases without a bound, looks keys up in linear time and
// recurses as deep as the text nests. Here each event is handled once, duplicate keys are found
// with a hash, and every limit is checked as the events arrive.
#include "config/yaml_reader.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <sstream>
#include <unordered_map>
#include <utility>

namespace cephalo {

namespace {

// A broken limit ends the parse at once: thrown from an event, caught in read_yaml_tree.
struct LimitBroken {
  ConfigProblem problem;
};

class TreeBuilder final : public YAML::EventHandler {
 public:
  TreeBuilder(const YamlSource& source, std::string key_path, const YamlLimits& limits,
              std::vector<ConfigProblem>& problems)
      : source_(source), root_path_(std::move(key_path)), limits_(limits), problems_(problems) {}

  std::optional<ConfigNode> take_root() { return std::move(root_); }

  SourceLocation at(const YAML::Mark& mark) const {
    if (mark.is_null()) return {source_.file, std::max(source_.fixed_line, 1), 1};
    if (source_.fixed_line > 0) {
      return {source_.file, source_.fixed_line, source_.column_offset + mark.column + 1};
    }
    return {source_.file, mark.line + 1, mark.column + 1};
  }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    ConfigNode node;
    node.where = at(mark);
    complete(std::move(node), anchor, Size{});
  }

  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string& value) override {
    complete(ConfigNode::make_scalar(value, at(mark)), anchor, Size{});
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const SourceLocation where = at(mark);
    if (anchor >= anchors_.size() || !anchors_[anchor]) {
      throw LimitBroken{{where, child_path(),
                         "this alias refers to the anchor it is inside (a recursive alias); a "
                         "value cannot contain itself"}};
    }
    const Anchored& anchored = *anchors_[anchor];
    alias_values_ += anchored.size.values;
    if (alias_values_ > limits_.max_alias_values) {
      throw LimitBroken{{where, child_path(),
                         "aliases expand to more than " + std::to_string(limits_.max_alias_values) +
                             " values in total (a \"billion laughs\" document?); write the values "
                             "out, or use fewer aliases"}};
    }
    check_depth(anchored.size.depth, where);
    ConfigNode copy = anchored.node;
    copy.where = where;  // problems about the copy point at the alias, where it was used
    complete(std::move(copy), YAML::NullAnchor, anchored.size);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(ConfigNode::Kind::kList, mark, anchor);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(ConfigNode::Kind::kMap, mark, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  // values: nodes in the subtree (itself included, so 1 for a scalar); depth: lists and maps
  // on its longest path (0 for a scalar).
  struct Size {
    std::size_t values = 1;
    int depth = 0;
  };

  struct Anchored {
    ConfigNode node;
    Size size;
  };

  // A list or map whose end has not been seen yet.
  struct Open {
    ConfigNode node;
    YAML::anchor_t anchor = YAML::NullAnchor;
    std::string key_path;
    Size size;
    // Maps: the key read and waiting for its value. A key that was refused (not plain text,
    // written twice) drops its value too, so the value is not mistaken for the next key.
    bool awaiting_value = false;
    bool drop_value = false;
    std::string key;
    SourceLocation key_where;
    std::unordered_map<std::string, std::size_t> entry_of_key;  // duplicate keys in O(1)
  };

  std::string child_path() const {
    if (open_.empty()) return root_path_;
    const Open& top = open_.back();
    if (top.node.is_list()) return join_key(top.key_path, std::to_string(top.node.items.size()));
    return top.awaiting_value ? join_key(top.key_path, top.key) : top.key_path;
  }

  void check_depth(int added, const SourceLocation& where) const {
    if (static_cast<int>(open_.size()) + added <= limits_.max_depth) return;
    throw LimitBroken{{where, child_path(),
                       "lists and maps nested more than " + std::to_string(limits_.max_depth) +
                           " levels deep (at line " + std::to_string(where.line) +
                           "); a config or manifest needs a few, so the file is likely "
                           "generated wrongly or not a config"}};
  }

  void open(ConfigNode::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
    const SourceLocation where = at(mark);
    check_depth(1, where);
    Open frame;
    frame.key_path = child_path();
    frame.node.kind = kind;
    frame.node.where = where;
    frame.anchor = anchor;
    frame.size.depth = 1;
    open_.push_back(std::move(frame));
  }

  void close() {
    Open frame = std::move(open_.back());
    open_.pop_back();
    complete(std::move(frame.node), frame.anchor, frame.size);
  }

  static std::string describe(const ConfigNode& node) {
    if (node.is_list()) return "a list";
    if (node.is_map()) return "a map";
    return "nothing";
  }

  void complete(ConfigNode node, YAML::anchor_t anchor, Size size) {
    if (anchor != YAML::NullAnchor) {
      if (anchors_.size() <= anchor) anchors_.resize(anchor + 1);
      anchors_[anchor] = Anchored{node, size};
    }
    if (open_.empty()) {
      if (!root_) root_ = std::move(node);
      return;
    }
    Open& top = open_.back();
    top.size.values += size.values;
    top.size.depth = std::max(top.size.depth, size.depth + 1);
    if (top.node.is_list()) {
      top.node.items.push_back(std::move(node));
      return;
    }
    if (!top.awaiting_value) {
      top.awaiting_value = true;
      top.drop_value = !node.is_scalar();
      if (top.drop_value) {
        problems_.push_back(
            {node.where, top.key_path, "a key must be plain text, found " + describe(node)});
        return;
      }
      top.key = std::move(node.scalar);
      top.key_where = node.where;
      const auto [first, fresh] = top.entry_of_key.emplace(top.key, top.node.entries.size());
      if (!fresh) {
        top.drop_value = true;
        problems_.push_back({top.key_where, join_key(top.key_path, top.key),
                             "key '" + top.key + "' is written twice (first at " +
                                 top.node.entries[first->second].key_where.to_string() +
                                 "); keep one"});
      }
      return;
    }
    top.awaiting_value = false;
    if (top.drop_value) return;
    // yaml-cpp marks an empty value at the next token, often the next line; the key is where
    // the user looks.
    if (node.is_null()) node.where = top.key_where;
    top.node.entries.push_back({std::move(top.key), top.key_where, std::move(node)});
  }

  const YamlSource& source_;
  std::string root_path_;
  const YamlLimits& limits_;
  std::vector<ConfigProblem>& problems_;
  std::vector<Open> open_;
  std::vector<std::optional<Anchored>> anchors_;  // by yaml-cpp's anchor number; set when complete
  std::size_t alias_values_ = 0;
  std::optional<ConfigNode> root_;
};

}  // namespace

std::optional<ConfigNode> read_yaml_tree(std::string_view text, const YamlSource& source,
                                         const std::string& key_path, const YamlLimits& limits,
                                         std::vector<ConfigProblem>& problems) {
  TreeBuilder builder(source, key_path, limits, problems);
  if (text.size() > limits.max_bytes) {
    ConfigProblem too_big;
    too_big.where = SourceLocation{source.file, source.fixed_line, 0};
    too_big.key = key_path;
    too_big.message = "is " + std::to_string(text.size()) + " bytes, more than the " +
                      std::to_string(limits.max_bytes) +
                      " a config or manifest may have; is this the right file?";
    problems.push_back(std::move(too_big));
    return std::nullopt;
  }
  // yaml-cpp reads from a stream; a copy of a few KiB is nothing next to the parse.
  std::istringstream in{std::string(text)};
  try {
    YAML::Parser parser(in);
    parser.HandleNextDocument(builder);
  } catch (const LimitBroken& broken) {
    problems.push_back(broken.problem);
    return std::nullopt;
  } catch (const YAML::Exception& error) {
    problems.push_back({builder.at(error.mark), key_path, "YAML syntax error: " + error.msg});
    return std::nullopt;
  }
  auto root = builder.take_root();
  if (!root) {
    root = ConfigNode{};
    root->where = builder.at(YAML::Mark::null_mark());
  }
  return root;
}

}  // namespace cephalo
