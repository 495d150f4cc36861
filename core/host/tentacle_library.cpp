// Loading with Boost.DLL and negotiating the ABI; every failure becomes a Result error.
// Thread-safety: see tentacle_library.hpp.
#include "host/tentacle_library.hpp"

#include <cstring>
#include <optional>

#include "host/elf_check.hpp"
#include "host/private_copy.hpp"
#include "host/sha256.hpp"
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

// Copies a struct the tentacle sent into a zeroed one of the size this host knows. A larger
// struct is accepted only when everything past what the host knows is zero: a non-zero tail
// means the tentacle relies on fields this host would silently ignore.
template <class T>
Status copy_known_prefix(const T* source, size_t minimum_size, const char* what, T& out) {
  if (source == nullptr) return Error{std::string(what) + " is missing (null pointer)"};
  const uint32_t size = source->struct_size;
  if (size < minimum_size) {
    return Error{std::string(what) + " is " + std::to_string(size) +
                 " bytes, smaller than the ABI 1.0 minimum of " + std::to_string(minimum_size)};
  }
  if (size > sizeof(T)) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(source);
    for (size_t i = sizeof(T); i < size; ++i) {
      if (bytes[i] != 0) {
        return Error{std::string(what) + " is " + std::to_string(size) +
                     " bytes, larger than the " + std::to_string(sizeof(T)) +
                     " this host knows, and the unknown tail is not zero (byte " +
                     std::to_string(i) + "): it needs features of a newer host"};
      }
    }
  }
  std::memset(&out, 0, sizeof(T));
  std::memcpy(&out, source, std::min<size_t>(size, sizeof(T)));
  out.struct_size = static_cast<uint32_t>(sizeof(T));
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
  std::filesystem::path image = manifest.library_path();
  std::optional<PrivateCopy> copy;
  if (!copy_dir.empty()) {
    auto made = PrivateCopy::make(image, copy_dir, manifest.name);
    if (!made.ok()) return Error{describe_tentacle(manifest) + ": " + made.error()};
    copy.emplace(std::move(made.value()));
    image = copy->path();
  }
  if (auto checked = check_before_load(manifest, image); !checked.ok()) {
    return Error{checked.error()};
  }
  const std::string who = describe_tentacle(manifest);

  std::shared_ptr<TentacleLibrary> result(new TentacleLibrary());
  result->manifest_ = manifest;
  result->image_path_ = image;
  result->host_api_ = host_api;
  boost::dll::fs::error_code ec;
  result->library_.load(image, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local,
                        ec);
  copy.reset();  // the mapping keeps the code; the folder keeps nothing
  if (ec) {
    return Error{who + ": not a loadable shared library: " + ec.message()};
  }
  if (!result->library_.has(CEPHALO_ENTRY_SYMBOL)) {
    return Error{who + ": entry symbol '" CEPHALO_ENTRY_SYMBOL
                       "' missing: the library does not export it (build it with "
                       "CEPHALO_EXPORT_TENTACLE / cephalo_add_tentacle)"};
  }
  auto& entry = result->library_.get<std::remove_pointer_t<cephalo_entry_fn>>(CEPHALO_ENTRY_SYMBOL);

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

  constexpr size_t kMinimumDescriptor =
      offsetof(cephalo_tentacle_descriptor, functions) + sizeof(void*);
  if (auto copied =
          copy_known_prefix(raw_descriptor, kMinimumDescriptor, "descriptor", result->descriptor_);
      !copied.ok()) {
    return Error{who + ": " + copied.error()};
  }
  const auto& descriptor = result->descriptor_;
  if (auto abi = check_abi(descriptor.abi_major, descriptor.abi_minor, "its descriptor says it");
      !abi.ok()) {
    return Error{who + ": " + abi.error()};
  }
  constexpr size_t kMinimumFunctions =
      offsetof(cephalo_tentacle_functions, load_state) + sizeof(void*);
  if (auto copied = copy_known_prefix(descriptor.functions, kMinimumFunctions, "function table",
                                      result->functions_);
      !copied.ok()) {
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
