#ifndef ALGLAB_PYTHON_JSON_TO_PYTHON_H
#define ALGLAB_PYTHON_JSON_TO_PYTHON_H

#include <nlohmann/json.hpp>
#include <pybind11/pybind11.h>

namespace alglab::python {

/// A command's JSON as plain Python values: dict (keys in the JSON's order), list, str, int,
/// float, bool and None, so results go straight into json.dumps, pandas or a comparison with
/// the CLI's parsed --json output. Needs the GIL.
pybind11::object ToPython(const nlohmann::ordered_json& value);

/// The same for a JSON whose keys are sorted (what `alglab diagnose --json` prints).
pybind11::object ToPython(const nlohmann::json& value);

}  // namespace alglab::python

#endif
