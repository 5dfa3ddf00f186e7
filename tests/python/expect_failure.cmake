# cmake -DPYTHON=... -DSCRIPT=... -DLEDGER=... -DEXPECT=... -P expect_failure.cmake
# Passes when `PYTHON SCRIPT LEDGER` exits non-zero and its output contains EXPECT.
execute_process(COMMAND ${PYTHON} ${SCRIPT} ${LEDGER}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(rc EQUAL 0)
  message(FATAL_ERROR "expected a non-zero exit, got 0")
endif()
string(FIND "${out}" "${EXPECT}" found)
if(found EQUAL -1)
  message(FATAL_ERROR "expected the output to contain '${EXPECT}'")
endif()
