# Script mode (cmake -P): copy a tentacle's source manifest beside its built library, adding the
# library's file name and SHA-256. Inputs: LIBRARY, SOURCE_MANIFEST, OUTPUT.
file(READ ${SOURCE_MANIFEST} _text)
# An author's manifest must not carry these two: they describe one particular build.
string(REGEX REPLACE "(^|\n)(library|sha256):[^\n]*" "" _text "${_text}")
if(NOT _text MATCHES "\n$")
  string(APPEND _text "\n")
endif()
file(SHA256 ${LIBRARY} _sha)
get_filename_component(_file ${LIBRARY} NAME)
string(APPEND _text "library: ${_file}\nsha256: ${_sha}\n")
# Write then rename, so a reader never sees half a manifest.
file(WRITE ${OUTPUT}.tmp "${_text}")
file(RENAME ${OUTPUT}.tmp ${OUTPUT})
