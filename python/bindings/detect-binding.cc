// alglab.detect(): `alglab detect SCENARIO ... --json` (the simulation; --live stays CLI only).
#include "python/bindings/bindings.h"
#include "python/bindings/command-call.h"
#include "python/bindings/python-arguments.h"
#include "sim/cli/commands.h"

namespace alglab::python {

namespace py = pybind11;

void BindDetect(py::module_& m) {
  m.def(
      "detect",
      [](const py::object& scenario, const py::object& vendor, const py::object& set, const py::object& seed,
         const py::object& out, const py::object& jobs) {
        cli::DetectArguments args;
        args.scenario = Path(scenario, "scenario");
        args.vendor = OptionalText(vendor, "vendor");
        args.sets = Settings(set, "set");
        args.seed = OptionalText(seed, "seed");
        args.outDir = OptionalPath(out, "out");
        args.jobs = OptionalText(jobs, "jobs");
        args.json = true;
        return CallCommand([&] { return cli::DetectJson(args); });
      },
      py::arg("scenario"), py::arg("vendor") = py::none(), py::arg("set") = py::none(), py::arg("seed") = py::none(),
      py::arg("out") = py::none(), py::arg("jobs") = py::none(),
      R"(The active SIP ALG detector through a scenario's simulated router: `alglab detect ... --json`.

set and seed as for run(). out: pcaps and verdict.json. jobs: worker processes when the vendor
family references are first built (then cached, shared with the CLI). Returns the verdict dict.
Raises alglab.Error with the CLI's message on bad input.)");
}

}  // namespace alglab::python
