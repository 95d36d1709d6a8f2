#include "sim/mangle/mangle-error.h"

namespace alglab::mangle {

MangleError::MangleError(const std::string& message) : std::runtime_error(message) {}

}  // namespace alglab::mangle
