// Manifest validation over the config's bounded YAML tree (the same limits, duplicate-key and
// plain-key rules as a config), so every problem names its line and key and no field of any
// shape can abort the process. Thread-safety: pure functions.
#include "host/manifest.hpp"

#include <charconv>
#include <regex>
#include <set>

#include "config/config_node.hpp"
#include "config/yaml_reader.hpp"
#include "host/parameter_value.hpp"
#include "model/market.hpp"
#include "model/regular_file.hpp"

namespace cephalo {

namespace {

// A tentacle.yaml is a few dozen lines; 1 MiB is far past any real one.
constexpr std::size_t kMaxManifestBytes = std::size_t{1} << 20;
// Past this many problems a file is broken as a whole; the first ones say why.
constexpr std::size_t kMaxListedProblems = 50;
// Fields checked with a pattern are short; a longer one is refused before the pattern runs
// (std::regex recurses per character, and a 1 MB "name" must not exhaust the stack).
constexpr std::size_t kMaxPatternFieldChars = 256;
constexpr std::size_t kMaxEchoedChars = 60;

class ProblemList {
 public:
  explicit ProblemList(std::string file) : file_(std::move(file)) {}
  void add(const SourceLocation& where, const std::string& key, const std::string& message) {
    if (listed_ >= kMaxListedProblems) {
      ++unlisted_;
      return;
    }
    ++listed_;
    const ConfigProblem problem{where, key, message};
    text_ += (text_.empty() ? "" : "\n") + problem.to_string();
  }
  void add_all(const std::vector<ConfigProblem>& problems) {
    for (const auto& problem : problems) add(problem.where, problem.key, problem.message);
  }
  bool empty() const { return listed_ == 0; }
  std::string text() const {
    if (unlisted_ == 0) return text_;
    return text_ + "\n" + file_ + ": " + std::to_string(unlisted_) +
           " more problems not listed; fix the ones above first";
  }

 private:
  std::string file_;
  std::string text_;
  std::size_t listed_ = 0;
  std::size_t unlisted_ = 0;
};

std::string describe(const ConfigNode& node) {
  if (node.is_list()) return "a list";
  if (node.is_map()) return "a map";
  if (node.is_null()) return "nothing";
  return "'" + node.scalar.substr(0, kMaxEchoedChars) +
         (node.scalar.size() > kMaxEchoedChars ? "...'" : "'");
}

std::optional<uint16_t> small_unsigned(const ConfigNode& node) {
  if (!node.is_scalar()) return std::nullopt;
  const std::string& text = node.scalar;
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value > 65535) return std::nullopt;
  return static_cast<uint16_t>(value);
}

std::optional<ParameterType> parameter_type_from(const std::string& text) {
  if (text == "integer") return ParameterType::kInteger;
  if (text == "number") return ParameterType::kNumber;
  if (text == "bool") return ParameterType::kBool;
  if (text == "string") return ParameterType::kString;
  return std::nullopt;
}

// A free-text field (description, author, license): one value, never a list or map.
void read_text(const ConfigNode& node, const std::string& key, ProblemList& problems,
               std::string& out) {
  if (node.is_null()) return;
  if (!node.is_scalar()) {
    problems.add(node.where, key, "expected text, found " + describe(node));
    return;
  }
  out = node.scalar;
}

void read_choices(const ConfigNode& node, const std::string& key, ProblemList& problems,
                  std::vector<std::string>& out) {
  if (!node.is_list()) {
    problems.add(node.where, key, "expected a list of strings, found " + describe(node));
    return;
  }
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    const ConfigNode& choice = node.items[i];
    if (choice.is_scalar()) {
      out.push_back(choice.scalar);
    } else {
      problems.add(choice.where, key + "." + std::to_string(i),
                   "expected a string, found " + describe(choice));
    }
  }
}

