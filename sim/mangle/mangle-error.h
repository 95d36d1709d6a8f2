#ifndef ALGLAB_MANGLE_MANGLE_ERROR_H
#define ALGLAB_MANGLE_MANGLE_ERROR_H

/// \file
/// The mangle engine's error for bad user input is the ALG contract's: unknown vendor, unknown
/// knob, bad knob value. what() is one line that names the culprit and the valid choices.

#include "alg-models/contract/alg-config-error.h"

namespace alglab::mangle {

using MangleError = alg::AlgConfigError;

}  // namespace alglab::mangle

#endif
