# webhook_bench: verified Wrike webhook deliveries per second and acknowledgement latency on
# loopback. The binary forks: the parent runs the receiver, the child is the load generator.
add_executable(webhook_bench ${CMAKE_CURRENT_LIST_DIR}/webhook_bench.cpp)
target_link_libraries(webhook_bench PRIVATE WrikeCascade::wrike)
target_include_directories(webhook_bench PRIVATE ${PROJECT_SOURCE_DIR}/tests/webhooks)
