// dlopen's own messages for a bad file are cryptic ("invalid ELF header", "file too short"), and
// code in a library runs as soon as it loads; this check names the problem first.
// Thread-safety: pure function.
#include "host/elf_check.hpp"

#include <elf.h>

#include <cstring>
#include <fstream>
#include <string>

namespace cephalo {

Status check_shared_library_file(const std::filesystem::path& file) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec) return Error{"cannot read " + file.string() + ": " + ec.message()};
  std::ifstream in(file, std::ios::binary);
  Elf64_Ehdr header{};
  in.read(reinterpret_cast<char*>(&header), sizeof header);
  if (static_cast<size_t>(in.gcount()) < EI_NIDENT ||
      std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0) {
    return Error{"not a shared library: the file does not start with the ELF signature"};
  }
  if (static_cast<size_t>(in.gcount()) < sizeof header) {
    return Error{"truncated: the file is " + std::to_string(size) +
                 " bytes, shorter than an ELF header"};
  }
  if (header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_machine != EM_X86_64) {
    return Error{"not a shared library for this machine (expected 64-bit x86-64 ELF)"};
  }
  if (header.e_type != ET_DYN) {
    return Error{"not a shared library: ELF type " + std::to_string(header.e_type) +
                 " (expected ET_DYN)"};
  }
  const uint64_t program_end = header.e_phoff + uint64_t{header.e_phnum} * header.e_phentsize;
  const uint64_t section_end = header.e_shoff + uint64_t{header.e_shnum} * header.e_shentsize;
  const uint64_t needed = std::max(program_end, section_end);
  if (needed > size) {
    return Error{"truncated: the file is " + std::to_string(size) +
                 " bytes but its ELF header says it needs at least " + std::to_string(needed)};
  }
  return Ok{};
}

}  // namespace cephalo
