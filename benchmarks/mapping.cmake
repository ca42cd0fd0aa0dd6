# mapping_bench: the header-only mapping layer on a synthetic account built in memory: config
# parse + resolve, map_to_cascade and make_plan (all creates, all no-ops, 1% renamed) for
# 100,000 tasks in 1,000 projects and for a tenth of that; CPU and wall time, allocations and
# peak RSS per item, and the ratio between the two sizes. Non-zero exit when a plan's counts are
# wrong.
add_executable(mapping_bench ${CMAKE_CURRENT_LIST_DIR}/mapping_bench.cpp)
target_link_libraries(mapping_bench PRIVATE WrikeCascade::mapping)

# The quick run's count checks (creates == items, no-ops == items, updates == renamed) as a
# test: a correctness check at 10,000 tasks, not a timing assertion.
if(WRIKE_CASCADE_BUILD_TESTS)
  add_test(NAME mapping_bench_counts COMMAND mapping_bench --quick)
  set_tests_properties(mapping_bench_counts PROPERTIES TIMEOUT 300 LABELS bench-smoke)
endif()
