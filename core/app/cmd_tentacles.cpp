// `cephalo tentacles list|new|install|remove|verify`.
// Thread-safety: main thread.
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app_paths.hpp"
#include "commands.hpp"
#include "host/catalog.hpp"
#include "host/host_context.hpp"
#include "host/installer.hpp"
#include "scaffold.hpp"

namespace cephalo {

namespace {

TentacleFolders folders_with(const std::vector<std::string>& extra) {
  TentacleFolders folders = default_tentacle_folders(executable_path());
  for (const auto& folder : extra) folders.extra.emplace_back(folder);
  return folders;
}

nlohmann::json report_json(const LoadReport& report) {
  return {{"name", report.name},
          {"kind", report.kind},
          {"version", report.version},
          {"abi", report.abi},
          {"origin", report.origin},
          {"file", report.file.string()},
          {"status", report.ok ? "ok" : "refused"},
          {"reason", report.reason}};
}

void print_table(const std::vector<LoadReport>& reports) {
  std::cout << std::left << std::setw(24) << "NAME" << std::setw(14) << "KIND" << std::setw(10)
            << "VERSION" << std::setw(6) << "ABI" << std::setw(9) << "STATUS" << std::setw(9)
            << "ORIGIN"
            << "FILE\n";
  for (const auto& report : reports) {
    std::cout << std::left << std::setw(24) << report.name << std::setw(14) << report.kind
              << std::setw(10) << report.version << std::setw(6) << report.abi << std::setw(9)
              << (report.ok ? "ok" : "refused") << std::setw(9) << report.origin
              << report.file.string() << "\n";
    if (!report.ok) std::cout << "    reason: " << report.reason << "\n";
  }
}

}  // namespace

void register_tentacles_commands(CLI::App& app, int* exit_code) {
  auto* tentacles = app.add_subcommand("tentacles", "List, create, install and remove tentacles");
  tentacles->require_subcommand(1);
  register_live_tentacles_commands(*tentacles, exit_code);
  auto extra = std::make_shared<std::vector<std::string>>();

  auto json = std::make_shared<bool>(false);
  auto* list = tentacles->add_subcommand(
      "list",
      "Every tentacle found (built-in, user-installed, extra folders) and whether it loads");
  list->add_flag("--json", *json, "Print JSON instead of a table");
  list->add_option("--folder", *extra, "Also scan this folder (repeatable)");
  list->callback([json, extra, exit_code] {
    std::vector<LoadReport> reports;
    for (const auto& entry : scan_tentacle_folders(folders_with(*extra))) {
      reports.push_back(verify_entry(entry, core_host_api()));
    }
    if (*json) {
      nlohmann::json out = {
          {"host_abi", std::to_string(CEPHALO_ABI_MAJOR) + "." + std::to_string(CEPHALO_ABI_MINOR)},
          {"tentacles", nlohmann::json::array()}};
      for (const auto& report : reports) out["tentacles"].push_back(report_json(report));
      std::cout << out.dump(2) << "\n";
    } else {
      print_table(reports);
    }
    *exit_code = kExitOk;
  });

  auto scaffold = std::make_shared<ScaffoldRequest>();
  auto* create = tentacles->add_subcommand(
      "new", "Create an out-of-tree tentacle project that builds against an installed cephalo");
  create->add_option("--kind", scaffold->kind, "evaluator | strategy | trading_mode | interface")
      ->required()
      ->check(CLI::IsMember({"evaluator", "strategy", "trading_mode", "interface"}));
  create->add_option("--name", scaffold->name, "Tentacle name: [a-z][a-z0-9_]*")->required();
  create->add_option("--dir", scaffold->folder, "Folder to create (must not exist or be empty)")
      ->required();
  create->callback([scaffold, exit_code] {
    auto written = write_scaffold(*scaffold);
    if (!written.ok()) {
      std::cerr << "tentacles new: " << written.error() << "\n";
      *exit_code = kExitFailure;
      return;
    }
    std::cout << "created " << scaffold->folder << "\n"
              << "build it:   cmake -S " << scaffold->folder << " -B " << scaffold->folder
              << "/build -DCMAKE_PREFIX_PATH=<cephalo prefix> && cmake --build " << scaffold->folder
              << "/build\n"
              << "install it: cephalo tentacles install " << scaffold->folder << "/build\n";
    *exit_code = kExitOk;
  });

  auto install_path = std::make_shared<std::string>();
  auto* install = tentacles->add_subcommand(
      "install", "Verify a built tentacle package and install it into the user folder");
  install->add_option("path", *install_path, "Build folder, tentacle.yaml or library")->required();
  install->callback([install_path, exit_code] {
    auto installed = install_package(*install_path, folders_with({}), core_host_api());
    if (!installed.ok()) {
      std::cerr << "tentacles install: " << installed.error() << "\n";
      *exit_code = kExitFailure;
      return;
    }
    std::cout << "installed " << installed->manifest.name << " " << installed->manifest.version
              << " into " << installed->folder.string() << "\n";
    *exit_code = kExitOk;
  });

  auto remove_name = std::make_shared<std::string>();
  auto* remove = tentacles->add_subcommand("remove", "Remove a user-installed tentacle");
  remove->add_option("name", *remove_name, "Tentacle name")->required();
  remove->callback([remove_name, exit_code] {
    auto removed = remove_package(*remove_name, folders_with({}));
    if (!removed.ok()) {
      std::cerr << "tentacles remove: " << removed.error() << "\n";
      *exit_code = kExitFailure;
      return;
    }
    std::cout << "removed " << *remove_name << "\n";
    *exit_code = kExitOk;
  });

  auto verify_path = std::make_shared<std::string>();
  auto* verify = tentacles->add_subcommand(
      "verify", "Check a tentacle package (manifest, checksum, ABI handshake) without installing");
  verify->add_option("path", *verify_path, "Build folder, tentacle.yaml or library")->required();
  verify->callback([verify_path, exit_code] {
    auto verified = verify_package(*verify_path, core_host_api());
    if (!verified.ok()) {
      std::cerr << "tentacles verify: " << verified.error() << "\n";
      *exit_code = kExitFailure;
      return;
    }
    std::cout << "ok: " << verified->name << " " << verified->version << " ("
              << verified->library_path().string() << ")\n";
    *exit_code = kExitOk;
  });
}

}  // namespace cephalo
