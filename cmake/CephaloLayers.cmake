# Layering by the build: each engine library exposes only its own folder to its dependents.
# Headers are included as "<area>/<file>.hpp". Instead of one include root holding every area
# (core/), each library gets a root of its own under the build tree, BUILD/include/<area>/, whose
# only entry is a link <area> -> the area's folder. A target therefore sees the headers of the
# libraries it links (directly, or through their PUBLIC links) and no others: including a header
# of a library that is not below it in the layers (ARCHITECTURE.md) fails to compile.
function(cephalo_expose_area target folder)
  get_filename_component(area ${folder} NAME)
  set(root ${CMAKE_BINARY_DIR}/include/${area})
  if(NOT IS_SYMLINK ${root}/${area})
    file(MAKE_DIRECTORY ${root})
    file(CREATE_LINK ${folder} ${root}/${area} SYMBOLIC)
  endif()
  target_include_directories(${target} PUBLIC ${root})
endfunction()
