# Dependencies shared by the build and (through find_dependency) by the installed package.
find_package(Boost 1.81 CONFIG REQUIRED COMPONENTS json url system)
find_package(OpenSSL 3 REQUIRED)
find_package(Threads REQUIRED)
