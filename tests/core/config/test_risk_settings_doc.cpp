// docs/risk.md's settings table is the one risk/risk_settings.def describes, line for line, so
// the reader's page cannot drift from what the config accepts.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

// One Markdown row per setting, in the table's order.
std::string settings_table() {
  std::string table =
      "| Setting | Kind | Default | Range | What it does |\n"
      "| --- | --- | --- | --- | --- |\n";
  const auto row = [&table](const char* tier, const std::string& kind, const char* name,
                            const char* default_value, const char* min, const char* max,
                            const char* what) {
    const bool ranged = kind == "number" || kind == "int";
    const bool has_default = kind != "time";
    table += std::string("| `risk.") + tier + "." + name + "` | " + kind + " | " +
             (has_default ? default_value : "absent") + " | " +
             (ranged ? std::string(min) + " to " + max : std::string("")) + " | " + what + " |\n";
  };
#define CEPHALO_POSITION_SETTING(kind, name, default_value, min, max, what) \
  row("position", #kind, #name, #default_value, #min, #max, what);
#define CEPHALO_STRATEGY_SETTING(kind, name, default_value, min, max, what) \
  row("strategy", #kind, #name, #default_value, #min, #max, what);
#define CEPHALO_ACCOUNT_SETTING(kind, name, default_value, min, max, what) \
  row("account", #kind, #name, #default_value, #min, #max, what);
#include "risk/risk_settings.def"
  return table;
}

}  // namespace

TEST_CASE("docs/risk.md lists every risk setting as risk_settings.def has it") {
  std::ifstream in(std::filesystem::path(CEPHALO_SOURCE_DIR) / "docs/risk.md");
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  const std::string expected = settings_table();
  CHECK_MESSAGE(text.str().find(expected) != std::string::npos,
                "docs/risk.md's table differs from core/risk/risk_settings.def; the table is:\n"
                    << expected);
}
