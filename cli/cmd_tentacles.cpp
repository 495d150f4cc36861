// `cephalo tentacles list|new|install|remove|rollback|verify`, and the hidden `smoke` the others
// run in a child process. None of them loads a tentacle library into its own process.
// Thread-safety: main thread.
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app_paths.hpp"
#include "commands.hpp"
#include "data/ohlcv_reader.hpp"
#include "host/catalog.hpp"
#include "host/crash_recorder.hpp"
#include "host/host_context.hpp"
#include "host/installer.hpp"
#include "scaffold.hpp"
#include "smoke_rehearsal.hpp"

namespace cephalo {

namespace {

TentacleFolders folders_with(const std::vector<std::string>& extra) {
  TentacleFolders folders = default_tentacle_folders(executable_path());
  for (const auto& folder : extra) folders.extra.emplace_back(folder);
  return folders;
}

// The smoke test's first events for a package that has no bot around it: the last candles of the
// bundled ETH/BTC 5m sample (real data). None when the sample is not installed: the rest of the
// smoke test still runs.
constexpr size_t kSmokeCandles = 500;
std::vector<Candle> sample_candles(NameTable& names) {
  const auto file = share_folder() / "data" / "ETH_BTC-5m.csv";
  const auto loaded = load_ohlcv(file, 300'000, BadRowPolicy::kSkip);
  std::vector<Candle> candles;
  if (!loaded.ok) return candles;
  const size_t first = loaded.bars.size() > kSmokeCandles ? loaded.bars.size() - kSmokeCandles : 0;
  for (size_t i = first; i < loaded.bars.size(); ++i) {
    const OhlcvBar& bar = loaded.bars[i];
    candles.push_back(Candle{names.intern("ETH/BTC"), names.intern("5m"),
                             bar.open_time_ms * 1'000'000, bar.open, bar.high, bar.low, bar.close,
                             bar.volume});
  }
  return candles;
}

PackageCheck package_check(NameTable& names, bool smoke, int time_limit_ms) {
  PackageCheck check;
  check.cephalo_binary = executable_path();
  check.smoke = smoke;
  if (smoke) check.candles = sample_candles(names);
  check.time_limit = std::chrono::milliseconds(time_limit_ms);
  return check;
}

nlohmann::json report_json(const LoadReport& report) {
  return {{"name", report.name},       {"kind", report.kind},     {"version", report.version},
          {"abi", report.abi},         {"origin", report.origin}, {"file", report.file.string()},
          {"status", report.status()}, {"reason", report.reason}};
}

void print_table(const std::vector<LoadReport>& reports) {
  std::cout << std::left << std::setw(24) << "NAME" << std::setw(14) << "KIND" << std::setw(10)
            << "VERSION" << std::setw(6) << "ABI" << std::setw(9) << "STATUS" << std::setw(9)
            << "ORIGIN"
            << "FILE\n";
  for (const auto& report : reports) {
    std::cout << std::left << std::setw(24) << report.name << std::setw(14) << report.kind
              << std::setw(10) << report.version << std::setw(6) << report.abi << std::setw(9)
              << report.status() << std::setw(9) << report.origin << report.file.string() << "\n";
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
    const TentacleFolders folders = folders_with(*extra);
    CatalogCheck check;
    check.cephalo_binary = executable_path();
    check.crashes = read_crash_log(crash_log_path(folders.user));
    const auto reports = check_entries(scan_tentacle_folders(folders), check);
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
  auto install_timeout = std::make_shared<int>(10'000);
  auto* install = tentacles->add_subcommand(
      "install",
      "Verify a built tentacle package, smoke-test it in a child process and install it into the "
      "user folder (the replaced version is kept for `tentacles rollback`)");
  install->add_option("path", *install_path, "Build folder, tentacle.yaml or library")->required();
  install
      ->add_option("--timeout-ms", *install_timeout,
                   "Time the smoke test may take before the build counts as hung")
      ->check(CLI::Range(100, 600'000));
  install->callback([install_path, install_timeout, exit_code] {
    NameTable names;
    auto installed = install_package(*install_path, folders_with({}),
                                     package_check(names, true, *install_timeout));
    if (!installed.ok()) {
      std::cerr << "tentacles install: " << installed.error() << "\n";
      *exit_code = kExitFailure;
      return;
    }
    std::cout << "installed " << installed->manifest.name << " " << installed->manifest.version
              << " into " << installed->folder.string() << "\n";
    if (installed->previous) {
      std::cout << "kept the version it replaced, " << installed->previous->version
                << " (cephalo tentacles rollback " << installed->manifest.name << ")\n";
    }
    *exit_code = kExitOk;
  });

  auto rollback_name = std::make_shared<std::string>();
  auto* rollback = tentacles->add_subcommand(
      "rollback", "Reinstall the version a user-installed tentacle's last install replaced");
  rollback->add_option("name", *rollback_name, "Tentacle name")->required();
  rollback->callback([rollback_name, exit_code] {
    auto rolled = rollback_package(*rollback_name, folders_with({}));
    if (!rolled.ok()) {
      std::cerr << "tentacles rollback: " << rolled.error() << "\n";
      *exit_code = kExitFailure;
      return;
    }
    std::cout << "rolled back " << *rollback_name << " to " << rolled->first.version << " ("
              << rolled->first.file.parent_path().string() << "); " << rolled->second.version
              << " is kept as the previous version (rollback again to return to it)\n";
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
  auto verify_smoke = std::make_shared<bool>(false);
  auto verify_timeout = std::make_shared<int>(10'000);
  auto* verify = tentacles->add_subcommand(
      "verify",
      "Check a tentacle package without installing: manifest, file and checksum, then the ABI "
      "handshake in a child process (--smoke: the whole smoke test there)");
  verify->add_option("path", *verify_path, "Build folder, tentacle.yaml or library")->required();
  verify->add_flag("--smoke", *verify_smoke,
                   "Also create an instance, feed it candles, hand its state to a second one and "
                   "destroy both, in a child process (what install does)");
  verify
      ->add_option("--timeout-ms", *verify_timeout,
                   "Time the child may take before the build counts as hung")
      ->check(CLI::Range(100, 600'000));
  verify->callback([verify_path, verify_smoke, verify_timeout, exit_code] {
    NameTable names;
    auto verified =
        verify_package(*verify_path, package_check(names, *verify_smoke, *verify_timeout));
    if (!verified.ok()) {
      std::cerr << "tentacles verify: " << verified.error() << "\n";
      *exit_code = kExitFailure;
      return;
    }
    std::cout << "ok: " << verified->name << " " << verified->version << " ("
              << verified->library_path().string() << ")"
              << (*verify_smoke ? ", smoke test passed" : "") << "\n";
    *exit_code = kExitOk;
  });

  // Hidden: the child process of the smoke test and of the load checks above (and of a bot's hot
  // swap). Not for users; its request folder is written by the parent.
  auto smoke_folder = std::make_shared<std::string>();
  auto* smoke = tentacles->add_subcommand("smoke", "");
  smoke->group("");
  smoke->add_option("folder", *smoke_folder, "Request folder")->required();
  smoke->callback([smoke_folder] { run_smoke_rehearsal(*smoke_folder); });
}

}  // namespace cephalo
