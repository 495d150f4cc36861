// posix_spawn of `cephalo tentacles smoke`, the request files, and reading what the child says.
// posix_spawn, not fork: a bot has threads, and a forked child of a threaded process may run only
// async-signal-safe code before exec; the child here is a fresh cephalo process.
// Thread-safety: see smoke_test.hpp.
#include "host/smoke_test.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "host/crash_recorder.hpp"
#include "model/system_text.hpp"

extern char** environ;

namespace cephalo {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

// A uniquely named folder for one child's files, removed when the object goes.
class RehearsalFolder {
 public:
  static Result<RehearsalFolder> make(const fs::path& parent) {
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec) return Error{"cannot create " + parent.string() + ": " + ec.message()};
    ::chmod(parent.c_str(), 0700);
    std::string name = (parent / "rehearsal-XXXXXX").string();
    if (::mkdtemp(name.data()) == nullptr) {
      return Error{"cannot create a folder in " + parent.string() + ": " +
                   system_error_text(errno)};
    }
    return RehearsalFolder(name);
  }
  RehearsalFolder(RehearsalFolder&& other) noexcept : path_(std::move(other.path_)) {
    other.path_.clear();
  }
  RehearsalFolder& operator=(RehearsalFolder&&) = delete;
  ~RehearsalFolder() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  explicit RehearsalFolder(fs::path path) : path_(std::move(path)) {}
  fs::path path_;
};

Status write_file(const fs::path& file, std::string_view bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return Error{"cannot write " + file.string()};
  return Ok{};
}

void append_number(std::string& out, double value) {
  char buffer[32];
  out.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, value).ptr);
}

// Candles one per line, tab-separated; numbers in their shortest exact form, so the child sees
// bit for bit the prices the bot saw.
std::string candles_text(const std::vector<Candle>& candles) {
  std::string out;
  out.reserve(candles.size() * 96);
  for (const Candle& candle : candles) {
    out += candle.symbol.view();
    out += '\t';
    out += candle.timeframe.view();
    out += '\t';
    out += std::to_string(candle.open_time_ns);
    for (double value : {candle.open, candle.high, candle.low, candle.close, candle.volume}) {
      out += '\t';
      append_number(out, value);
    }
    out += '\n';
  }
  return out;
}

Status write_request(const fs::path& folder, SmokeRequest::Depth depth,
                     const std::vector<SmokePackage>& packages, const SmokeRequest* full) {
  nlohmann::json request{{"depth", depth == SmokeRequest::Depth::kLoad ? "load" : "full"},
                         {"packages", nlohmann::json::array()}};
  for (const auto& package : packages) {
    request["packages"].push_back({{"manifest", package.manifest_file.string()},
                                   {"library", package.library.string()},
                                   {"sha256", package.sha256}});
  }
  if (full != nullptr) {
    nlohmann::json params = nlohmann::json::array();
    for (const auto& param : full->params) {
      params.push_back({{"name", param.name},
                        {"value", param.value},
                        {"file", param.where.file},
                        {"line", param.where.line},
                        {"column", param.where.column}});
    }
    request["params"] = std::move(params);
    if (full->state) {
      request["state_version"] = full->state->version;
      if (auto written = write_file(folder / "state.bin", full->state->bytes); !written.ok()) {
        return written;
      }
    }
    if (auto written = write_file(folder / "candles.tsv", candles_text(full->candles));
        !written.ok()) {
      return written;
    }
  }
  return write_file(folder / "request.json", request.dump());
}

// The child's environment: ours, with the sanitizers (in a sanitizer build) told to leave fatal
// signals alone, so a crashing tentacle kills the child by its own signal, which the verdict names.
std::vector<std::string> child_environment() {
  std::vector<std::string> variables;
  std::string asan = "ASAN_OPTIONS=";
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    if (text.rfind("ASAN_OPTIONS=", 0) == 0) {
      asan = std::string(text) + ":";
      continue;
    }
    variables.emplace_back(text);
  }
  variables.push_back(asan +
                      "handle_segv=0:handle_sigbus=0:handle_sigill=0:handle_sigfpe=0:"
                      "handle_abort=0:detect_leaks=0");
  return variables;
}

struct Child {
  pid_t pid = -1;
  int out = -1;  // its stdout
  int err = -1;  // its stderr
};

