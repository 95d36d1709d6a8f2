#ifndef ALGLAB_MANGLE_MANGLE_ERROR_H
#define ALGLAB_MANGLE_MANGLE_ERROR_H

/// \file
/// The one error type of the mangle engine: bad user input (unknown vendor, unknown knob, bad
/// knob value). what() is one line that names the culprit and the valid choices.

#include <stdexcept>
#include <string>

namespace alglab::mangle {

class MangleError : public std::runtime_error {
 public:
  explicit MangleError(const std::string& message);
};

}  // namespace alglab::mangle

#endif
