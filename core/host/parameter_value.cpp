// One set of parsing rules for manifest defaults and config values, so both agree.
// Thread-safety: pure functions.
#include "host/parameter_value.hpp"

#include <charconv>
#include <cmath>
#include <sstream>

#include "config/config.hpp"
#include "host/manifest.hpp"

namespace cephalo {

namespace {

std::string format_bound(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

}  // namespace

Result<ParameterValue> parse_parameter_text(ParameterType type, const std::string& text) {
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  switch (type) {
    case ParameterType::kInteger: {
      int64_t value = 0;
      const auto [stop, ec] = std::from_chars(begin, end, value);
      if (ec != std::errc() || stop != end) {
        return Error{"expected an integer, found '" + text + "'"};
      }
      return ParameterValue{value};
    }
    case ParameterType::kNumber: {
      double value = 0;
      const auto [stop, ec] = std::from_chars(begin, end, value);
      if (ec != std::errc() || stop != end || !std::isfinite(value)) {
        return Error{"expected a finite number, found '" + text + "'"};
      }
      return ParameterValue{value};
    }
    case ParameterType::kBool:
      if (text == "true" || text == "yes" || text == "on") return ParameterValue{true};
      if (text == "false" || text == "no" || text == "off") return ParameterValue{false};
      return Error{"expected true or false, found '" + text + "'"};
    case ParameterType::kString:
      return ParameterValue{text};
  }
  return Error{"unknown parameter type"};
}

Result<ParameterValue> check_parameter_value(const ParameterSpec& spec, const std::string& text) {
  auto parsed = parse_parameter_text(spec.type, text);
  if (!parsed.ok()) return parsed;
  if (spec.type == ParameterType::kInteger || spec.type == ParameterType::kNumber) {
    const double value = as_double(parsed.value());
    if ((spec.min && value < *spec.min) || (spec.max && value > *spec.max)) {
      return Error{"expected a value in [" + (spec.min ? format_bound(*spec.min) : "-inf") + ", " +
                   (spec.max ? format_bound(*spec.max) : "inf") + "], found " + text};
    }
  }
  if (spec.type == ParameterType::kString && !spec.choices.empty()) {
    bool known = false;
    std::string allowed;
    for (const auto& choice : spec.choices) {
      known = known || choice == text;
      allowed += (allowed.empty() ? "" : ", ") + choice;
    }
    if (!known) return Error{"expected one of " + allowed + ", found '" + text + "'"};
  }
  return parsed;
}

double as_double(const ParameterValue& value) {
  if (const auto* i = std::get_if<int64_t>(&value)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&value)) return *d;
  if (const auto* b = std::get_if<bool>(&value)) return *b ? 1.0 : 0.0;
  return 0.0;
}

Result<ParameterValues> resolve_parameters(const TentacleManifest& manifest,
                                           const std::vector<ParamSetting>& settings) {
  ParameterValues values;
  for (const auto& spec : manifest.parameters) {
    auto value = check_parameter_value(spec, spec.default_text);
    if (value.ok()) values[spec.name] = value.value();
  }
  std::string problems;
  auto problem = [&](const SourceLocation& where, const std::string& message) {
    problems += (problems.empty() ? "" : "\n") + where.to_string() + ": " + message;
  };
  for (const auto& setting : settings) {
    const ParameterSpec* spec = manifest.parameter(setting.name);
    if (spec == nullptr) {
      std::string known;
      for (const auto& candidate : manifest.parameters) {
        known += (known.empty() ? "" : ", ") + candidate.name;
      }
      problem(setting.where,
              "params." + setting.name + ": tentacle '" + manifest.name +
                  "' has no such parameter (it has: " + (known.empty() ? "none" : known) + ")");
      continue;
    }
    auto value = check_parameter_value(*spec, setting.value);
    if (!value.ok()) {
      problem(setting.where, "params." + setting.name + " (" + parameter_type_name(spec->type) +
                                 " parameter of tentacle '" + manifest.name +
                                 "'): " + value.error());
      continue;
    }
    values[setting.name] = value.value();
  }
  if (!problems.empty()) return Error{problems};
  return values;
}

}  // namespace cephalo
