#include "storage/run_journal.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

#include "model/system_text.hpp"
#include "storage/stored_records.hpp"
#include "storage/text.hpp"

namespace cephalo::run_journal {
namespace {

using storage_tables::Table;
using storage_tables::Tag;
using storage_text::cat;

// Writes `write(out)` to <path>.tmp-PID, then renames it over `path`: a reader never sees a part.
template <class Write>
Status write_whole_file(const std::filesystem::path& path, Write&& write) {
  std::filesystem::path temporary = path;
  temporary += cat(".tmp-", std::to_string(::getpid()));
  std::error_code ignored;
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) {
      return Status::failure(
          cat("cannot write ", temporary.string(), ": ", system_error_text(errno)));
    }
    Status written = write(out);
    out.flush();
    if (written && !out) {
      written = Status::failure(cat("cannot write ", temporary.string(), ": ",
                                    system_error_text(errno), " (is the disk full?)"));
    }
    if (!written) {
      out.close();
      std::filesystem::remove(temporary, ignored);
      return written;
    }
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    std::filesystem::remove(temporary, ignored);
    return Status::failure(
        cat("cannot move ", temporary.string(), " to ", path.string(), ": ", error.message()));
  }
  return Status();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// What is in `mine` and not in `theirs`, as multisets, keeping `mine`'s order.
std::vector<std::string> only_in(const std::vector<std::string>& mine,
                                 const std::vector<std::string>& theirs) {
  std::map<std::string_view, std::int64_t> left;
  for (const auto& line : theirs) ++left[line];
  std::vector<std::string> only;
  for (const auto& line : mine) {
    auto found = left.find(line);
    if (found != left.end() && found->second > 0) {
      --found->second;
    } else {
      only.push_back(line);
    }
  }
  return only;
}

template <class Row>
Result<std::vector<std::string>> csv_lines(const SqliteRepository& repository,
                                           std::int64_t run_id) {
  std::vector<std::string> lines;
  Status visited = repository.visit_run_rows<Row>(
      run_id, [&lines](const Row& row) { lines.push_back(storage_tables::csv_line(row)); });
  if (!visited) return visited;
  return lines;
}

}  // namespace

std::vector<std::string> table_names() {
  std::vector<std::string> names;
  storage_tables::for_each_journal_table(
      [&names]<class Row>(Tag<Row>) { names.emplace_back(Table<Row>::kName); });
  return names;
}

Result<RunRecord> find_run(const SqliteRepository& repository, std::int64_t run_id) {
  auto runs = repository.runs();
  if (!runs) return runs.status();
  std::string ids;
  for (const RunRecord& run : *runs) {
    if (run.id == run_id) return run;
    ids += cat(ids.empty() ? "" : ", ", std::to_string(run.id));
  }
  return Status::failure(cat("storage file '", repository.path().string(), "' has no run ",
                             std::to_string(run_id),
                             "; its runs are: ", ids.empty() ? std::string("none") : ids,
                             " (cephalo runs list shows them)"));
}

Result<std::vector<TableRows>> count_rows(const SqliteRepository& repository, std::int64_t run_id) {
  std::vector<TableRows> counts;
  for (const std::string& table : table_names()) counts.push_back({table, 0});
  for (TableRows& count : counts) {
    auto by_run = repository.count_by_run(count.table);
    if (!by_run) return by_run.status();
    for (const auto& [run, rows] : *by_run) {
      if (run == run_id) count.rows = rows;
    }
  }
  return counts;
}

Result<std::vector<TableRows>> export_csv(const SqliteRepository& repository, std::int64_t run_id,
                                          const std::filesystem::path& folder,
                                          const std::vector<std::string>& tables) {
  auto run = find_run(repository, run_id);
  if (!run) return run.status();
  const std::vector<std::string> known = table_names();
  for (const std::string& table : tables) {
    if (std::find(known.begin(), known.end(), table) == known.end()) {
      std::string list;
      for (const auto& name : known) list += cat(list.empty() ? "" : ", ", name);
      return Status::failure(cat("no table '", table, "' to export; expected one of: ", list));
    }
  }
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) {
    return Status::failure(
        cat("cannot create the export folder ", folder.string(), ": ", error.message()));
  }
  std::vector<TableRows> written;
  Status status = write_whole_file(folder / "run.csv", [&](std::ostream& out) {
    out << storage_tables::csv_header<RunRecord>() << storage_tables::csv_line(run.value());
    return Status();
  });
  if (!status) return status;
  written.push_back({"runs", 1});
  storage_tables::for_each_journal_table([&]<class Row>(Tag<Row>) {
    const std::string table(Table<Row>::kName);
    if (!status) return;
    if (!tables.empty() && std::find(tables.begin(), tables.end(), table) == tables.end()) return;
    auto lines = csv_lines<Row>(repository, run_id);
    if (!lines) {
      status = lines.status();
      return;
    }
    if (lines->empty()) return;
    status = write_whole_file(folder / cat(table, ".csv"), [&](std::ostream& out) {
      out << storage_tables::csv_header<Row>();
      for (const std::string& line : *lines) out << line;
      return Status();
    });
    written.push_back({table, static_cast<std::int64_t>(lines->size())});
  });
  if (!status) return status;
  return written;
}

Result<RunDiff> diff(const SqliteRepository& repository, std::int64_t run_a, std::int64_t run_b,
                     std::size_t examples) {
  RunDiff result;
  auto a = find_run(repository, run_a);
  if (!a) return a.status();
  auto b = find_run(repository, run_b);
  if (!b) return b.status();
  result.a = std::move(a).value();
  result.b = std::move(b).value();
  Status status;
  storage_tables::for_each_journal_table([&]<class Row>(Tag<Row>) {
    if (!status) return;
    auto lines_a = csv_lines<Row>(repository, run_a);
    auto lines_b = csv_lines<Row>(repository, run_b);
    if (!lines_a || !lines_b) {
      status = lines_a ? lines_b.status() : lines_a.status();
      return;
    }
    TableDiff table;
    table.table = Table<Row>::kName;
    table.header = storage_tables::csv_header<Row>();
    table.rows_a = static_cast<std::int64_t>(lines_a->size());
    table.rows_b = static_cast<std::int64_t>(lines_b->size());
    const auto only_a = only_in(*lines_a, *lines_b);
    const auto only_b = only_in(*lines_b, *lines_a);
    table.only_in_a = static_cast<std::int64_t>(only_a.size());
    table.only_in_b = static_cast<std::int64_t>(only_b.size());
    table.examples_a.assign(only_a.begin(), only_a.begin() + static_cast<std::ptrdiff_t>(std::min(
                                                                 examples, only_a.size())));
    table.examples_b.assign(only_b.begin(), only_b.begin() + static_cast<std::ptrdiff_t>(std::min(
                                                                 examples, only_b.size())));
    result.tables.push_back(std::move(table));
  });
  if (!status) return status;
  const auto config_a = lines_of(result.a.config_json);
  const auto config_b = lines_of(result.b.config_json);
  result.config_only_a = only_in(config_a, config_b);
  result.config_only_b = only_in(config_b, config_a);
  return result;
}

}  // namespace cephalo::run_journal
