// The main of a fuzz target outside a libFuzzer build: runs LLVMFuzzerTestOneInput once on every
// file named (folders are walked), so ctest replays the seeds and every saved crash input under
// the ordinary and the ASan + UBSan builds. Thread-safety: single-threaded.
#include <fnmatch.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) __attribute__((weak));

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  std::vector<std::filesystem::path> files;
  for (int i = 1; i < argc; ++i) {
    // "FOLDER::PATTERN" takes the files under FOLDER whose name matches PATTERN (seeds.txt);
    // "?FOLDER" may be missing (a target's regressions/ folder before its first finding).
    std::string argument = argv[i];
    const bool optional = argument.starts_with('?');
    if (optional) argument.erase(0, 1);
    const size_t split = argument.find("::");
    const std::filesystem::path path = argument.substr(0, split);
    const std::string pattern = split == std::string::npos ? "*" : argument.substr(split + 2);
    if (std::filesystem::is_directory(path)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(path)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_regular_file() && name != "README.md" &&
            ::fnmatch(pattern.c_str(), name.c_str(), 0) == 0) {
          files.push_back(entry.path());
        }
      }
    } else if (std::filesystem::is_regular_file(path)) {
      files.push_back(path);
    } else if (!optional) {
      std::fprintf(stderr, "replay: %s is neither a file nor a folder\n", argv[i]);
      return 2;
    }
  }
  std::sort(files.begin(), files.end());  // the same order every run
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::fprintf(stderr, "replay: %s (%zu bytes)\n", file.c_str(), bytes.size());
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
  std::printf("replayed %zu inputs\n", files.size());
  return files.empty() ? 1 : 0;
}
