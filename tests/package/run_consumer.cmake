# cmake -P driver for package.find_package: install, configure the consumer, build it, run it.
# Inputs: LOYALTY_BUILD_DIR, CONSUMER_SOURCE_DIR, WORK_DIR, CXX_COMPILER, CXX_STANDARD, CONFIG.
cmake_minimum_required(VERSION 3.20)

foreach(var LOYALTY_BUILD_DIR CONSUMER_SOURCE_DIR WORK_DIR CXX_COMPILER CXX_STANDARD)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run_consumer.cmake: ${var} is not set")
  endif()
endforeach()
if(NOT CONFIG)
  set(CONFIG Release)
endif()

set(prefix ${WORK_DIR}/prefix)
set(build ${WORK_DIR}/build)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

function(step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  message(STATUS "${what}: ok")
  set(step_output "${out}" PARENT_SCOPE)
endfunction()

step("install into ${prefix}"
  ${CMAKE_COMMAND} --install ${LOYALTY_BUILD_DIR} --prefix ${prefix} --config ${CONFIG})
if(NOT EXISTS ${prefix}/lib/cmake/loyalty/loyaltyConfig.cmake AND NOT EXISTS ${prefix}/lib64/cmake/loyalty/loyaltyConfig.cmake)
  file(GLOB_RECURSE found ${prefix}/*loyaltyConfig.cmake)
  if(NOT found)
    message(FATAL_ERROR "the install put no loyaltyConfig.cmake under ${prefix}")
  endif()
endif()

step("configure the consumer"
  ${CMAKE_COMMAND} -S ${CONSUMER_SOURCE_DIR} -B ${build}
    -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
    -DCMAKE_CXX_STANDARD=${CXX_STANDARD}
    -DCMAKE_BUILD_TYPE=${CONFIG})
step("build the consumer" ${CMAKE_COMMAND} --build ${build} --config ${CONFIG} --parallel 2)

find_program(consumer loyalty-consumer PATHS ${build} ${build}/${CONFIG} NO_DEFAULT_PATH)
if(NOT consumer)
  message(FATAL_ERROR "the consumer was built but loyalty-consumer is not in ${build}")
endif()
step("run the consumer" ${consumer})
message(STATUS "${step_output}")

# The store, when installed: through CMake, and through pkg-config (loyalty-store.pc, which
# requires loyalty.pc), the way a build without CMake uses the package.
file(GLOB_RECURSE store_pc ${prefix}/*/pkgconfig/loyalty-store.pc)
file(GLOB_RECURSE core_pc ${prefix}/*/pkgconfig/loyalty.pc)
if(NOT core_pc)
  message(FATAL_ERROR "the install put no pkgconfig/loyalty.pc under ${prefix}")
endif()
if(store_pc)
  find_program(store_consumer loyalty-store-consumer PATHS ${build} ${build}/${CONFIG} NO_DEFAULT_PATH)
  if(NOT store_consumer)
    message(FATAL_ERROR "the package has the store but loyalty-store-consumer was not built")
  endif()
  step("run the store consumer" ${store_consumer} ${WORK_DIR}/cmake-store.db)
  find_program(pkg_config NAMES pkg-config pkgconf)
  if(NOT pkg_config)
    message(FATAL_ERROR "pkg-config is needed to check the installed .pc files")
  endif()
  get_filename_component(pc_dir ${store_pc} DIRECTORY)
  set(ENV{PKG_CONFIG_PATH} ${pc_dir})
  step("pkg-config loyalty-store" ${pkg_config} --cflags --libs loyalty-store)
  separate_arguments(pc_flags UNIX_COMMAND "${step_output}")
  step("build the store consumer with pkg-config"
    ${CXX_COMPILER} -std=c++${CXX_STANDARD} ${CONSUMER_SOURCE_DIR}/store_main.cpp ${pc_flags}
      -o ${WORK_DIR}/loyalty-store-consumer-pc)
  step("run the store consumer built with pkg-config" ${WORK_DIR}/loyalty-store-consumer-pc ${WORK_DIR}/pc-store.db)
  message(STATUS "${step_output}")
endif()
