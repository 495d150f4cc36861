// The fatal-signal handler and the crash log it appends to.
// Thread-safety: see crash_recorder.hpp.
#include "host/crash_recorder.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <ctime>
#include <fstream>

#include "host/tentacle_call.hpp"
#include "model/system_text.hpp"

namespace cephalo {

namespace {

constexpr std::array<int, 5> kFatalSignals = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};

// The open crash log. A process-wide variable because the signal handler can reach nothing else;
// set by the one CrashRecorder while it is installed, -1 otherwise.
volatile sig_atomic_t crash_log_fd = -1;
volatile sig_atomic_t crash_tell_user = 1;

// Bounded appends into the handler's stack buffer: no allocation, no locale, no stdio.
struct LineBuffer {
  char text[512];
  size_t size = 0;
  void append(const char* part) {
    for (; part != nullptr && *part != '\0' && size < sizeof text - 1; ++part) text[size++] = *part;
  }
  void append_number(int64_t value) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    *end = '\0';
    append(digits);
  }
};

void write_all(int fd, const char* text, size_t size) {
  while (size > 0) {
    const ssize_t written = ::write(fd, text, size);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return;
    text += written;
    size -= static_cast<size_t>(written);
  }
}

// "<time s>\t<signal>\t<sha256>\t<name>\t<version>\t<callback>\n" to the crash log, in one write.
void record_line(int signal, const char* label, const char* callback) {
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  LineBuffer line;
  line.append_number(now.tv_sec);
  line.append("\t");
  line.append_number(signal);
  line.append("\t");
  line.append(label);
  line.append("\t");
  line.append(callback);
  line.append("\n");
  const int fd = crash_log_fd;
  if (fd >= 0) write_all(fd, line.text, line.size);
}

// The last words on stderr: which build died in which callback, and what happens next.
void tell_user(int signal, const char* label, const char* callback) {
  LineBuffer message;
  message.append("cephalo: fatal signal ");
  message.append_number(signal);
  message.append(" inside tentacle code (");
  message.append(callback);
  message.append("; sha256, name, version: ");
  message.append(label);
  message.append("); the next start refuses this build\n");
  write_all(STDERR_FILENO, message.text, message.size);
}

void on_fatal_signal(int signal, siginfo_t*, void*) {
  const int saved_errno = errno;
  const char* label = current_tentacle_call.label.load(std::memory_order_relaxed);
  const char* callback = current_tentacle_call.callback.load(std::memory_order_relaxed);
  if (label != nullptr) {
    record_line(signal, label, callback);
    if (crash_tell_user != 0) tell_user(signal, label, callback);
  }
  errno = saved_errno;
  // The default action, as if no handler had run: the signal is blocked while the handler runs,
  // so it is delivered (and kills) as soon as the handler returns.
  ::signal(signal, SIG_DFL);
  ::raise(signal);
}

}  // namespace

Result<std::unique_ptr<CrashRecorder>> CrashRecorder::install(const std::filesystem::path& log,
                                                              bool tell_user) {
  if (crash_log_fd >= 0) return Error{"a crash recorder is already installed in this process"};
  std::error_code ec;
  std::filesystem::create_directories(log.parent_path(), ec);
  const int fd = ::open(log.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Error{"cannot open the crash log " + log.string() + ": " + system_error_text(errno)};
  }
  std::unique_ptr<CrashRecorder> recorder(new CrashRecorder());
  recorder->fd_ = fd;
  recorder->alternate_stack_.resize(kAlternateStackBytes);
  stack_t stack{};
  stack.ss_sp = recorder->alternate_stack_.data();
  stack.ss_size = recorder->alternate_stack_.size();
  ::sigaltstack(&stack, &recorder->previous_stack_);
  crash_log_fd = fd;
  crash_tell_user = tell_user ? 1 : 0;
  struct sigaction action {};
  action.sa_sigaction = &on_fatal_signal;
  action.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&action.sa_mask);
  for (size_t i = 0; i < kFatalSignals.size(); ++i) {
    ::sigaction(kFatalSignals[i], &action, &recorder->previous_[i]);
  }
  return recorder;
}

CrashRecorder::~CrashRecorder() {
  for (size_t i = 0; i < kFatalSignals.size(); ++i) {
    ::sigaction(kFatalSignals[i], &previous_[i], nullptr);
  }
  ::sigaltstack(&previous_stack_, nullptr);
  crash_log_fd = -1;
  if (fd_ >= 0) ::close(fd_);
}

std::map<std::string, CrashRecord> read_crash_log(const std::filesystem::path& log) {
  std::map<std::string, CrashRecord> crashes;
  std::ifstream in(log);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    for (size_t start = 0;;) {
      const size_t tab = line.find('\t', start);
      fields.push_back(line.substr(start, tab == std::string::npos ? tab : tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    if (fields.size() != 6 || fields[2].size() != 64) continue;
    CrashRecord crash;
    const auto time =
        std::from_chars(fields[0].data(), fields[0].data() + fields[0].size(), crash.time_s);
    const auto signal =
        std::from_chars(fields[1].data(), fields[1].data() + fields[1].size(), crash.signal);
    if (time.ec != std::errc() || signal.ec != std::errc()) continue;
    crash.sha256 = fields[2];
    crash.name = fields[3];
    crash.version = fields[4];
    crash.callback = fields[5];
    crashes[crash.sha256] = std::move(crash);
  }
  return crashes;
}

std::filesystem::path crash_log_path(const std::filesystem::path& user_folder) {
  if (user_folder.empty()) return {};
  return user_folder / ".crashed-builds";
}

std::string signal_name(int signal) {
  switch (signal) {
    case SIGSEGV:
      return "SIGSEGV";
    case SIGBUS:
      return "SIGBUS";
    case SIGILL:
      return "SIGILL";
    case SIGFPE:
      return "SIGFPE";
    case SIGABRT:
      return "SIGABRT";
    case SIGKILL:
      return "SIGKILL";
    case SIGTERM:
      return "SIGTERM";
    default:
      return "signal " + std::to_string(signal);
  }
}

std::string describe_crash(const CrashRecord& crash) {
  const std::time_t seconds = crash.time_s;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &utc);
  return "crashed a bot on " + std::string(when) + " UTC with " + signal_name(crash.signal) +
         " in " + crash.callback;
}

}  // namespace cephalo
