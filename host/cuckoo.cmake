# Unit tests of the cuckoo placement behind VmIpTable (src/cuckoo_placement.cpp, part of
# smartnic_runtime): load reached, writes per insert, errors. Included from host/CMakeLists.txt.
if(TARGET GTest::gtest_main)
  add_executable(test_cuckoo_placement ${CMAKE_CURRENT_LIST_DIR}/../tests/host/test_cuckoo_placement.cpp)
  target_link_libraries(test_cuckoo_placement PRIVATE smartnic_runtime GTest::gtest_main)
  target_compile_options(test_cuckoo_placement PRIVATE -Wall -Wextra)
  gtest_discover_tests(test_cuckoo_placement PROPERTIES LABELS host DISCOVERY_TIMEOUT 60)
endif()