void read_parameter(const std::string& name, const ConfigNode& node, ProblemList& problems,
                    std::vector<ParameterSpec>& out) {
  const std::string key = "parameters." + name;
  if (!node.is_map()) {
    problems.add(node.where, key, "expected a map with type, default, min, max, description");
    return;
  }
  static const std::set<std::string, std::less<>> kKnown = {"type", "default", "min",
                                                            "max",  "choices", "description"};
  for (const auto& entry : node.entries) {
    if (!kKnown.count(entry.key)) {
      problems.add(entry.key_where, key + "." + entry.key,
                   "unknown field (expected type, default, min, max, choices, description)");
    }
  }
  ParameterSpec spec;
  spec.name = name;
  const ConfigNode* type_node = node.find("type");
  const auto type = type_node != nullptr && type_node->is_scalar()
                        ? parameter_type_from(type_node->scalar)
                        : std::nullopt;
  if (!type) {
    problems.add(type_node != nullptr ? type_node->where : node.where, key + ".type",
                 "expected one of integer, number, bool, string");
    return;
  }
  spec.type = *type;
  for (const char* bound : {"min", "max"}) {
    const ConfigNode* bound_node = node.find(bound);
    if (bound_node == nullptr) continue;
    const auto value = bound_node->is_scalar()
                           ? parse_parameter_text(ParameterType::kNumber, bound_node->scalar)
                           : Result<ParameterValue>(Error{"not a scalar"});
    if (!value.ok()) {
      problems.add(bound_node->where, key + "." + bound,
                   "expected a number, found " + describe(*bound_node));
      continue;
    }
    (std::string(bound) == "min" ? spec.min : spec.max) = as_double(value.value());
  }
  if (const ConfigNode* choices = node.find("choices")) {
    read_choices(*choices, key + ".choices", problems, spec.choices);
  }
  if (const ConfigNode* description = node.find("description")) {
    read_text(*description, key + ".description", problems, spec.description);
  }
  const ConfigNode* default_node = node.find("default");
  if (default_node == nullptr || !default_node->is_scalar()) {
    problems.add(default_node != nullptr ? default_node->where : node.where, key + ".default",
                 "missing: every parameter needs a default");
  } else {
    spec.default_text = default_node->scalar;
    const auto checked = check_parameter_value(spec, spec.default_text);
    if (!checked.ok()) problems.add(default_node->where, key + ".default", checked.error());
  }
  out.push_back(std::move(spec));
}

}  // namespace

const ParameterSpec* TentacleManifest::parameter(const std::string& parameter_name) const {
  for (const auto& spec : parameters) {
    if (spec.name == parameter_name) return &spec;
  }
  return nullptr;
}

const char* parameter_type_name(ParameterType type) {
  switch (type) {
    case ParameterType::kInteger:
      return "integer";
    case ParameterType::kNumber:
      return "number";
    case ParameterType::kBool:
      return "bool";
    case ParameterType::kString:
      return "string";
  }
  return "unknown";
}

const char* kind_folder(cephalo_kind kind) {
  switch (kind) {
    case CEPHALO_KIND_EVALUATOR:
      return "evaluators";
    case CEPHALO_KIND_STRATEGY:
      return "strategies";
    case CEPHALO_KIND_TRADING_MODE:
      return "trading_modes";
    case CEPHALO_KIND_INTERFACE:
      return "interfaces";
    default:
      return "unknown";
  }
}

std::optional<cephalo_kind> kind_from_string(const std::string& text) {
  for (cephalo_kind kind : {CEPHALO_KIND_EVALUATOR, CEPHALO_KIND_STRATEGY,
                            CEPHALO_KIND_TRADING_MODE, CEPHALO_KIND_INTERFACE}) {
    if (text == kind_to_string(kind)) return kind;
  }
  return std::nullopt;
}

Result<TentacleManifest> read_manifest(const std::filesystem::path& file) {
  const std::string shown = file.string();
  auto text =
      read_regular_file(file, FileRole{"manifest", "a tentacle.yaml manifest"}, kMaxManifestBytes);
  if (!text) {
    std::error_code error;
    if (!std::filesystem::exists(file, error)) {
      return Error{shown +
                   ": manifest missing (every tentacle needs a tentacle.yaml beside its "
                   "library)"};
    }
    return Error{shown + ": " + text.error()};
  }
  return parse_manifest(*text, file);
}

