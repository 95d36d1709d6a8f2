#ifndef ALGLAB_PYTHON_PYTHON_ARGUMENTS_H
#define ALGLAB_PYTHON_PYTHON_ARGUMENTS_H

/// \file
/// Python arguments as the CLI's typed text, so a command's own checks (and their one-line
/// errors) judge them exactly as they judge the command line. A value of a type no option
/// takes raises TypeError naming the argument.

#include <pybind11/pybind11.h>

#include <optional>
#include <string>
#include <vector>

namespace alglab::python {

/// None -> absent; str as it is; int and float as Python's str() writes them (seed=7 is
/// "--seed 7"). bool and other types are refused.
std::optional<std::string> OptionalText(const pybind11::object& value, const char* argument);

/// None -> absent; str or os.PathLike -> the path's text.
std::optional<std::string> OptionalPath(const pybind11::object& value, const char* argument);

/// A path that must be given (str or os.PathLike).
std::string Path(const pybind11::object& value, const char* argument);

/// None -> absent; "a,b" as it is; a list or tuple of str -> "a,b".
std::optional<std::string> OptionalNameList(const pybind11::object& value, const char* argument);

/// As OptionalNameList, and the items may also be int ([1, 3] -> "1,3": runbook steps).
std::optional<std::string> OptionalNumberList(const pybind11::object& value, const char* argument);

/// --set settings: None -> none; a dict {"router.udp_timeout": "30s", "x.y": True} ->
/// ["router.udp_timeout=30s", "x.y=true"] (bool as true/false, int, float and str as str());
/// a list or tuple of "key=value" str, or one such str, as they are.
std::vector<std::string> Settings(const pybind11::object& value, const char* argument);

}  // namespace alglab::python

#endif
