#ifndef ALGLAB_PYTHON_BINDINGS_H
#define ALGLAB_PYTHON_BINDINGS_H

/// \file
/// One function per area adds that area's functions to the module (module.cc calls them all).

#include <pybind11/pybind11.h>

namespace alglab::python {

void BindList(pybind11::module_& m);      ///< list_vendors, list_scenarios, list_symptoms, list_knobs
void BindRun(pybind11::module_& m);       ///< run
void BindMatrix(pybind11::module_& m);    ///< matrix
void BindDetect(pybind11::module_& m);    ///< detect
void BindDiagnose(pybind11::module_& m);  ///< diagnose
void BindMangle(pybind11::module_& m);    ///< mangle

}  // namespace alglab::python

#endif
