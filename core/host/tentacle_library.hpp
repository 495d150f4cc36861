// TentacleLibrary: one tentacle library, checked (manifest, file, checksum) and then handshaken.
// Thread-safety: immutable after load; share it with shared_ptr; unloads when the last owner goes.
#pragma once

#include <cephalo/tentacle.h>

#include <filesystem>
#include <memory>
#include <string>

#include "host/manifest.hpp"
#include "model/result.hpp"

namespace cephalo {

class TentacleLibrary {
 public:
  // The three checks in order: the manifest and the file before any code runs (a library's static
  // constructors run at dlopen), then the handshake, then the descriptor and its slots. Every
  // refusal names the tentacle, the file, what was expected and what was found.
  //
  // With a copy_dir, the library is loaded from a private copy made there (and removed from the
  // folder right after loading; the mapping stays). The dynamic loader knows a library by its
  // path: loading a new build from the path of a loaded one would return the old image, and an
  // install overwriting a loaded file would change code under a running tentacle. The checksum
  // is verified on the copy, so what runs is exactly what the manifest describes.
  static Result<std::shared_ptr<TentacleLibrary>> load(const TentacleManifest& manifest,
                                                       const cephalo_host_api* host_api,
                                                       const std::filesystem::path& copy_dir = {});
  // The same checks on exactly the file `image` (a private copy made by the caller, e.g. the one
  // a child process has just rehearsed; the manifest's own library when empty).
  static Result<std::shared_ptr<TentacleLibrary>> load_image(const TentacleManifest& manifest,
                                                             const cephalo_host_api* host_api,
                                                             const std::filesystem::path& image);
  ~TentacleLibrary();
  TentacleLibrary(const TentacleLibrary&) = delete;
  TentacleLibrary& operator=(const TentacleLibrary&) = delete;

  const TentacleManifest& manifest() const { return manifest_; }
  // Copies of the tentacle's descriptor and function table, zero-extended to what this host
  // knows, so a missing optional slot reads as null.
  const cephalo_tentacle_descriptor& descriptor() const { return descriptor_; }
  const cephalo_tentacle_functions& functions() const { return functions_; }
  const cephalo_host_api* host_api() const { return host_api_; }
  std::string abi_text() const;  // "1.0": what the tentacle needs
  // The file the process mapped (the private copy when one was made): how /proc/self/maps names
  // this library, to check that it left the process after the last owner let go.
  const std::filesystem::path& image_path() const { return image_path_; }
  // "<sha256>\t<name>\t<version>": what the crash log records when this build's code dies (see
  // TentacleCall); valid as long as the library.
  const char* crash_label() const { return crash_label_.c_str(); }

 private:
  TentacleLibrary() = default;

  TentacleManifest manifest_;
  std::filesystem::path image_path_;
  std::string crash_label_;
  void* handle_ = nullptr;  // dlopen's
  cephalo_tentacle_descriptor descriptor_{};
  cephalo_tentacle_functions functions_{};
  const cephalo_host_api* host_api_ = nullptr;
};

// "tentacle 'rsi' 1.0.0 (/path/libcephalo_rsi.so)": how refusals name a tentacle.
std::string describe_tentacle(const TentacleManifest& manifest);

// Checks the manifest's own claims without loading code: ABI range against this host, library
// file shape, checksum (of `library`, the manifest's library unless a copy is given).
Status check_before_load(const TentacleManifest& manifest,
                         const std::filesystem::path& library = {});

}  // namespace cephalo