Result<TentacleManifest> parse_manifest(std::string_view text, const std::filesystem::path& file) {
  const std::string shown = file.string();
  ProblemList problems(shown);
  YamlLimits limits;
  limits.max_bytes = kMaxManifestBytes;
  std::vector<ConfigProblem> syntax;
  const std::optional<ConfigNode> parsed =
      read_yaml_tree(text, YamlSource{shown}, "", limits, syntax);
  problems.add_all(syntax);
  if (!parsed) return Error{problems.text()};
  const ConfigNode& root = *parsed;
  if (!root.is_map()) {
    problems.add(root.where, "(top)", "expected a map of manifest fields, found " + describe(root));
    return Error{problems.text()};
  }
  static const std::set<std::string, std::less<>> kKnown = {
      "name",   "kind",   "version",     "abi_major", "abi_minor", "library",
      "sha256", "author", "description", "license",   "parameters"};
  for (const auto& entry : root.entries) {
    if (!kKnown.count(entry.key))
      problems.add(entry.key_where, entry.key, "unknown manifest field");
  }
  TentacleManifest manifest;
  manifest.file = file;
  auto text_field = [&](const char* key, const std::regex& pattern, const char* expected,
                        std::string& out) {
    const ConfigNode* node = root.find(key);
    if (node == nullptr || !node->is_scalar()) {
      problems.add(node != nullptr ? node->where : root.where, key,
                   std::string("missing; expected ") + expected);
      return;
    }
    if (node->scalar.size() > kMaxPatternFieldChars || !std::regex_match(node->scalar, pattern)) {
      problems.add(node->where, key,
                   std::string("expected ") + expected + ", found " + describe(*node));
      return;
    }
    out = node->scalar;
  };
  // Compiled once per process (immutable after initialisation): compiling the five patterns for
  // every manifest was a third of a short backtest's start-up.
  static const std::regex kName("[a-z][a-z0-9_]{0,63}");
  static const std::regex kKind("evaluator|strategy|trading_mode|interface");
  static const std::regex kVersion("[0-9]+\\.[0-9]+\\.[0-9]+([-+][0-9A-Za-z.-]+)?");
  static const std::regex kLibrary("[^/\\\\]+");
  static const std::regex kSha256("[0-9a-f]{64}");
  text_field("name", kName, "a lower-case identifier ([a-z][a-z0-9_]*)", manifest.name);
  std::string kind_text;
  text_field("kind", kKind, "one of evaluator, strategy, trading_mode, interface", kind_text);
  manifest.kind = kind_from_string(kind_text).value_or(0);
  text_field("version", kVersion, "a semantic version MAJOR.MINOR.PATCH", manifest.version);
  text_field("library", kLibrary, "the library's file name (no folders)", manifest.library);
  text_field("sha256", kSha256, "64 lower-case hex digits (SHA-256 of the library)",
             manifest.sha256);
  for (const char* key : {"abi_major", "abi_minor"}) {
    const ConfigNode* node = root.find(key);
    const auto value = node != nullptr ? small_unsigned(*node) : std::nullopt;
    if (!value) {
      problems.add(node != nullptr ? node->where : root.where, key,
                   "expected a non-negative integer");
    } else {
      (std::string(key) == "abi_major" ? manifest.abi_major : manifest.abi_minor) = *value;
    }
  }
  if (const ConfigNode* node = root.find("description")) {
    read_text(*node, "description", problems, manifest.description);
  }
  if (const ConfigNode* node = root.find("author"))
    read_text(*node, "author", problems, manifest.author);
  if (const ConfigNode* node = root.find("license")) {
    read_text(*node, "license", problems, manifest.license);
  }
  if (const ConfigNode* parameters = root.find("parameters"); parameters != nullptr) {
    if (parameters->is_map()) {
      for (const auto& entry : parameters->entries) {
        read_parameter(entry.key, entry.value, problems, manifest.parameters);
      }
    } else if (!parameters->is_null()) {
      problems.add(parameters->where, "parameters",
                   "expected a map of parameter specs, found " + describe(*parameters));
    }
  }
  if (!problems.empty()) return Error{problems.text()};
  return manifest;
}

}  // namespace cephalo
