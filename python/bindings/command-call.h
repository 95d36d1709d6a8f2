#ifndef ALGLAB_PYTHON_COMMAND_CALL_H
#define ALGLAB_PYTHON_COMMAND_CALL_H

/// \file
/// How the module runs a command (sim/cli/commands.h): one at a time in the process, without
/// the GIL, and with the CLI's errors turned into Python exceptions.

#include "python/bindings/json-to-python.h"
#include "sim/scenario/scenario-error.h"

#include <pybind11/pybind11.h>

#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>

namespace alglab::python {

/// Bad input, raised in Python as alglab.Error (a ValueError): the one line the CLI prints
/// after "alglab: ".
class BadInput : public std::runtime_error {
 public:
  explicit BadInput(const std::string& line) : std::runtime_error(line) {}
};

/// `text` on one line, as the CLI prints an error (sim/cli/main.cc): line breaks as spaces.
std::string OneLine(std::string text);

/// ns-3 keeps global state (the simulator, node and address lists): two simulations in
/// threads of one process abort it. Every command holds this lock while it runs.
std::mutex& SimulationLock();

/// Runs `command` (returning a JSON value) without the GIL, so other Python threads (a Dask
/// worker's heartbeat) keep running, and under SimulationLock. Its JSON becomes Python values
/// once the GIL is back. A ScenarioError becomes BadInput (alglab.Error); any other exception
/// RuntimeError("internal error: ..."): an error never ends the interpreter.
template <typename Command>
pybind11::object CallCommand(Command&& command) {
  using Json = decltype(command());
  std::optional<Json> result;
  std::optional<std::string> badInput, internal;
  {
    pybind11::gil_scoped_release withoutGil;
    std::lock_guard<std::mutex> oneAtATime(SimulationLock());
    try {
      result = command();
    } catch (const scenario::ScenarioError& e) {
      badInput = OneLine(e.what());
    } catch (const std::exception& e) {
      internal = OneLine(e.what());
    } catch (...) {
      internal = "an exception that is not a std::exception";
    }
  }
  if (badInput) throw BadInput(*badInput);
  if (internal) throw std::runtime_error("internal error: " + *internal);
  return ToPython(*result);
}

}  // namespace alglab::python

#endif
