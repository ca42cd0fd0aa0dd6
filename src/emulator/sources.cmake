# Sources of the wrike_cascade_emulator library (the target is defined in src/CMakeLists.txt).
# Only server_net.cpp (the server) and outbound_http.cpp (webhook calls) include Asio/Beast;
# keep it that way for compile time.
set(WRIKE_CASCADE_EMULATOR_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/server.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server_net.cpp
  ${CMAKE_CURRENT_LIST_DIR}/outbound_http.cpp
  ${CMAKE_CURRENT_LIST_DIR}/executable.cpp
  ${CMAKE_CURRENT_LIST_DIR}/oauth_common.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tls_cert.cpp
  ${CMAKE_CURRENT_LIST_DIR}/wrike_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/wrike_service.cpp
  ${CMAKE_CURRENT_LIST_DIR}/wrike_writes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/wrike_oauth.cpp
  ${CMAKE_CURRENT_LIST_DIR}/wrike_webhooks.cpp
  ${CMAKE_CURRENT_LIST_DIR}/wrike_emulator.cpp
)
