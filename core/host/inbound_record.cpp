// The refusal texts of read_inbound.
// Thread-safety: pure functions.
#include "host/inbound_record.hpp"

namespace cephalo {

namespace {

const std::string kHostAbi =
    std::to_string(CEPHALO_ABI_MAJOR) + "." + std::to_string(CEPHALO_ABI_MINOR);

}  // namespace

Error inbound_too_small(const char* struct_name, size_t size, size_t minimum) {
  return Error{std::string(struct_name) + ": struct_size is " + std::to_string(size) +
               " bytes, smaller than its first released size of " + std::to_string(minimum) +
               " bytes: set struct_size = sizeof(" + struct_name +
               ") from a cephalo/tentacle.h header"};
}

Error inbound_unknown_tail(const char* struct_name, size_t size, size_t known, size_t byte) {
  return Error{std::string(struct_name) + ": struct_size is " + std::to_string(size) +
               " bytes, larger than the " + std::to_string(known) + " bytes this host (ABI " +
               kHostAbi + ") knows, and the unknown tail is not zero (byte " +
               std::to_string(byte) +
               "): the record uses fields of a newer header that this host would ignore; build "
               "against this host's header or leave the newer fields zero"};
}

}  // namespace cephalo
