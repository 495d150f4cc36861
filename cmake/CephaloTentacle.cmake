# cephalo_add_tentacle(): build one tentacle as its own shared library, next to its manifest.
# Used by the built-in tentacles and, through the installed CMake package, by out-of-tree ones.
#
#   cephalo_add_tentacle(<target> MANIFEST tentacle.yaml SOURCES a.cpp ... [NO_INSTALL]
#                        [OUTPUT_DIR dir])   (default: <build root>/<kind folder>/<name>)
#
# The manifest is the one place where name, kind and version are written: they are read here and
# compiled into the descriptor. After each build the manifest is copied beside the library with
# `library:` and `sha256:` lines added, which the host checks before it loads any code.
include_guard(GLOBAL)
set(_CEPHALO_TENTACLE_CMAKE_DIR ${CMAKE_CURRENT_LIST_DIR})

function(_cephalo_manifest_scalar manifest key out_var)
  file(STRINGS ${manifest} _line REGEX "^${key}:[ \t]*[^ \t]")
  list(LENGTH _line _count)
  if(NOT _count EQUAL 1)
    message(FATAL_ERROR "${manifest}: expected exactly one top-level '${key}:' line, found ${_count}")
  endif()
  string(REGEX REPLACE "^${key}:[ \t]*\"?([^\"#]*[^\"# \t])\"?.*$" "\\1" _value "${_line}")
  set(${out_var} "${_value}" PARENT_SCOPE)
endfunction()

function(cephalo_add_tentacle target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "NO_INSTALL" "MANIFEST;OUTPUT_DIR" "SOURCES")
  if(NOT ARG_MANIFEST)
    set(ARG_MANIFEST ${CMAKE_CURRENT_SOURCE_DIR}/tentacle.yaml)
  endif()
  get_filename_component(_manifest ${ARG_MANIFEST} ABSOLUTE)
  if(NOT EXISTS ${_manifest})
    message(FATAL_ERROR "cephalo_add_tentacle(${target}): manifest ${_manifest} not found")
  endif()
  _cephalo_manifest_scalar(${_manifest} name _name)
  _cephalo_manifest_scalar(${_manifest} kind _kind)
  _cephalo_manifest_scalar(${_manifest} version _version)
  _cephalo_manifest_scalar(${_manifest} abi_major _abi_major)
  _cephalo_manifest_scalar(${_manifest} abi_minor _abi_minor)
  set(_folders evaluator evaluators strategy strategies trading_mode trading_modes interface interfaces)
  list(FIND _folders ${_kind} _kind_index)
  math(EXPR _odd "${_kind_index} % 2")
  if(_kind_index LESS 0 OR _odd EQUAL 1)
    message(FATAL_ERROR "${_manifest}: kind '${_kind}' is not one of evaluator, strategy, trading_mode, interface")
  endif()
  math(EXPR _folder_index "${_kind_index} + 1")
  list(GET _folders ${_folder_index} _kind_folder)

  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE Cephalo::sdk)
  target_compile_features(${target} PRIVATE cxx_std_17)
  # Hidden visibility exports only the entry symbol; -fno-gnu-unique stops g++ from marking
  # template statics STB_GNU_UNIQUE, which would keep the library mapped after dlclose.
  target_compile_options(${target} PRIVATE -fvisibility=hidden
                         $<$<COMPILE_LANGUAGE:CXX>:-fvisibility-inlines-hidden>
                         $<$<COMPILE_LANG_AND_ID:CXX,GNU>:-fno-gnu-unique>)
  # A version script too: libstdc++ gives namespace std default visibility, so without it every
  # std:: template the tentacle instantiates would be exported (and could interpose, or be
  # interposed by, another image's different instantiation).
  set(_exports ${_CEPHALO_TENTACLE_CMAKE_DIR}/CephaloTentacleExports.map)
  target_link_options(${target} PRIVATE "LINKER:--version-script=${_exports}")
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${_exports})
  string(TOUPPER ${_kind} _kind_upper)
  target_compile_definitions(${target} PRIVATE CEPHALO_TENTACLE_NAME="${_name}"
                             CEPHALO_TENTACLE_VERSION="${_version}"
                             CEPHALO_TENTACLE_KIND=CEPHALO_KIND_${_kind_upper}
                             CEPHALO_MANIFEST_ABI_MAJOR=${_abi_major}
                             CEPHALO_MANIFEST_ABI_MINOR=${_abi_minor})
  # Name, kind and version are compiled in: an edited manifest must reconfigure and rebuild.
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_manifest})
  set_property(SOURCE ${ARG_SOURCES} APPEND PROPERTY OBJECT_DEPENDS ${_manifest})
  if(TARGET cephalo_warnings)
    target_link_libraries(${target} PRIVATE cephalo_warnings)
  endif()

  if(ARG_OUTPUT_DIR)
    set(_out_dir ${ARG_OUTPUT_DIR})
  elseif(DEFINED CEPHALO_TENTACLE_BUILD_ROOT)
    set(_out_dir ${CEPHALO_TENTACLE_BUILD_ROOT}/${_kind_folder}/${_name})
  else()
    set(_out_dir ${CMAKE_CURRENT_BINARY_DIR})
  endif()
  set_target_properties(${target} PROPERTIES
    LIBRARY_OUTPUT_DIRECTORY ${_out_dir}
    PREFIX "lib"
    OUTPUT_NAME "cephalo_${_name}"
    SKIP_BUILD_RPATH ON)
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${CMAKE_COMMAND} -DLIBRARY=$<TARGET_FILE:${target}> -DSOURCE_MANIFEST=${_manifest}
            -DOUTPUT=${_out_dir}/tentacle.yaml
            -P ${_CEPHALO_TENTACLE_CMAKE_DIR}/CephaloWriteManifest.cmake
    VERBATIM)
  set_property(TARGET ${target} PROPERTY CEPHALO_TENTACLE_DIR ${_out_dir})

  if(NOT ARG_NO_INSTALL)
    if(DEFINED CEPHALO_TENTACLE_INSTALL_ROOT)
      set(_install_root ${CEPHALO_TENTACLE_INSTALL_ROOT})
    else()
      set(_install_root lib/cephalo/tentacles)
    endif()
    # Copied byte for byte (not install(TARGETS), which may rewrite the file) so the checksum in
    # the manifest stays true.
    install(FILES $<TARGET_FILE:${target}> ${_out_dir}/tentacle.yaml
            DESTINATION ${_install_root}/${_kind_folder}/${_name})
  endif()
endfunction()
