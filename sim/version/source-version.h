#ifndef ALGLAB_VERSION_SOURCE_VERSION_H
#define ALGLAB_VERSION_SOURCE_VERSION_H

#include <string>

namespace alglab::version {

/// The project version from CMake's project() ("0.1.0").
std::string ProjectVersion();

/// 16 hex digits: a hash of every source that decides a result (sim/, probes/, alg-models/
/// with its YAML, python/bindings and the top CMakeLists.txt), taken at build time. Two
/// builds with the same hash compute the same results, so caches of results key on it.
std::string SourceHash();

/// What `alglab --version` prints: "alglab 0.1.0 (source 0123456789abcdef)".
std::string VersionLine();

}  // namespace alglab::version

#endif
