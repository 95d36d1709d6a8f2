// alglab.diagnose(): `alglab diagnose CAPTURE [--wan WAN] --json`.
#include "python/bindings/bindings.h"
#include "python/bindings/command-call.h"
#include "python/bindings/python-arguments.h"
#include "sim/cli/commands.h"

namespace alglab::python {

namespace py = pybind11;

void BindDiagnose(py::module_& m) {
  m.def(
      "diagnose",
      [](const py::object& capture, const py::object& wan) {
        cli::DiagnoseArguments args;
        args.capture = Path(capture, "capture");
        args.wan = OptionalPath(wan, "wan");
        args.json = true;
        return CallCommand([&] { return cli::DiagnoseJson(args); });
      },
      py::arg("capture"), py::arg("wan") = py::none(),
      R"(Symptoms and SIP ALG fingerprints in a phone-side capture (pcap or pcapng), and with wan
(the same router's provider side) its rewrites, drops and additions: `alglab diagnose --json`.
Raises alglab.Error naming the file when a capture cannot be read.)");
}

}  // namespace alglab::python
