// alglab.mangle(): `alglab mangle --model M [--set knob=value]... --json FLOWFILE`.
#include "python/bindings/bindings.h"
#include "python/bindings/command-call.h"
#include "python/bindings/python-arguments.h"
#include "sim/cli/commands.h"

namespace alglab::python {

namespace py = pybind11;

void BindMangle(py::module_& m) {
  m.def(
      "mangle",
      [](const py::object& flowFile, const py::object& model, const py::object& set) {
        cli::MangleArguments args;
        args.flowFile = Path(flowFile, "flow_file");
        args.model = OptionalText(model, "model").value_or("");
        args.sets = Settings(set, "set");
        args.json = true;
        return CallCommand([&] { return cli::MangleJson(args); });
      },
      py::arg("flow_file"), py::arg("model"), py::arg("set") = py::none(),
      R"(Replays a flow file through one ALG model: `alglab mangle --json` as a list, one dict per
block ("dir", "delivered" base64 or None, "to", "emitted"). set: the model's knobs as a dict or
["knob=value", ...]. Raises alglab.Error with the CLI's message on bad input.)");
}

}  // namespace alglab::python
