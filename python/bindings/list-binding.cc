// alglab.list_vendors(), list_scenarios(), list_symptoms(), list_knobs(): `alglab list X --json`.
#include "python/bindings/bindings.h"
#include "python/bindings/command-call.h"
#include "sim/cli/commands.h"

namespace alglab::python {

namespace py = pybind11;

namespace {

void BindOneList(py::module_& m, const char* function, const char* what, const char* doc) {
  const std::string list = what;
  m.def(function, [list]() { return CallCommand([&] { return cli::ListJson(list); }); }, doc);
}

}  // namespace

void BindList(py::module_& m) {
  BindOneList(m, "list_vendors", "vendors",
              "The router models: `alglab list vendors --json` (id, summary, engine, knobs with defaults, ...).");
  BindOneList(m, "list_scenarios", "scenarios",
              "The shipped scenarios (name, path, description): `alglab list scenarios --json`.");
  BindOneList(m, "list_symptoms", "symptoms",
              "The symptoms a run measures (name, description): `alglab list symptoms --json`.");
  BindOneList(m, "list_knobs", "knobs",
              "Every scenario key run(set=...) accepts, with type, range and default: `alglab list knobs --json`.");
}

}  // namespace alglab::python
