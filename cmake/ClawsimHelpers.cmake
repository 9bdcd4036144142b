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

# clawsim_proto_library(target NAME): compiles sim/proto/NAME.proto (which imports nothing)
# into ${PROJECT_BINARY_DIR}/sim/proto/NAME.pb.{h,cc} and NAME_pb2.py, and makes the static
# library `target` of the C++ code and the always-built target `target_python` of the Python
# module (PYTHONPATH=<build dir>/sim/proto). A custom command rather than CMake 3.25's
# protobuf_generate, which flattens the output directory.
function(clawsim_proto_library target name)
  set(out ${PROJECT_BINARY_DIR}/sim/proto/${name})
  add_custom_command(
    OUTPUT ${out}.pb.h ${out}.pb.cc ${out}_pb2.py
    COMMAND protobuf::protoc
      --proto_path=${PROJECT_SOURCE_DIR}
      --cpp_out=${PROJECT_BINARY_DIR}
      --python_out=${PROJECT_BINARY_DIR}
      sim/proto/${name}.proto
    DEPENDS ${PROJECT_SOURCE_DIR}/sim/proto/${name}.proto protobuf::protoc
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    COMMENT "protoc sim/proto/${name}.proto (C++ and Python)"
    VERBATIM)
  add_library(${target} STATIC ${out}.pb.cc)
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR})
  target_link_libraries(${target} PUBLIC protobuf::libprotobuf)
  add_custom_target(${target}_python ALL DEPENDS ${out}_pb2.py)
endfunction()
