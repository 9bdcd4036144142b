# Shared compile settings and one small helper per kind of target.

# clawsim_options(target): warnings, sanitizers, include root.
function(clawsim_options target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 reports impossible std::string overlaps at -O3 (GCC bug 105329); a false positive.
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(CLAWSIM_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(CLAWSIM_SANITIZE)
    string(REPLACE ";" "," _san "${CLAWSIM_SANITIZE}")
    target_compile_options(${target} PRIVATE -fsanitize=${_san} -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=${_san})
    if("thread" IN_LIST CLAWSIM_SANITIZE)
      target_compile_definitions(${target} PRIVATE CLAWSIM_THREAD_SANITIZER=1)
    endif()
  endif()
endfunction()

# clawsim_library(name SOURCES ... DEPS ...)
function(clawsim_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  clawsim_options(${name})
endfunction()

# clawsim_test(name SOURCES ... DEPS ... [LABELS ...]): one GoogleTest binary, registered with ctest.
function(clawsim_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
  clawsim_options(${name})
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${ARG_LABELS}")
endfunction()

# clawsim_benchmark(name SOURCES ... DEPS ...): one Google Benchmark binary (not run by ctest).
function(clawsim_benchmark name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} benchmark::benchmark)
  clawsim_options(${name})
endfunction()
