# Sources of the Cascade emulator, added to the wrike_cascade_emulator library by
# src/CMakeLists.txt. None of them includes Asio/Beast (the shared Server does the network) and
# none uses the SDK's Cascade models: the emulator keeps its own JSON.
set(WRIKE_CASCADE_CASCADE_EMULATOR_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/cascade_util.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cascade_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cascade_classic.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cascade_platform.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cascade_oauth.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cascade_emulator.cpp
)