Result<Child> spawn_child(const fs::path& binary, const fs::path& folder) {
  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return Error{"pipe: " + system_error_text(errno)};
  if (::pipe2(err, O_CLOEXEC) != 0) {
    ::close(out[0]);
    ::close(out[1]);
    return Error{"pipe: " + system_error_text(errno)};
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
  // Nothing else of ours reaches the child: the database, sockets and the control channel stay
  // with the bot even where they were not opened close-on-exec.
  posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
  const std::string program = binary.string();
  const std::string folder_text = folder.string();
  std::vector<char*> argv = {const_cast<char*>(program.c_str()), const_cast<char*>("tentacles"),
                             const_cast<char*>("smoke"), const_cast<char*>(folder_text.c_str()),
                             nullptr};
  std::vector<std::string> environment = child_environment();
  std::vector<char*> envp;
  envp.reserve(environment.size() + 1);
  for (auto& variable : environment) envp.push_back(variable.data());
  envp.push_back(nullptr);
  pid_t pid = -1;
  const int spawned =
      ::posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  ::close(err[1]);
  if (spawned != 0) {
    ::close(out[0]);
    ::close(err[0]);
    return Error{"cannot start " + program + ": " + system_error_text(spawned)};
  }
  return Child{pid, out[0], err[0]};
}

// What one child said and how it ended.
struct ChildReport {
  struct Package {
    std::string stage;
    bool finished = false;
    bool ok = false;
    std::string error;
  };
  std::vector<Package> packages;  // by index in the request
  std::string stderr_text;
  int wait_status = 0;
  bool timed_out = false;
  std::string crashed_in;  // the callback the child's crash log names, when it died of a signal
  double seconds = 0;
};

// One stdout line: "stage I NAME" or "result I JSON".
void take_line(std::string_view line, ChildReport& report) {
  const bool stage = line.rfind("stage ", 0) == 0;
  const bool result = line.rfind("result ", 0) == 0;
  if (!stage && !result) return;
  line.remove_prefix(stage ? 6 : 7);
  size_t index = 0;
  const auto parsed = std::from_chars(line.data(), line.data() + line.size(), index);
  if (parsed.ec != std::errc() || parsed.ptr == line.data() + line.size() || index > 100000) {
    return;
  }
  const std::string_view rest(parsed.ptr + 1, line.data() + line.size() - parsed.ptr - 1);
  if (report.packages.size() <= index) report.packages.resize(index + 1);
  auto& package = report.packages[index];
  if (stage) {
    package.stage = std::string(rest);
    return;
  }
  const auto json = nlohmann::json::parse(rest, nullptr, false);
  package.finished = true;
  package.ok = json.is_object() && json.value("ok", false);
  package.error = json.is_object() ? json.value("error", std::string("no reason given"))
                                   : "unreadable answer: " + std::string(rest);
}

// Waits for the child to exit. One that closed its output may still be running (a tentacle that
// closes its descriptors and loops): the same deadline holds, then it is killed.
void reap(pid_t pid, Clock::time_point deadline, ChildReport& report) {
  for (;;) {
    const pid_t waited = ::waitpid(pid, &report.wait_status, WNOHANG);
    if (waited == pid || (waited < 0 && errno != EINTR)) return;
    if (waited == 0 && Clock::now() >= deadline) {
      report.timed_out = true;
      ::kill(pid, SIGKILL);
      while (::waitpid(pid, &report.wait_status, 0) < 0 && errno == EINTR) {
      }
      return;
    }
    if (waited == 0) ::usleep(2000);
  }
}

// Takes what the child wrote: stdout's stage and result lines (`pending` holds a line not yet
// complete), stderr's text. True when a result line came, i.e. a package finished.
bool take_output(bool from_stderr, std::string_view text, std::string& pending,
                 ChildReport& report) {
  if (from_stderr) {
    // The tail is what explains a failure; a chatty child cannot grow this without bound.
    report.stderr_text.append(text);
    if (report.stderr_text.size() > 64 * 1024) {
      report.stderr_text.erase(0, report.stderr_text.size() - 32 * 1024);
    }
    return false;
  }
  pending.append(text);
  bool finished = false;
  for (size_t end; (end = pending.find('\n')) != std::string::npos;) {
    finished = finished || pending.rfind("result ", 0) == 0;
    take_line(std::string_view(pending).substr(0, end), report);
    pending.erase(0, end + 1);
  }
  return finished;
}

// Reads the child's output until it ends; kills it when a package takes longer than `limit`
// (counted from the start, then from each finished package).
ChildReport collect(Child child, std::chrono::milliseconds limit) {
  ChildReport report;
  const auto started = Clock::now();
  auto deadline = started + limit;
  std::string pending;
  std::array<pollfd, 2> fds{pollfd{child.out, POLLIN, 0}, pollfd{child.err, POLLIN, 0}};
  char buffer[4096];
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      report.timed_out = true;
      ::kill(child.pid, SIGKILL);
      break;
    }
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) break;
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      const ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
      if (got <= 0) {
        if (got < 0 && errno == EINTR) continue;
        ::close(fds[i].fd);
        fds[i].fd = -1;
        continue;
      }
      if (take_output(i == 1, std::string_view(buffer, static_cast<size_t>(got)), pending,
                      report)) {
        deadline = Clock::now() + limit;  // a package finished: the next one gets its own time
      }
    }
  }
  for (auto& fd : fds) {
    if (fd.fd >= 0) ::close(fd.fd);
  }
  reap(child.pid, deadline, report);
  report.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return report;
}

