# Runs CMD (a ;-list) and checks both its exit status (RC: "zero" or "nonzero") and that its
# output matches REGEX, so a test cannot pass on the message alone or the status alone.
execute_process(COMMAND ${CMD} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(all "${out}${err}")
if(RC STREQUAL "zero" AND NOT rc EQUAL 0)
  message(FATAL_ERROR "exit status ${rc}, expected 0:\n${all}")
elseif(RC STREQUAL "nonzero" AND rc EQUAL 0)
  message(FATAL_ERROR "exit status 0, expected a failure:\n${all}")
endif()
if(NOT all MATCHES "${REGEX}")
  message(FATAL_ERROR "output does not match '${REGEX}':\n${all}")
endif()
message("${all}")
