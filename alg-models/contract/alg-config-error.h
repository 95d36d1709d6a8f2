#ifndef ALGLAB_ALG_MODELS_CONTRACT_ALG_CONFIG_ERROR_H
#define ALGLAB_ALG_MODELS_CONTRACT_ALG_CONFIG_ERROR_H

#include <stdexcept>
#include <string>

namespace alglab::alg {

/// Bad user input about an ALG model: unknown vendor, unknown knob, bad knob value. what() is
/// one line naming the culprit and the valid choices.
class AlgConfigError : public std::runtime_error {
 public:
  explicit AlgConfigError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace alglab::alg

#endif
