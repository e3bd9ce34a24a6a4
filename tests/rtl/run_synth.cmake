# Runs Yosys synth_xilinx on the NIC, then scripts/synth_analysis.ys (cell counts, longest paths)
# in the folder DIR, and checks that it produced a netlist with flip-flops and LUTs (a synthesis
# that silently optimised everything away would fail here). DIR is what scripts/synth_report.py
# reads with --nic-dir, so the synthesis report does not need a second 5-minute run.
# `chformal -remove` after elaboration: the RTL's assertion blocks (and the fv_* ghost logic
# that only feeds them) are not hardware; kept, their $assert cells would keep that logic in
# the netlist and in the figures. `setattr -mod -unset keep` after it: `hierarchy` marks every
# module holding assertions "keep", and a module that holds nothing else (axi_burst_check)
# would keep its instances, and the ghost logic feeding them, in the netlist after all.
separate_arguments(_srcs UNIX_COMMAND "${SOURCES}")
file(MAKE_DIRECTORY ${DIR})
execute_process(
  COMMAND ${YOSYS} -q -l yosys.log -p "read_verilog -sv ${SOURCES}; hierarchy -top smartnic_top; chformal -remove; setattr -mod -unset keep; synth_xilinx -family xcup -top smartnic_top; script ${ANALYSIS}"
  WORKING_DIRECTORY ${DIR}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "yosys synth_xilinx failed (exit ${rc}); see ${DIR}/yosys.log")
endif()
file(READ ${DIR}/stat.txt stat)
message("${stat}")
foreach(cell FDRE LUT)
  if(NOT stat MATCHES "${cell}")
    message(FATAL_ERROR "synthesis result has no ${cell} cells: the design was optimised away")
  endif()
endforeach()
file(READ ${DIR}/ltp.txt ltp)
if(NOT ltp MATCHES "Longest topological path in smartnic_top \\(length=[0-9]+\\)")
  message(FATAL_ERROR "no longest path in ${DIR}/ltp.txt")
endif()
