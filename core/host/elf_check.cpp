// dlopen's own messages for a bad file are cryptic ("invalid ELF header", "file too short"), and
// code in a library runs as soon as it loads; this check names the problem first.
// Thread-safety: pure function.
#include "host/elf_check.hpp"

#include <elf.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>

namespace cephalo {

namespace {

// offset + count * entry_size in bytes, or UINT64_MAX when that does not fit in 64 bits (a
// damaged header must not wrap around and pass the size check).
uint64_t end_of(uint64_t offset, uint64_t count, uint64_t entry_size) {
  uint64_t bytes = 0, end = 0;
  if (__builtin_mul_overflow(count, entry_size, &bytes) ||
      __builtin_add_overflow(offset, bytes, &end)) {
    return UINT64_MAX;
  }
  return end;
}

// The identification and the sizes the loader trusts to step through the tables.
Status check_header(const Elf64_Ehdr& header, uint64_t size) {
  if (header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_machine != EM_X86_64) {
    return Error{"not a shared library for this machine (expected 64-bit x86-64 ELF)"};
  }
  if (header.e_ident[EI_DATA] != ELFDATA2LSB) {
    return Error{"not a shared library for this machine: ELF data encoding " +
                 std::to_string(header.e_ident[EI_DATA]) + " (expected little-endian, 1)"};
  }
  if (header.e_ident[EI_VERSION] != EV_CURRENT || header.e_version != EV_CURRENT) {
    return Error{"damaged ELF header: version " + std::to_string(header.e_version) + " (expected " +
                 std::to_string(EV_CURRENT) + ")"};
  }
  if (header.e_type != ET_DYN) {
    return Error{"not a shared library: ELF type " + std::to_string(header.e_type) +
                 " (expected ET_DYN)"};
  }
  // The loader trusts these sizes to step through the tables; a damaged one used to reach
  // dlopen and come back as "Bad file descriptor".
  if (header.e_ehsize != sizeof(Elf64_Ehdr)) {
    return Error{"damaged ELF header: it says the header is " + std::to_string(header.e_ehsize) +
                 " bytes (expected " + std::to_string(sizeof(Elf64_Ehdr)) + ")"};
  }
  if (header.e_phnum == 0 || header.e_phentsize != sizeof(Elf64_Phdr)) {
    return Error{"damaged ELF header: " + std::to_string(header.e_phnum) + " program headers of " +
                 std::to_string(header.e_phentsize) + " bytes each (expected at least one, of " +
                 std::to_string(sizeof(Elf64_Phdr)) + " bytes)"};
  }
  if (header.e_shnum != 0 && header.e_shentsize != sizeof(Elf64_Shdr)) {
    return Error{"damaged ELF header: section headers of " + std::to_string(header.e_shentsize) +
                 " bytes each (expected " + std::to_string(sizeof(Elf64_Shdr)) + ")"};
  }
  const uint64_t needed = std::max(end_of(header.e_phoff, header.e_phnum, header.e_phentsize),
                                   end_of(header.e_shoff, header.e_shnum, header.e_shentsize));
  if (needed > size) {
    return Error{"truncated: the file is " + std::to_string(size) +
                 " bytes but its ELF header says it needs at least " +
                 (needed == UINT64_MAX ? std::string("2^64") : std::to_string(needed))};
  }
  return Ok{};
}

// Every loadable segment's file bytes must be in the file, and there must be a dynamic section:
// without it there is no symbol table to find the entry point in.
Status check_segments(std::ifstream& in, const Elf64_Ehdr& header, uint64_t size,
                      const std::filesystem::path& file) {
  bool has_load = false, has_dynamic = false;
  in.clear();
  in.seekg(static_cast<std::streamoff>(header.e_phoff));
  for (uint16_t i = 0; i < header.e_phnum; ++i) {
    Elf64_Phdr program{};
    in.read(reinterpret_cast<char*>(&program), sizeof program);
    if (static_cast<size_t>(in.gcount()) != sizeof program) {
      return Error{"cannot read program header " + std::to_string(i) + " of " + file.string()};
    }
    if (program.p_type == PT_LOAD) has_load = true;
    if (program.p_type == PT_DYNAMIC) has_dynamic = true;
    const uint64_t end = end_of(program.p_offset, 1, program.p_filesz);
    if ((program.p_type == PT_LOAD || program.p_type == PT_DYNAMIC) && end > size) {
      return Error{"truncated: program header " + std::to_string(i) + " maps bytes " +
                   std::to_string(program.p_offset) + " to " + std::to_string(end) + " of a " +
                   std::to_string(size) + "-byte file"};
    }
  }
  if (!has_load || !has_dynamic) {
    return Error{std::string("not a shared library: no ") +
                 (has_load ? "dynamic section (PT_DYNAMIC)" : "loadable segment (PT_LOAD)") +
                 " in its program headers"};
  }
  return Ok{};
}

}  // namespace

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
  if (auto checked = check_header(header, size); !checked.ok()) return checked;
  return check_segments(in, header, size, file);
}

}  // namespace cephalo
