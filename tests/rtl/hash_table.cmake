# Block-RAM cuckoo VM-IP table (rtl/vm_ip_hash_table.sv): Verilated models at three sizes,
# their GoogleTest binary, lint of every configuration, the hash-constant check, and an
# a Yosys synthesis of the 4 K configuration alone (the 64 K one is synthesised inside the NIC by
# rtl_synth_xilinx). Included from tests/rtl/CMakeLists.txt; needs smartnic_runtime (host/).
set(SMARTNIC_HASH_RTL
  ${SMARTNIC_RTL_DIR}/vm_ip_hash_pkg.sv
  ${SMARTNIC_RTL_DIR}/vm_ip_hash_index.sv
  ${SMARTNIC_RTL_DIR}/vm_ip_hash_ram.sv
  ${SMARTNIC_RTL_DIR}/vm_ip_hash_table.sv)

add_executable(test_vm_ip_hash_table ${CMAKE_CURRENT_LIST_DIR}/test_vm_ip_hash_table.cpp)
foreach(cfg IN ITEMS "small;-GWAYS=4;-GBUCKETS=64;-GSLOTS=1;-GSTASH=8"
                     "s2;-GWAYS=3;-GBUCKETS=32;-GSLOTS=2;-GSTASH=4"
                     "64k;-GWAYS=4;-GBUCKETS=16384;-GSLOTS=1;-GSTASH=8")
  list(POP_FRONT cfg name)
  verilate(test_vm_ip_hash_table PREFIX Vvm_ip_hash_table_${name} TOP_MODULE vm_ip_hash_table
    SOURCES ${SMARTNIC_HASH_RTL}
    VERILATOR_ARGS -Wall --assert ${cfg} OPT_FAST -O2)
endforeach()
target_link_libraries(test_vm_ip_hash_table PRIVATE smartnic_runtime GTest::gtest_main)
gtest_discover_tests(test_vm_ip_hash_table PROPERTIES LABELS rtl DISCOVERY_TIMEOUT 60)

string(REPLACE ";" " " _hash_rtl_files "${SMARTNIC_HASH_RTL}")
add_test(NAME rtl_lint_vm_ip_hash_table
  COMMAND ${CMAKE_COMMAND} -E env sh -c
    "for p in '-GBUCKETS=64' '' '-GWAYS=3 -GBUCKETS=1024 -GSLOTS=2 -GSTASH=4' '-GWAYS=5 -GBUCKETS=16384'; do ${VERILATOR_BIN} --lint-only -Wall $p --top-module vm_ip_hash_table ${_hash_rtl_files} || exit 1; done")
set_tests_properties(rtl_lint_vm_ip_hash_table PROPERTIES LABELS "rtl;lint")

add_test(NAME vm_ip_hash_tables_up_to_date
  COMMAND ${Python3_EXECUTABLE} ${SMARTNIC_RTL_DIR}/../scripts/gen_hash_tables.py --check)
set_tests_properties(vm_ip_hash_tables_up_to_date PROPERTIES LABELS rtl)

# Yosys synth_xilinx of the 4 K configuration alone (~30-45 s on 2 cores).
add_test(NAME rtl_synth_vm_ip_hash_table_4k
  COMMAND ${YOSYS_BIN} -q -p "read_verilog -sv ${_hash_rtl_files}; chparam -set BUCKETS 1024 vm_ip_hash_table; hierarchy -top vm_ip_hash_table; chformal -remove; setattr -mod -unset keep; synth_xilinx -family xcup -top vm_ip_hash_table -flatten; tee -o ${CMAKE_CURRENT_BINARY_DIR}/synth_vm_ip_hash_table_4k.txt stat")
set_tests_properties(rtl_synth_vm_ip_hash_table_4k PROPERTIES LABELS "rtl;synth" TIMEOUT 600)