// The last few lines the child wrote on stderr (the tentacle's own log lines), for the message.
std::string stderr_tail(const std::string& text) {
  std::vector<std::string_view> lines;
  std::string_view rest(text);
  while (!rest.empty()) {
    const size_t end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    if (!line.empty()) lines.push_back(line);
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  if (lines.empty()) return "";
  std::string tail;
  for (size_t i = lines.size() > 4 ? lines.size() - 4 : 0; i < lines.size(); ++i) {
    tail += (tail.empty() ? "" : " | ") + std::string(lines[i]);
  }
  return " (its last output: " + tail + ")";
}

// How a package the child did not finish ended.
std::string unfinished_reason(const ChildReport& report, const std::string& stage,
                              std::chrono::milliseconds limit) {
  const std::string in = stage.empty() ? "before its first stage" : "in " + stage;
  if (report.timed_out) {
    return "did not finish within " + std::to_string(limit.count()) + " ms " + in +
           " (an endless loop or a blocking call?); the child process was killed";
  }
  if (WIFSIGNALED(report.wait_status)) {
    const std::string where =
        report.crashed_in.empty() ? in : "in " + report.crashed_in + " (stage " + stage + ")";
    return "crashed with " + signal_name(WTERMSIG(report.wait_status)) + " " + where +
           stderr_tail(report.stderr_text);
  }
  if (WIFEXITED(report.wait_status)) {
    return "the child process exited with status " +
           std::to_string(WEXITSTATUS(report.wait_status)) + " " + in + " without an answer" +
           stderr_tail(report.stderr_text);
  }
  return "the child process ended without an answer " + in;
}

// The child records a fatal signal inside tentacle code in its own crash log (CrashRecorder), which
// names the callback more precisely than the stage does.
void read_child_crash(const fs::path& folder, ChildReport& report) {
  if (!WIFSIGNALED(report.wait_status)) return;
  for (const auto& [sha, crash] : read_crash_log(folder / "crash.log")) {
    report.crashed_in = crash.callback;
  }
}

SmokeVerdict verdict_for(const ChildReport& report, size_t index, std::chrono::milliseconds limit) {
  SmokeVerdict verdict;
  verdict.seconds = report.seconds;
  if (index < report.packages.size()) {
    const auto& package = report.packages[index];
    verdict.stage = package.stage;
    if (package.finished) {
      verdict.passed = package.ok;
      if (!package.ok) verdict.failure = package.error;
      return verdict;
    }
  }
  verdict.failure = unfinished_reason(report, verdict.stage, limit);
  return verdict;
}

}  // namespace

fs::path default_smoke_folder() {
  return fs::temp_directory_path() / ("cephalo-" + std::to_string(::getuid())) / "smoke";
}

SmokeVerdict run_smoke_test(const fs::path& cephalo_binary, const fs::path& work_folder,
                            const SmokeRequest& request) {
  SmokeVerdict verdict;
  auto folder = RehearsalFolder::make(work_folder);
  if (!folder.ok()) {
    verdict.failure = "cannot prepare the smoke test: " + folder.error();
    return verdict;
  }
  if (auto written =
          write_request(folder->path(), request.depth, {request.package},
                        request.depth == SmokeRequest::Depth::kFull ? &request : nullptr);
      !written.ok()) {
    verdict.failure = "cannot prepare the smoke test: " + written.error();
    return verdict;
  }
  auto child = spawn_child(cephalo_binary, folder->path());
  if (!child.ok()) {
    verdict.failure = "cannot run the smoke test: " + child.error();
    return verdict;
  }
  ChildReport report = collect(child.value(), request.time_limit);
  read_child_crash(folder->path(), report);
  return verdict_for(report, 0, request.time_limit);
}

