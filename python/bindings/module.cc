// The extension alglab._alglab: every area's functions, alglab.Error, the version and the
// source hash. python/alglab/__init__.py re-exports them as `alglab`.
#include "python/bindings/bindings.h"
#include "python/bindings/command-call.h"
#include "sim/version/source-version.h"

namespace py = pybind11;

PYBIND11_MODULE(_alglab, m) {
  m.doc() =
      "alglab in-process: the CLI's commands returning what they print with --json, as dicts and lists.\n\n"
      "Bad input raises alglab.Error (a ValueError) with the CLI's one-line message. One command runs at a "
      "time in a process (ns-3 allows one simulation); the GIL is released while it runs.";
  py::register_exception<alglab::python::BadInput>(m, "Error", PyExc_ValueError)
      .doc() = "Bad input: the one-line message the alglab CLI prints after 'alglab: ' (exit status 2).";
  m.attr("__version__") = alglab::version::ProjectVersion();
  m.attr("source_hash") = alglab::version::SourceHash();
  alglab::python::BindList(m);
  alglab::python::BindRun(m);
  alglab::python::BindMatrix(m);
  alglab::python::BindDetect(m);
  alglab::python::BindDiagnose(m);
  alglab::python::BindMangle(m);
}
