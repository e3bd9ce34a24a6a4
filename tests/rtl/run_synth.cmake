# Runs Yosys synth_xilinx on the NIC and checks that it produced a netlist with flip-flops
# and LUTs (a synthesis that silently optimised everything away would fail here).
separate_arguments(_srcs UNIX_COMMAND "${SOURCES}")
execute_process(
  COMMAND ${YOSYS} -q -p "read_verilog -sv ${SOURCES}; synth_xilinx -family xcup -top smartnic_top; tee -o ${OUT} stat"
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "yosys synth_xilinx failed (exit ${rc})")
endif()
file(READ ${OUT} stat)
message("${stat}")
foreach(cell FDRE LUT)
  if(NOT stat MATCHES "${cell}")
    message(FATAL_ERROR "synthesis result has no ${cell} cells: the design was optimised away")
  endif()
endforeach()
