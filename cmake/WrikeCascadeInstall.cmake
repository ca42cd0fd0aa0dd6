# Installs a relocatable CMake package:
#   find_package(WrikeCascade CONFIG REQUIRED)
#   target_link_libraries(app PRIVATE WrikeCascade::wrike)
include(CMakePackageConfigHelpers)

set(WRIKE_CASCADE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/WrikeCascade)

install(TARGETS wrike_cascade_core wrike_cascade_wrike wrike_cascade_emulator wrike_cascade_cascade
  wrike_cascade_mapping
  EXPORT WrikeCascadeTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS wrike-emulator RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

install(EXPORT WrikeCascadeTargets
  NAMESPACE WrikeCascade::
  DESTINATION ${WRIKE_CASCADE_CMAKE_DIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/WrikeCascadeConfig.cmake.in
  ${PROJECT_BINARY_DIR}/WrikeCascadeConfig.cmake
  INSTALL_DESTINATION ${WRIKE_CASCADE_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/WrikeCascadeConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/WrikeCascadeConfig.cmake
  ${PROJECT_BINARY_DIR}/WrikeCascadeConfigVersion.cmake
  ${PROJECT_SOURCE_DIR}/cmake/WrikeCascadeDeps.cmake
  DESTINATION ${WRIKE_CASCADE_CMAKE_DIR})
