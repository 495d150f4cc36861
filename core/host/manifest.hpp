// TentacleManifest: tentacle.yaml, read and checked before any of the tentacle's code is loaded.
// Thread-safety: pure functions over plain values.
#pragma once

#include <cephalo/tentacle.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/result.hpp"

namespace cephalo {

enum class ParameterType { kInteger, kNumber, kBool, kString };

struct ParameterSpec {
  std::string name;
  ParameterType type = ParameterType::kNumber;
  std::string default_text;  // the default as written; parsed with the same rules as config values
  std::optional<double> min;
  std::optional<double> max;
  std::vector<std::string> choices;  // strings only; empty = any
  std::string description;
};

struct TentacleManifest {
  std::filesystem::path file;  // the tentacle.yaml this came from
  std::string name;
  cephalo_kind kind = 0;
  std::string version;
  uint16_t abi_major = 0;
  uint16_t abi_minor = 0;
  std::string library;  // file name beside the manifest
  std::string sha256;
  std::string description;
  std::string author;
  std::string license;
  std::vector<ParameterSpec> parameters;

  std::filesystem::path library_path() const { return file.parent_path() / library; }
  const ParameterSpec* parameter(const std::string& parameter_name) const;
};

// Every problem in the file, each as "FILE:LINE:COL: key: message", joined by newlines (at most
// 50, then how many more). Only a regular file of at most 1 MiB is read.
Result<TentacleManifest> read_manifest(const std::filesystem::path& file);
// The same checks on text already read; `file` names it in problems and locates the library.
Result<TentacleManifest> parse_manifest(std::string_view text, const std::filesystem::path& file);

const char* parameter_type_name(ParameterType type);
// "evaluators", "strategies", ...: the folder name a kind installs under.
const char* kind_folder(cephalo_kind kind);
std::optional<cephalo_kind> kind_from_string(const std::string& text);

}  // namespace cephalo
