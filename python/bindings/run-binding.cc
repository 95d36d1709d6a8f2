// alglab.run(): `alglab run SCENARIO ... --json`.
#include "python/bindings/bindings.h"
#include "python/bindings/command-call.h"
#include "python/bindings/python-arguments.h"
#include "sim/cli/commands.h"

namespace alglab::python {

namespace py = pybind11;

void BindRun(py::module_& m) {
  m.def(
      "run",
      [](const py::object& scenario, const py::object& vendor, const py::object& seed, const py::object& set,
         bool remediate, const py::object& out, const py::object& workarounds, const py::object& remediateAt,
         const py::object& remediateSteps, const py::object& maxEventsPerSecond) {
        cli::RunArguments args;
        args.scenario = Path(scenario, "scenario");
        args.vendor = OptionalText(vendor, "vendor");
        args.seed = OptionalText(seed, "seed");
        args.sets = Settings(set, "set");
        args.remediate = remediate;
        args.outDir = OptionalPath(out, "out");
        args.workarounds = OptionalNameList(workarounds, "workarounds");
        args.remediateAt = OptionalText(remediateAt, "remediate_at");
        args.remediateSteps = OptionalNumberList(remediateSteps, "remediate_steps");
        args.maxEventsPerSecond = OptionalText(maxEventsPerSecond, "max_events_per_second");
        args.json = true;
        return CallCommand([&] { return cli::RunJson(args); });
      },
      py::arg("scenario"), py::arg("vendor") = py::none(), py::arg("seed") = py::none(), py::arg("set") = py::none(),
      py::arg("remediate") = false, py::arg("out") = py::none(), py::arg("workarounds") = py::none(),
      py::arg("remediate_at") = py::none(), py::arg("remediate_steps") = py::none(),
      py::arg("max_events_per_second") = py::none(),
      R"(Runs a scenario and measures the symptoms: `alglab run SCENARIO ... --json` as a dict.

scenario: a shipped scenario's name or a YAML file. vendor: the router model (default: the
scenario's). seed: int or str (default: the scenario's). set: {"router.udp_timeout": "30s", ...}
or ["router.udp_timeout=30s", ...] (bool values as true/false). remediate: apply the vendor's
runbook and compare. out: a directory for the pcaps, result.json, evidence.json and run.html.
workarounds: "a,b" or a list. remediate_at: "300s". remediate_steps: "1,3" or [1, 3].
max_events_per_second: the cost guard's limit. Same arguments, same result (in-process too).
Raises alglab.Error with the CLI's message on bad input.)");
}

}  // namespace alglab::python
