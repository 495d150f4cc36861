// Manifest validation with yaml-cpp marks, so every problem names its line and key.
// Thread-safety: pure functions.
#include "host/manifest.hpp"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <regex>
#include <set>

#include "host/parameter_value.hpp"
#include "model/market.hpp"

namespace cephalo {

namespace {

class ProblemList {
 public:
  explicit ProblemList(std::string file) : file_(std::move(file)) {}
  void add(const YAML::Mark& mark, const std::string& key, const std::string& message) {
    std::string where = file_;
    if (mark.line >= 0) {
      where += ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
    }
    text_ += (text_.empty() ? "" : "\n") + where + ": " + key + ": " + message;
  }
  bool empty() const { return text_.empty(); }
  const std::string& text() const { return text_; }

 private:
  std::string file_;
  std::string text_;
};

std::optional<uint16_t> small_unsigned(const YAML::Node& node) {
  if (!node.IsScalar()) return std::nullopt;
  const std::string& text = node.Scalar();
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

void read_parameter(const std::string& name, const YAML::Node& node, ProblemList& problems,
                    std::vector<ParameterSpec>& out) {
  const std::string key = "parameters." + name;
  if (!node.IsMap()) {
    problems.add(node.Mark(), key, "expected a map with type, default, min, max, description");
    return;
  }
  static const std::set<std::string> kKnown = {"type", "default", "min",
                                               "max",  "choices", "description"};
  for (const auto& entry : node) {
    const std::string field = entry.first.as<std::string>();
    if (!kKnown.count(field)) {
      problems.add(entry.first.Mark(), key + "." + field,
                   "unknown field (expected type, default, min, max, choices, description)");
    }
  }
  ParameterSpec spec;
  spec.name = name;
  const auto type = node["type"] && node["type"].IsScalar()
                        ? parameter_type_from(node["type"].Scalar())
                        : std::nullopt;
  if (!type) {
    problems.add(node["type"] ? node["type"].Mark() : node.Mark(), key + ".type",
                 "expected one of integer, number, bool, string");
    return;
  }
  spec.type = *type;
  for (const char* bound : {"min", "max"}) {
    if (!node[bound]) continue;
    const auto value = parse_parameter_text(ParameterType::kNumber, node[bound].Scalar());
    if (!value.ok()) {
      problems.add(node[bound].Mark(), key + "." + bound, "expected a number");
      continue;
    }
    (std::string(bound) == "min" ? spec.min : spec.max) = as_double(value.value());
  }
  if (node["choices"]) {
    if (!node["choices"].IsSequence()) {
      problems.add(node["choices"].Mark(), key + ".choices", "expected a list of strings");
    } else {
      for (const auto& choice : node["choices"]) spec.choices.push_back(choice.as<std::string>());
    }
  }
  if (node["description"]) spec.description = node["description"].as<std::string>();
  if (!node["default"] || !node["default"].IsScalar()) {
    problems.add(node.Mark(), key + ".default", "missing: every parameter needs a default");
  } else {
    spec.default_text = node["default"].Scalar();
    const auto checked = check_parameter_value(spec, spec.default_text);
    if (!checked.ok()) problems.add(node["default"].Mark(), key + ".default", checked.error());
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
  if (!std::filesystem::exists(file)) {
    return Error{shown +
                 ": manifest missing (every tentacle needs a tentacle.yaml beside its "
                 "library)"};
  }
  YAML::Node root;
  try {
    root = YAML::LoadFile(file.string());
  } catch (const YAML::ParserException& e) {
    return Error{shown + ":" + std::to_string(e.mark.line + 1) + ":" +
                 std::to_string(e.mark.column + 1) + ": invalid YAML: " + e.msg};
  } catch (const YAML::Exception& e) {
    return Error{shown + ": cannot read manifest: " + e.what()};
  }
  ProblemList problems(shown);
  if (!root.IsMap()) {
    problems.add(root.Mark(), "(top)", "expected a map of manifest fields");
    return Error{problems.text()};
  }
  static const std::set<std::string> kKnown = {"name",      "kind",    "version",   "abi_major",
                                               "abi_minor", "library", "sha256",    "description",
                                               "author",    "license", "parameters"};
  for (const auto& entry : root) {
    const std::string key = entry.first.as<std::string>();
    if (!kKnown.count(key)) problems.add(entry.first.Mark(), key, "unknown manifest field");
  }
  TentacleManifest manifest;
  manifest.file = file;
  auto text = [&](const char* key, const std::regex& pattern, const char* expected,
                  std::string& out) {
    const YAML::Node node = root[key];
    if (!node || !node.IsScalar()) {
      problems.add(node ? node.Mark() : root.Mark(), key,
                   std::string("missing; expected ") + expected);
      return;
    }
    out = node.Scalar();
    if (!std::regex_match(out, pattern)) {
      problems.add(node.Mark(), key, std::string("expected ") + expected + ", found '" + out + "'");
    }
  };
  // Compiled once per process (immutable after initialisation): compiling the five patterns for
  // every manifest was a third of a short backtest's start-up.
  static const std::regex kName("[a-z][a-z0-9_]{0,63}");
  static const std::regex kKind("evaluator|strategy|trading_mode|interface");
  static const std::regex kVersion("[0-9]+\\.[0-9]+\\.[0-9]+([-+][0-9A-Za-z.-]+)?");
  static const std::regex kLibrary("[^/\\\\]+");
  static const std::regex kSha256("[0-9a-f]{64}");
  text("name", kName, "a lower-case identifier ([a-z][a-z0-9_]*)", manifest.name);
  std::string kind_text;
  text("kind", kKind, "one of evaluator, strategy, trading_mode, interface", kind_text);
  manifest.kind = kind_from_string(kind_text).value_or(0);
  text("version", kVersion, "a semantic version MAJOR.MINOR.PATCH", manifest.version);
  text("library", kLibrary, "the library's file name (no folders)", manifest.library);
  text("sha256", kSha256, "64 lower-case hex digits (SHA-256 of the library)", manifest.sha256);
  for (const char* key : {"abi_major", "abi_minor"}) {
    const YAML::Node node = root[key];
    const auto value = node ? small_unsigned(node) : std::nullopt;
    if (!value) {
      problems.add(node ? node.Mark() : root.Mark(), key, "expected a non-negative integer");
    } else {
      (std::string(key) == "abi_major" ? manifest.abi_major : manifest.abi_minor) = *value;
    }
  }
  if (root["description"]) manifest.description = root["description"].as<std::string>();
  if (root["author"]) manifest.author = root["author"].as<std::string>();
  if (root["license"]) manifest.license = root["license"].as<std::string>();
  if (const YAML::Node parameters = root["parameters"]) {
    if (!parameters.IsMap()) {
      if (!parameters.IsNull()) {
        problems.add(parameters.Mark(), "parameters", "expected a map of parameter specs");
      }
    } else {
      for (const auto& entry : parameters) {
        read_parameter(entry.first.as<std::string>(), entry.second, problems, manifest.parameters);
      }
    }
  }
  if (!problems.empty()) return Error{problems.text()};
  return manifest;
}

}  // namespace cephalo
