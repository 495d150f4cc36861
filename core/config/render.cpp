// `config show`: the merged layers as YAML, with nothing secret in it.
#include <cstdlib>

#include "config/config.hpp"
#include "config/config_node.hpp"
#include "model/system_text.hpp"

namespace cephalo {

namespace {

void emit(YAML::Emitter& out, const YAML::Node& node, const std::string& key_path);

void emit_entry(YAML::Emitter& out, const std::string& key, const YAML::Node& value,
                const std::string& key_path) {
  out << YAML::Key << key << YAML::Value;
  const bool has_text = value.IsScalar() && !value.Scalar().empty();
  if (is_secret_key(key) && (has_text || value.IsSequence() || value.IsMap())) {
    out << std::string(kRedacted);
    return;
  }
  if (!is_env_reference_key(key) || !has_text) {
    emit(out, value, key_path);
    return;
  }
  const std::string& name = value.Scalar();
  if (!is_valid_env_name(name)) {
    out << std::string(kRedacted);  // not a variable name: quite possibly the secret itself
    return;
  }
  const char* secret = environment_value(name.c_str());
  out << name
      << YAML::Comment(secret != nullptr && *secret != '\0'
                           ? "set in the environment, value " + std::string(kRedacted)
                           : std::string("not set in the environment"));
}

void emit(YAML::Emitter& out, const YAML::Node& node, const std::string& key_path) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      if (node.size() == 0) out << YAML::Flow;  // "params: {}" rather than a dangling "{}" line
      out << YAML::BeginMap;
      for (auto it = node.begin(); it != node.end(); ++it) {
        const std::string key = it->first.Scalar();
        emit_entry(out, key, it->second, join_key(key_path, key));
      }
      out << YAML::EndMap;
      break;
    case YAML::NodeType::Sequence:
      if (node.size() == 0) out << YAML::Flow;
      out << YAML::BeginSeq;
      for (std::size_t i = 0; i < node.size(); ++i) {
        emit(out, node[i], join_key(key_path, std::to_string(i)));
      }
      out << YAML::EndSeq;
      break;
    case YAML::NodeType::Scalar:
      out << node.Scalar();
      break;
    default:
      out << YAML::Null;
      break;
  }
}

}  // namespace

std::string render_redacted(const ConfigLoadResult& result) {
  if (!result.merged.IsDefined() || result.merged.IsNull()) {
    return "# no configuration could be merged\n";
  }
  YAML::Emitter out;
  emit(out, result.merged, "");
  return "# merged configuration: built-in defaults <- config file <- --set (secrets redacted)\n" +
         std::string(out.c_str()) + "\n";
}

}  // namespace cephalo
