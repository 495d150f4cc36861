// Project templates, one working example per kind, each using only the public SDK and handing
// its state over in a hot swap. The templates are files in cli/scaffold/, embedded at build
// time (scaffold_templates.hpp); tests build the strategy's as a real tentacle.
// Thread-safety: main thread.
#include "scaffold.hpp"

#include <filesystem>
#include <fstream>
#include <regex>

#include "scaffold_templates.hpp"

namespace cephalo {

namespace {

constexpr const char* kKinds[] = {"evaluator", "strategy", "trading_mode", "interface"};

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::string class_name(const std::string& name) {
  std::string out;
  bool upper = true;
  for (char c : name) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
    upper = false;
  }
  return out;
}

}  // namespace

Status write_scaffold(const ScaffoldRequest& request) {
  namespace fs = std::filesystem;
  if (!std::regex_match(request.name, std::regex("[a-z][a-z0-9_]{0,63}"))) {
    return Error{"name '" + request.name + "' must match [a-z][a-z0-9_]* (at most 64 characters)"};
  }
  bool known = false;
  for (const char* kind : kKinds) known = known || request.kind == kind;
  if (!known) {
    return Error{"kind '" + request.kind +
                 "' must be one of evaluator, strategy, trading_mode, interface"};
  }
  const fs::path folder(request.folder);
  std::error_code ec;
  if (fs::exists(folder, ec) && !fs::is_empty(folder, ec)) {
    return Error{folder.string() + " exists and is not empty; choose a new folder"};
  }
  fs::create_directories(folder, ec);
  if (ec) return Error{"cannot create " + folder.string() + ": " + ec.message()};

  // The same substitution as CMake's configure_file(@ONLY), which builds the test fixture.
  auto fill = [&](const std::string& template_name) {
    std::string text(scaffold_template(template_name));
    text = replace_all(std::move(text), "@NAME@", request.name);
    return replace_all(std::move(text), "@CLASS@", class_name(request.name));
  };
  const std::pair<fs::path, std::string> files[] = {
      {folder / "CMakeLists.txt", fill("CMakeLists.txt.in")},
      {folder / "tentacle.yaml", fill(request.kind + ".yaml.in")},
      {folder / (request.name + ".cpp"), fill(request.kind + ".cpp.in")},
  };
  for (const auto& [path, text] : files) {
    std::ofstream out(path);
    out << text;
    if (!out) return Error{"cannot write " + path.string()};
  }
  return Ok{};
}

}  // namespace cephalo
