#include "python/bindings/command-call.h"

namespace alglab::python {

std::string OneLine(std::string text) {
  for (auto& c : text)
    if (c == '\n' || c == '\r') c = ' ';
  return text;
}

std::mutex& SimulationLock() {
  static std::mutex lock;
  return lock;
}

}  // namespace alglab::python
