// `cephalo runs list | show ID | diff A B | export ID | delete ID`: what a database holds, run by
// run. The database is the config's storage.path (-c, --set) or --db FILE.
// Thread-safety: main thread.
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app_paths.hpp"
#include "commands.hpp"
#include "config/config.hpp"
#include "report/text_format.hpp"
#include "storage/run_journal.hpp"
#include "storage/sqlite_repository.hpp"

namespace cephalo {
namespace {

using report_text::format_price;
using report_text::format_time_utc;

struct RunsArgs {
  std::string config_file;
  std::vector<std::string> overrides;
  std::string database;
  bool json = false;
};

void add_database_options(CLI::App& command, RunsArgs& args) {
  command.add_option("-c,--config", args.config_file,
                     "Config whose storage.path is the database (default: the default config)");
  command.add_option("--set", args.overrides, "Override a config key: --set storage.path=x.sqlite");
  command.add_option("--db", args.database, "The database file (instead of a config's)");
}

// Opens the database the arguments name; prints why not and sets the exit code on failure.
std::unique_ptr<SqliteRepository> open_database(const RunsArgs& args, const char* command,
                                                int* exit_code) {
  std::filesystem::path database = args.database;
  if (database.empty()) {
    const std::string file =
        args.config_file.empty() ? default_config_path().string() : args.config_file;
    auto loaded = load_config(file, args.overrides);
    if (!loaded.ok()) {
      for (const auto& problem : loaded.problems) std::cerr << problem.to_string() << "\n";
      *exit_code = kExitBadInput;
      return nullptr;
    }
    database = loaded.config->storage.path;
  }
  if (!std::filesystem::is_regular_file(database)) {
    std::cerr << "cephalo runs " << command << ": no database at " << database.string()
              << " (has the bot run with this config? --db FILE names another)\n";
    *exit_code = kExitFailure;
    return nullptr;
  }
  auto opened = SqliteRepository::open(database);
  if (!opened.ok()) {
    std::cerr << "cephalo runs " << command << ": " << opened.error() << "\n";
    *exit_code = kExitFailure;
    return nullptr;
  }
  if (!opened.value()->migration_note().empty()) {
    std::cerr << "note: " << opened.value()->migration_note() << "\n";
  }
  return std::move(opened).value();
}

int fail(const char* command, const std::string& why) {
  std::cerr << "cephalo runs " << command << ": " << why << "\n";
  return kExitFailure;
}

std::string outcome_text(const RunRecord& run) {
  if (!run.outcome.empty()) return run.outcome;
  return run.finished_ns ? "finished" : "unfinished (running, or it stopped without finishing)";
}

std::string duration_text(const RunRecord& run) {
  if (!run.finished_ns) return "-";
  std::ostringstream out;
  out << std::fixed << std::setprecision(1)
      << static_cast<double>(*run.finished_ns - run.started_ns) / 1e9 << " s";
  return out.str();
}

nlohmann::json run_json(const RunRecord& run) {
  return {{"id", run.id},
          {"mode", run.mode},
          {"started_ns", run.started_ns},
          {"finished_ns", run.finished_ns ? nlohmann::json(*run.finished_ns) : nlohmann::json()},
          {"outcome", run.outcome}};
}

// Rows per run of the tables `runs list` shows.
std::map<std::int64_t, std::map<std::string, std::int64_t>> listed_counts(
    const SqliteRepository& repository, std::string& out_error) {
  std::map<std::int64_t, std::map<std::string, std::int64_t>> counts;
  for (const std::string& table : run_journal::table_names()) {
    auto by_run = repository.count_by_run(table);
    if (!by_run) {
      out_error = by_run.error();
      return {};
    }
    for (const auto& [run, rows] : *by_run) counts[run][table] = rows;
  }
  return counts;
}

int list_runs(const RunsArgs& args, int* exit_code) {
  auto repository = open_database(args, "list", exit_code);
  if (!repository) return *exit_code;
  auto runs = repository->runs();
  if (!runs) return fail("list", runs.error());
  std::string error;
  auto counts = listed_counts(*repository, error);
  if (!error.empty()) return fail("list", error);
  if (args.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const RunRecord& run : *runs) {
      nlohmann::json entry = run_json(run);
      entry["rows"] = counts[run.id];
      list.push_back(std::move(entry));
    }
    std::cout << nlohmann::json{{"database", repository->path().string()}, {"runs", list}}.dump(2)
              << "\n";
    return kExitOk;
  }
  if (runs->empty()) {
    std::cout << "no runs in " << repository->path().string() << "\n";
    return kExitOk;
  }
  std::cout << std::left << std::setw(6) << "RUN" << std::setw(10) << "MODE" << std::setw(21)
            << "STARTED (UTC)" << std::setw(10) << "DURATION" << std::right << std::setw(9)
            << "ORDERS" << std::setw(9) << "FILLS" << std::setw(9) << "TRADES"
            << "  OUTCOME\n";
  for (const RunRecord& run : *runs) {
    auto& rows = counts[run.id];
    std::cout << std::left << std::setw(6) << run.id << std::setw(10) << run.mode << std::setw(21)
              << format_time_utc(run.started_ns) << std::setw(10) << duration_text(run)
              << std::right << std::setw(9) << rows["orders"] + rows["orders_live"] << std::setw(9)
              << rows["fills"] << std::setw(9) << rows["trades"] << "  " << outcome_text(run)
              << "\n";
  }
  return kExitOk;
}

int show_run(const RunsArgs& args, std::int64_t id, bool show_config, int* exit_code) {
  auto repository = open_database(args, "show", exit_code);
  if (!repository) return *exit_code;
  auto run = run_journal::find_run(*repository, id);
  if (!run) return fail("show", run.error());
  auto counts = run_journal::count_rows(*repository, id);
  if (!counts) return fail("show", counts.error());
  auto trades = repository->run_rows<TradeRecord>(id);
  if (!trades) return fail("show", trades.error());
  double pnl = 0, fees = 0;
  std::int64_t wins = 0;
  for (const TradeRecord& trade : *trades) {
    pnl += trade.pnl;
    fees += trade.fees;
    wins += trade.pnl > 0 ? 1 : 0;
  }
  if (args.json) {
    nlohmann::json rows = nlohmann::json::object();
    for (const auto& count : *counts) rows[count.table] = count.rows;
    nlohmann::json shown = run_json(*run);
    shown["rows"] = rows;
    shown["trades"] = {{"count", trades->size()}, {"wins", wins}, {"pnl", pnl}, {"fees", fees}};
    if (show_config) shown["config"] = run->config_json;
    std::cout << shown.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << "run " << run->id << " (" << run->mode << ") in " << repository->path().string()
            << "\nstarted:  " << format_time_utc(run->started_ns) << " UTC"
            << "\nfinished: "
            << (run->finished_ns ? format_time_utc(*run->finished_ns) + " UTC" : std::string("-"))
            << "\noutcome:  " << outcome_text(*run) << "\nrows:    ";
  for (const auto& count : *counts) {
    if (count.rows > 0) std::cout << " " << count.table << " " << count.rows;
  }
  std::cout << "\ntrades:   " << trades->size() << " (" << wins << " won), pnl "
            << format_price(pnl) << ", fees " << format_price(fees) << " (quote currency)\n";
  if (show_config) std::cout << "config:\n" << run->config_json << "\n";
  return kExitOk;
}

int diff_runs(const RunsArgs& args, std::int64_t a, std::int64_t b, int* exit_code) {
  auto repository = open_database(args, "diff", exit_code);
  if (!repository) return *exit_code;
  constexpr std::size_t kExamples = 5;
  auto diff = run_journal::diff(*repository, a, b, kExamples);
  if (!diff) return fail("diff", diff.error());
  bool same = diff->config_only_a.empty() && diff->config_only_b.empty();
  for (const auto& table : diff->tables) same = same && table.only_in_a + table.only_in_b == 0;
  if (args.json) {
    nlohmann::json tables = nlohmann::json::array();
    for (const auto& table : diff->tables) {
      tables.push_back({{"table", table.table},
                        {"rows_a", table.rows_a},
                        {"rows_b", table.rows_b},
                        {"only_in_a", table.only_in_a},
                        {"only_in_b", table.only_in_b}});
    }
    std::cout << nlohmann::json{{"a", run_json(diff->a)},
                                {"b", run_json(diff->b)},
                                {"same", same},
                                {"tables", tables},
                                {"config_only_in_a", diff->config_only_a},
                                {"config_only_in_b", diff->config_only_b}}
                     .dump(2)
              << "\n";
    return kExitOk;
  }
  std::cout << "run " << a << " (" << diff->a.mode << ", " << format_time_utc(diff->a.started_ns)
            << ") against run " << b << " (" << diff->b.mode << ", "
            << format_time_utc(diff->b.started_ns) << "): rows compared whole, ignoring order\n";
  std::cout << std::left << std::setw(16) << "TABLE" << std::right << std::setw(10)
            << "RUN " + std::to_string(a) << std::setw(10) << "RUN " + std::to_string(b)
            << std::setw(12) << "ONLY IN A" << std::setw(12) << "ONLY IN B"
            << "\n";
  for (const auto& table : diff->tables) {
    if (table.rows_a + table.rows_b == 0) continue;
    std::cout << std::left << std::setw(16) << table.table << std::right << std::setw(10)
              << table.rows_a << std::setw(10) << table.rows_b << std::setw(12) << table.only_in_a
              << std::setw(12) << table.only_in_b << "\n";
  }
  for (const auto& table : diff->tables) {
    if (table.only_in_a + table.only_in_b == 0) continue;
    std::cout << "\n" << table.table << ": " << table.header;
    for (const auto& row : table.examples_a) std::cout << "  only in " << a << ": " << row;
    if (table.only_in_a > static_cast<std::int64_t>(table.examples_a.size())) {
      std::cout << "  ... " << table.only_in_a - static_cast<std::int64_t>(table.examples_a.size())
                << " more only in " << a << "\n";
    }
    for (const auto& row : table.examples_b) std::cout << "  only in " << b << ": " << row;
    if (table.only_in_b > static_cast<std::int64_t>(table.examples_b.size())) {
      std::cout << "  ... " << table.only_in_b - static_cast<std::int64_t>(table.examples_b.size())
                << " more only in " << b << "\n";
    }
  }
  if (!diff->config_only_a.empty() || !diff->config_only_b.empty()) {
    std::cout << "\nconfig lines that differ:\n";
    for (const auto& line : diff->config_only_a) std::cout << "  " << a << ": " << line << "\n";
    for (const auto& line : diff->config_only_b) std::cout << "  " << b << ": " << line << "\n";
  }
  std::cout << (same ? "\nthe two runs stored the same rows\n" : "");
  return kExitOk;
}

int export_run(const RunsArgs& args, std::int64_t id, const std::string& out,
               const std::vector<std::string>& tables, int* exit_code) {
  auto repository = open_database(args, "export", exit_code);
  if (!repository) return *exit_code;
  const std::filesystem::path folder = out.empty() ? "run-" + std::to_string(id) : out;
  auto written = run_journal::export_csv(*repository, id, folder, tables);
  if (!written) return fail("export", written.error());
  for (const auto& table : *written) {
    std::cout << (folder / (table.table == "runs" ? "run.csv" : table.table + ".csv")).string()
              << ": " << table.rows << " row" << (table.rows == 1 ? "" : "s") << "\n";
  }
  return kExitOk;
}

int delete_run(const RunsArgs& args, std::int64_t id, bool force, int* exit_code) {
  auto repository = open_database(args, "delete", exit_code);
  if (!repository) return *exit_code;
  auto run = run_journal::find_run(*repository, id);
  if (!run) return fail("delete", run.error());
  if (!force && run_mode_named(run->mode) == RunMode::kLive) {
    return fail("delete",
                "run " + std::to_string(id) +
                    " traded live: its orders_live and fills are what a restart reconciles with "
                    "the venue; add --force to delete it anyway");
  }
  if (!force && !run->finished_ns) {
    return fail("delete", "run " + std::to_string(id) +
                              " has not finished: it may still be running (or it stopped without "
                              "finishing); add --force if no bot is writing it");
  }
  auto deleted = repository->delete_run(id);
  if (!deleted) return fail("delete", deleted.error());
  std::int64_t total = 0;
  std::string tables;
  for (const auto& [table, rows] : *deleted) {
    total += rows;
    tables += (tables.empty() ? "" : ", ") + table + " " + std::to_string(rows);
  }
  std::cout << "deleted run " << id << " and its " << total << " rows"
            << (tables.empty() ? "" : " (" + tables + ")")
            << "; the file keeps its size until it is vacuumed (sqlite3 FILE VACUUM)\n";
  return kExitOk;
}

}  // namespace

void register_runs_commands(CLI::App& app, int* exit_code) {
  auto* runs = app.add_subcommand("runs",
                                  "What a database holds, run by run: list, show, "
                                  "diff, export, delete");
  runs->require_subcommand(1);

  auto list_args = std::make_shared<RunsArgs>();
  auto* list = runs->add_subcommand("list", "Every run: mode, start, duration, rows, outcome");
  add_database_options(*list, *list_args);
  list->add_flag("--json", list_args->json, "Print JSON");
  list->callback([list_args, exit_code] { *exit_code = list_runs(*list_args, exit_code); });

  auto show_args = std::make_shared<RunsArgs>();
  auto show_id = std::make_shared<std::int64_t>(0);
  auto show_config = std::make_shared<bool>(false);
  auto* show = runs->add_subcommand("show", "One run: times, outcome, rows per table, trades");
  show->add_option("ID", *show_id, "The run's id (runs list)")->required();
  add_database_options(*show, *show_args);
  show->add_flag("--json", show_args->json, "Print JSON");
  show->add_flag("--print-config", *show_config, "Also print the config the run used");
  show->callback([show_args, show_id, show_config, exit_code] {
    *exit_code = show_run(*show_args, *show_id, *show_config, exit_code);
  });

  auto diff_args = std::make_shared<RunsArgs>();
  auto diff_ids = std::make_shared<std::vector<std::int64_t>>();
  auto* diff = runs->add_subcommand(
      "diff", "Two runs side by side: rows per table, rows only in one, config lines that differ");
  diff->add_option("A B", *diff_ids, "The two runs' ids")->required()->expected(2);
  add_database_options(*diff, *diff_args);
  diff->add_flag("--json", diff_args->json, "Print JSON");
  diff->callback([diff_args, diff_ids, exit_code] {
    *exit_code = diff_runs(*diff_args, diff_ids->at(0), diff_ids->at(1), exit_code);
  });

  auto export_args = std::make_shared<RunsArgs>();
  auto export_id = std::make_shared<std::int64_t>(0);
  auto export_out = std::make_shared<std::string>();
  auto export_format = std::make_shared<std::string>("csv");
  auto export_tables = std::make_shared<std::vector<std::string>>();
  auto* exported = runs->add_subcommand(
      "export", "Write one run's rows as CSV, one file per table (<out>/<table>.csv)");
  exported->add_option("ID", *export_id, "The run's id (runs list)")->required();
  add_database_options(*exported, *export_args);
  exported->add_option("--format", *export_format, "File format (csv)")
      ->check(CLI::IsMember({"csv"}));
  exported->add_option("--out", *export_out, "Folder to write into (default: run-<ID>)");
  exported->add_option("--table", *export_tables, "Only these tables (repeatable)");
  // Every shared value an option writes is kept alive by the callback, which outlives parsing.
  exported->callback([export_args, export_id, export_out, export_format, export_tables, exit_code] {
    *exit_code = export_run(*export_args, *export_id, *export_out, *export_tables, exit_code);
  });

  auto delete_args = std::make_shared<RunsArgs>();
  auto delete_id = std::make_shared<std::int64_t>(0);
  auto delete_force = std::make_shared<bool>(false);
  auto* deleted = runs->add_subcommand("delete", "Delete a run and every row it wrote");
  deleted->add_option("ID", *delete_id, "The run's id (runs list)")->required();
  add_database_options(*deleted, *delete_args);
  deleted->add_flag("--force", *delete_force,
                    "Also delete a live run, or one that has not finished");
  deleted->callback([delete_args, delete_id, delete_force, exit_code] {
    *exit_code = delete_run(*delete_args, *delete_id, *delete_force, exit_code);
  });
}

}  // namespace cephalo
