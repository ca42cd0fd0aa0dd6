# decode_bench: JSON parse and Wrike model decode throughput on real Wrike bodies.
# Reads ../shared/wrike-fixtures at run time (argv[1] or WRIKE_CASCADE_SHARED_DIR override).
add_executable(decode_bench ${CMAKE_CURRENT_LIST_DIR}/decode_bench.cpp)
target_link_libraries(decode_bench PRIVATE WrikeCascade::wrike)
get_filename_component(_wc_decode_bench_shared "${PROJECT_SOURCE_DIR}/../shared" ABSOLUTE)
target_compile_definitions(decode_bench PRIVATE WRIKE_CASCADE_SHARED_DIR="${_wc_decode_bench_shared}")
unset(_wc_decode_bench_shared)
