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
step("build the consumer" ${CMAKE_COMMAND} --build ${build} --config ${CONFIG})

find_program(consumer loyalty-consumer PATHS ${build} ${build}/${CONFIG} NO_DEFAULT_PATH)
if(NOT consumer)
  message(FATAL_ERROR "the consumer was built but loyalty-consumer is not in ${build}")
endif()
step("run the consumer" ${consumer})
message(STATUS "${step_output}")
