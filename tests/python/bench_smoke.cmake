# cmake -DPYTHON=... -DBENCH=<benchmarks/python> -DDRIVER=... -DJOURNAL=... -P bench_smoke.cmake
# Writes a 300-order journal (20 members) and runs bench_run.py on it for one round.
execute_process(COMMAND ${PYTHON} ${BENCH}/make_journal.py 300 20 OUTPUT_FILE ${JOURNAL} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "make_journal.py failed (${rc})")
endif()
execute_process(COMMAND ${PYTHON} ${BENCH}/bench_run.py ${JOURNAL} ${DRIVER} 1
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "bench_run.py failed (${rc})")
endif()