std::vector<SmokeVerdict> smoke_load_each(const fs::path& cephalo_binary,
                                          const fs::path& work_folder,
                                          const std::vector<SmokePackage>& packages,
                                          std::chrono::milliseconds time_limit) {
  std::vector<SmokeVerdict> verdicts;
  while (verdicts.size() < packages.size()) {
    const std::vector<SmokePackage> rest(packages.begin() + static_cast<long>(verdicts.size()),
                                         packages.end());
    auto folder = RehearsalFolder::make(work_folder);
    Status prepared = folder.ok()
                          ? write_request(folder->path(), SmokeRequest::Depth::kLoad, rest, nullptr)
                          : Status(Error{folder.error()});
    Result<Child> child = prepared.ok() ? spawn_child(cephalo_binary, folder->path())
                                        : Result<Child>(Error{prepared.error()});
    if (!child.ok()) {
      SmokeVerdict failed;
      failed.failure = "cannot run the load check in a child process: " + child.error();
      verdicts.resize(packages.size(), failed);
      break;
    }
    ChildReport report = collect(child.value(), time_limit);
    read_child_crash(folder->path(), report);
    // Every package it finished, then the one it died on (if any); a new child takes the rest.
    size_t index = 0;
    for (; index < rest.size(); ++index) {
      verdicts.push_back(verdict_for(report, index, time_limit));
      const bool finished = index < report.packages.size() && report.packages[index].finished;
      if (!finished) break;
    }
  }
  return verdicts;
}

// ---- the child's side ---------------------------------------------------------------------------

Result<SmokeJob> read_smoke_job(const fs::path& request_folder) {
  std::ifstream in(request_folder / "request.json");
  if (!in) return Error{"cannot read " + (request_folder / "request.json").string()};
  const auto request = nlohmann::json::parse(in, nullptr, false);
  if (!request.is_object() || !request.contains("packages")) {
    return Error{(request_folder / "request.json").string() + ": not a smoke test request"};
  }
  SmokeJob job;
  job.depth = request.value("depth", "full") == "load" ? SmokeRequest::Depth::kLoad
                                                       : SmokeRequest::Depth::kFull;
  for (const auto& package : request["packages"]) {
    job.packages.push_back(SmokePackage{package.value("manifest", ""), package.value("library", ""),
                                        package.value("sha256", "")});
  }
  for (const auto& param : request.value("params", nlohmann::json::array())) {
    job.params.push_back(ParamSetting{
        param.value("name", ""), param.value("value", ""),
        SourceLocation{param.value("file", ""), param.value("line", 0), param.value("column", 0)}});
  }
  if (request.contains("state_version")) {
    std::ifstream state(request_folder / "state.bin", std::ios::binary);
    job.state = HandedState{request["state_version"].get<uint32_t>(),
                            std::string(std::istreambuf_iterator<char>(state), {})};
  }
  std::ifstream candles(request_folder / "candles.tsv");
  std::string line;
  while (std::getline(candles, line)) {
    std::vector<std::string_view> fields;
    std::string_view rest(line);
    for (size_t tab; (tab = rest.find('\t')) != std::string_view::npos;) {
      fields.push_back(rest.substr(0, tab));
      rest.remove_prefix(tab + 1);
    }
    fields.push_back(rest);
    if (fields.size() != 8) return Error{"candles.tsv: a line without 8 fields"};
    SmokeJob::CandleRow row{std::string(fields[0]), std::string(fields[1])};
    bool parsed =
        std::from_chars(fields[2].data(), fields[2].data() + fields[2].size(), row.open_time_ns)
            .ec == std::errc();
    double* values[] = {&row.open, &row.high, &row.low, &row.close, &row.volume};
    for (size_t i = 0; i < 5; ++i) {
      parsed = parsed && std::from_chars(fields[3 + i].data(),
                                         fields[3 + i].data() + fields[3 + i].size(), *values[i])
                                 .ec == std::errc();
    }
    if (!parsed) return Error{"candles.tsv: a number that does not parse"};
    job.candles.push_back(std::move(row));
  }
  return job;
}

namespace {

void write_line(const std::string& line) {
  const char* text = line.data();
  size_t size = line.size();
  while (size > 0) {
    const ssize_t written = ::write(STDOUT_FILENO, text, size);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return;
    text += written;
    size -= static_cast<size_t>(written);
  }
}

}  // namespace

void write_smoke_stage(size_t package, const char* stage) {
  write_line("stage " + std::to_string(package) + " " + stage + "\n");
}

void write_smoke_result(size_t package, bool ok, const std::string& error) {
  const nlohmann::json result{{"ok", ok}, {"error", error}};
  write_line("result " + std::to_string(package) + " " +
             result.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

}  // namespace cephalo
