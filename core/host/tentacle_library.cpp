// Loading with dlopen and negotiating the ABI; every failure becomes a Result error.
// Thread-safety: see tentacle_library.hpp.
#include "host/tentacle_library.hpp"

#include <dlfcn.h>

#include <cstring>
#include <optional>

#include "host/elf_check.hpp"
#include "host/inbound_record.hpp"
#include "host/private_copy.hpp"
#include "host/sha256.hpp"
#include "host/tentacle_call.hpp"
#include "model/market.hpp"

namespace cephalo {

namespace {

std::string version_text(unsigned major, unsigned minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

const std::string kHostAbi = version_text(CEPHALO_ABI_MAJOR, CEPHALO_ABI_MINOR);

Status check_abi(unsigned major, unsigned minor, const char* who) {
  if (major != CEPHALO_ABI_MAJOR) {
    return Error{std::string(who) + " needs ABI " + version_text(major, minor) +
                 ", this host provides ABI " + kHostAbi +
                 ": the major versions differ, so it cannot run here (rebuild it against this "
                 "cephalo's SDK)"};
  }
  if (minor > CEPHALO_ABI_MINOR) {
    return Error{std::string(who) + " needs ABI " + version_text(major, minor) +
                 ", newer than this host's ABI " + kHostAbi + " (upgrade cephalo)"};
  }
  return Ok{};
}

}  // namespace

std::string describe_tentacle(const TentacleManifest& manifest) {
  std::string text =
      "tentacle '" + (manifest.name.empty() ? std::string("?") : manifest.name) + "'";
  if (!manifest.version.empty()) text += " " + manifest.version;
  text +=
      " (" + (manifest.library.empty() ? manifest.file : manifest.library_path()).string() + ")";
  return text;
}

std::string TentacleLibrary::abi_text() const {
  return version_text(descriptor_.abi_major, descriptor_.abi_minor);
}

Status check_before_load(const TentacleManifest& manifest, const std::filesystem::path& copy) {
  const std::string who = describe_tentacle(manifest);
  if (auto abi = check_abi(manifest.abi_major, manifest.abi_minor, "its manifest says it");
      !abi.ok()) {
    return Error{who + ": refused before loading: " + abi.error()};
  }
  const auto library = copy.empty() ? manifest.library_path() : copy;
  if (!std::filesystem::exists(library)) {
    return Error{who + ": library file missing (manifest " + manifest.file.string() + " names '" +
                 manifest.library + "')"};
  }
  if (auto shape = check_shared_library_file(library); !shape.ok()) {
    return Error{who + ": " + shape.error()};
  }
  const auto digest = sha256_file_hex(library);
  if (!digest.ok()) return Error{who + ": " + digest.error()};
  if (digest.value() != manifest.sha256) {
    return Error{who + ": checksum mismatch: manifest expects sha256 " + manifest.sha256 +
                 ", the file has " + digest.value() +
                 " (the library changed after its manifest was written; rebuild or reinstall)"};
  }
  return Ok{};
}

Result<std::shared_ptr<TentacleLibrary>> TentacleLibrary::load(
    const TentacleManifest& manifest, const cephalo_host_api* host_api,
    const std::filesystem::path& copy_dir) {
  if (copy_dir.empty()) return load_image(manifest, host_api, {});
  auto copy = PrivateCopy::make(manifest.library_path(), copy_dir, manifest.name);
  if (!copy.ok()) return Error{describe_tentacle(manifest) + ": " + copy.error()};
  // The copy goes when this returns: the mapping keeps the code; the folder keeps nothing.
  return load_image(manifest, host_api, copy->path());
}

TentacleLibrary::~TentacleLibrary() {
  if (handle_ == nullptr) return;
  // A library's static destructors run here.
  const TentacleCallScope inside(crash_label_.c_str(), "unload");
  ::dlclose(handle_);
}

Result<std::shared_ptr<TentacleLibrary>> TentacleLibrary::load_image(
    const TentacleManifest& manifest, const cephalo_host_api* host_api,
    const std::filesystem::path& image_file) {
  const std::filesystem::path image = image_file.empty() ? manifest.library_path() : image_file;
  if (auto checked = check_before_load(manifest, image); !checked.ok()) {
    return Error{checked.error()};
  }
  const std::string who = describe_tentacle(manifest);

  std::shared_ptr<TentacleLibrary> result(new TentacleLibrary());
  result->manifest_ = manifest;
  result->image_path_ = image;
  result->host_api_ = host_api;
  result->crash_label_ = manifest.sha256 + "\t" + manifest.name + "\t" + manifest.version;
  // Its static constructors run in dlopen and its entry point right after: code of the build.
  const TentacleCallScope inside(result->crash_label_.c_str(), "load");
  // dlerror's state is per thread in glibc (concurrency-mt-unsafe judges it by POSIX's wording).
  ::dlerror();  // NOLINT(concurrency-mt-unsafe)
  result->handle_ = ::dlopen(image.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (result->handle_ == nullptr) {
    // dlerror's own words ("ELF load command address/offset not page-aligned", ...) name the
    // problem precisely; Boost.DLL used to turn them all into "Bad file descriptor".
    const char* reason = ::dlerror();  // NOLINT(concurrency-mt-unsafe): per thread, see above
    return Error{who + ": the dynamic loader refused it: " +
                 (reason != nullptr ? std::string(reason) : std::string("no reason given"))};
  }
  ::dlerror();  // NOLINT(concurrency-mt-unsafe): per thread, see above
  void* symbol = ::dlsym(result->handle_, CEPHALO_ENTRY_SYMBOL);
  if (symbol == nullptr) {
    return Error{who + ": entry symbol '" CEPHALO_ENTRY_SYMBOL
                       "' missing: the library does not export it (build it with "
                       "CEPHALO_EXPORT_TENTACLE / cephalo_add_tentacle)"};
  }
  cephalo_entry_fn entry = nullptr;
  static_assert(sizeof entry == sizeof symbol);
  std::memcpy(&entry, &symbol, sizeof entry);  // dlsym's object pointer as the function it is

  cephalo_negotiation negotiation{};
  negotiation.struct_size = sizeof negotiation;
  negotiation.host_abi_major = CEPHALO_ABI_MAJOR;
  negotiation.host_abi_minor = CEPHALO_ABI_MINOR;
  const cephalo_tentacle_descriptor* raw_descriptor = nullptr;
  const cephalo_status status = entry(&negotiation, host_api, &raw_descriptor);
  if (auto abi = check_abi(negotiation.tentacle_abi_major, negotiation.tentacle_abi_minor,
                           "the library says it");
      !abi.ok()) {
    return Error{who + ": refused at handshake: " + abi.error()};
  }
  if (status != CEPHALO_OK) {
    return Error{who + ": entry point refused the handshake with status " + std::to_string(status) +
                 " (host ABI " + kHostAbi + ", tentacle ABI " +
                 version_text(negotiation.tentacle_abi_major, negotiation.tentacle_abi_minor) +
                 ")"};
  }

  if (auto copied = read_inbound(raw_descriptor, result->descriptor_); !copied.ok()) {
    return Error{who + ": " + copied.error()};
  }
  const auto& descriptor = result->descriptor_;
  if (auto abi = check_abi(descriptor.abi_major, descriptor.abi_minor, "its descriptor says it");
      !abi.ok()) {
    return Error{who + ": " + abi.error()};
  }
  // The manifest is what was checked before any code ran, and what `tentacles list` shows: a
  // library that needs another ABI than its manifest says would make that check a lie.
  if (descriptor.abi_major != manifest.abi_major || descriptor.abi_minor != manifest.abi_minor) {
    return Error{who + ": the library says it needs ABI " +
                 version_text(descriptor.abi_major, descriptor.abi_minor) + " but its manifest " +
                 manifest.file.string() + " says ABI " +
                 version_text(manifest.abi_major, manifest.abi_minor) +
                 " (build it with cephalo_add_tentacle, which takes the ABI from the manifest, "
                 "or correct abi_major/abi_minor in the manifest)"};
  }
  if (auto copied = read_inbound(descriptor.functions, result->functions_); !copied.ok()) {
    return Error{who + ": " + copied.error()};
  }
  result->descriptor_.functions = &result->functions_;
  const auto& functions = result->functions_;
  if (functions.create == nullptr || functions.destroy == nullptr ||
      (functions.on_event == nullptr && descriptor.kind != CEPHALO_KIND_INTERFACE)) {
    return Error{who + ": function table lacks create, destroy or on_event"};
  }

  auto mismatch = [&](const char* field, const std::string& in_library,
                      const std::string& in_manifest) -> Result<std::shared_ptr<TentacleLibrary>> {
    return Error{who + ": descriptor " + field + " is '" + in_library + "' but the manifest " +
                 manifest.file.string() + " says '" + in_manifest + "'"};
  };
  const std::string descriptor_name = descriptor.name ? descriptor.name : "";
  const std::string descriptor_version = descriptor.version ? descriptor.version : "";
  if (descriptor_name != manifest.name) return mismatch("name", descriptor_name, manifest.name);
  if (descriptor.kind != manifest.kind) {
    return mismatch("kind", kind_to_string(descriptor.kind), kind_to_string(manifest.kind));
  }
  if (descriptor_version != manifest.version) {
    return mismatch("version", descriptor_version, manifest.version);
  }
  return result;
}

}  // namespace cephalo
