#!/bin/sh
# Checks that tentacle libraries export only their entry point and carry no STB_GNU_UNIQUE symbol.
# Thread-safety: n/a (a CTest script). Usage: check_exports.sh NM [--no-entry] LIBRARY ...
#
# Why: a tentacle must be unloadable and must not interpose on the host or another tentacle.
# Exported symbols beyond the entry point can bind across images (two versions of one std::
# template, say); a "u" (STB_GNU_UNIQUE) symbol makes dlclose keep the library mapped for good.
# Allowed in `nm -D --defined-only` output, exactly:
#   cephalo_tentacle_entry                      the one entry point (required, type T)
#   _init _fini _edata _end __bss_start         linker-made; older linkers export them
# --no-entry marks the next library as a deliberate "no entry point" fixture: it must NOT export
# cephalo_tentacle_entry, may export other symbols, and is still held to the "u" rule.
set -u
nm_tool=$1
shift
status=0
no_entry=0
checked=0
for arg in "$@"; do
  if [ "$arg" = "--no-entry" ]; then
    no_entry=1
    continue
  fi
  library=$arg
  checked=$((checked + 1))
  if ! defined=$("$nm_tool" -D --defined-only "$library" 2>&1); then
    echo "FAIL $library: nm failed: $defined"
    status=1
    no_entry=0
    continue
  fi
  # Defined lines are "ADDRESS TYPE NAME[@VERSION]"; keep "TYPE NAME".
  symbols=$(printf '%s\n' "$defined" | awk 'NF == 3 { sub(/@.*/, "", $3); print $2, $3 }')
  unique=$(printf '%s\n' "$symbols" | awk '$1 == "u" { print $2 }')
  if [ -n "$unique" ]; then
    echo "FAIL $library: STB_GNU_UNIQUE (nm type u) symbols keep it mapped after dlclose" \
      "(build with -fno-gnu-unique):"
    printf '%s\n' "$unique" | sed 's/^/    /'
    status=1
  fi
  has_entry=$(printf '%s\n' "$symbols" | awk '$1 == "T" && $2 == "cephalo_tentacle_entry"')
  if [ "$no_entry" -eq 1 ]; then
    if [ -n "$has_entry" ]; then
      echo "FAIL $library: marked --no-entry but exports cephalo_tentacle_entry"
      status=1
    fi
  else
    if [ -z "$has_entry" ]; then
      echo "FAIL $library: does not export cephalo_tentacle_entry as a function (nm type T)"
      status=1
    fi
    extra=$(printf '%s\n' "$symbols" | awk '
      $2 != "cephalo_tentacle_entry" && $2 != "_init" && $2 != "_fini" && $2 != "_edata" &&
      $2 != "_end" && $2 != "__bss_start" && $2 != "" { print $1, $2 }')
    if [ -n "$extra" ]; then
      echo "FAIL $library: exports symbols other than cephalo_tentacle_entry (nm type, name):"
      printf '%s\n' "$extra" | while read -r type name; do
        readable=$(printf '%s\n' "$name" | c++filt 2>/dev/null || printf '%s' "$name")
        if [ "$readable" = "$name" ]; then
          echo "    $type $name"
        else
          echo "    $type $name  ($readable)"
        fi
      done
      status=1
    fi
  fi
  no_entry=0
done
if [ "$checked" -eq 0 ]; then
  echo "FAIL: no libraries given"
  status=1
fi
[ "$status" -eq 0 ] && echo "OK: $checked libraries export only their entry point, none has a u symbol"
exit $status
