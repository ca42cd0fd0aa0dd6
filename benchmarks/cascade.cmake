# cascade_bench: creating then updating 5,000 Cascade Classic tasks under 50 goals through the
# Cascade emulator (in process) with 30 ms added latency; bounded concurrency; duplicates
# counted in the emulator's store.
add_executable(cascade_bench ${CMAKE_CURRENT_LIST_DIR}/cascade_bench.cpp)
target_link_libraries(cascade_bench PRIVATE WrikeCascade::cascade WrikeCascade::emulator)
