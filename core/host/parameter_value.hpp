// Typed tentacle parameter values, parsed from config text and checked against manifest specs.
// Thread-safety: pure functions over plain values.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "model/result.hpp"

namespace cephalo {

enum class ParameterType;
struct ParameterSpec;

using ParameterValue = std::variant<int64_t, double, bool, std::string>;
using ParameterValues = std::map<std::string, ParameterValue>;

// Parses text as the given type: integers in decimal, numbers as finite doubles (exponents
// allowed), bools as true/false/yes/no/on/off.
Result<ParameterValue> parse_parameter_text(ParameterType type, const std::string& text);
// Parses and checks range and choices; the error says what was expected and what was found.
Result<ParameterValue> check_parameter_value(const ParameterSpec& spec, const std::string& text);

double as_double(const ParameterValue& value);

struct TentacleManifest;
struct ParamSetting;
// The manifest's defaults overridden by the config's settings, each checked against its spec.
// Every problem at once, one line each, starting with the setting's file:line:column.
Result<ParameterValues> resolve_parameters(const TentacleManifest& manifest,
                                           const std::vector<ParamSetting>& settings);

}  // namespace cephalo
