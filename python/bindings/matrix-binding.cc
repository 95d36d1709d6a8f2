// alglab.matrix(): `alglab matrix ... --json`.
#include "python/bindings/bindings.h"
#include "python/bindings/command-call.h"
#include "python/bindings/python-arguments.h"
#include "sim/cli/commands.h"

namespace alglab::python {

namespace py = pybind11;

void BindMatrix(py::module_& m) {
  m.def(
      "matrix",
      [](const py::object& vendors, const py::object& scenarios, const py::object& jobs, const py::object& seed,
         const py::object& out, const py::object& workarounds, bool detectAccuracy) {
        cli::MatrixArguments args;
        args.vendors = OptionalNameList(vendors, "vendors");
        args.scenarios = OptionalNameList(scenarios, "scenarios");
        args.jobs = OptionalText(jobs, "jobs");
        args.seed = OptionalText(seed, "seed");
        args.outDir = OptionalPath(out, "out");
        args.workarounds = OptionalNameList(workarounds, "workarounds");
        args.detectAccuracy = detectAccuracy;
        args.json = true;
        // No progress lines: the caller decides what to show.
        return CallCommand([&] { return cli::MatrixJson(args, {}).json; });
      },
      py::arg("vendors") = py::none(), py::arg("scenarios") = py::none(), py::arg("jobs") = py::none(),
      py::arg("seed") = py::none(), py::arg("out") = py::none(), py::arg("workarounds") = py::none(),
      py::arg("detect_accuracy") = false,
      R"(Every vendor x scenario with the ALG on and off: `alglab matrix ... --json` as a dict.

vendors, scenarios, workarounds: a list of str or "a,b" (workarounds also "none"; defaults as
the CLI's). jobs: worker processes (forked from this process; default: the CPUs). seed: every
run's seed. out: matrix.json, report.html and every run's files. detect_accuracy: also measure
the active detector. Raises alglab.Error with the CLI's message on bad input.)");
}

}  // namespace alglab::python
