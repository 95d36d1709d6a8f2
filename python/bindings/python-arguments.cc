#include "python/bindings/python-arguments.h"

#include <pybind11/stl.h>

namespace alglab::python {

namespace py = pybind11;

namespace {

[[noreturn]] void Refuse(const char* argument, const std::string& expected, const py::handle& value) {
  throw py::type_error(std::string(argument) + ": expected " + expected + ", not " +
                       py::str(py::type::of(value).attr("__name__")).cast<std::string>());
}

/// numpy's bool (what a pandas column of flags yields): not a Python bool, but one to a user.
bool IsNumpyBool(const py::handle& value) {
  const py::handle type = py::type::of(value);
  return py::str(type.attr("__module__")).cast<std::string>() == "numpy" &&
         py::str(type.attr("__name__")).cast<std::string>() == "bool_";
}

/// A scalar setting or option value as the command line would carry it. Integers are whatever
/// has __index__ (numpy's too, as a pandas column yields them), floats whatever is a float.
std::string ScalarText(const py::handle& value, const char* argument, bool boolAllowed) {
  if (py::isinstance<py::bool_>(value) || IsNumpyBool(value)) {
    if (!boolAllowed) Refuse(argument, "int, float or str", value);
    return py::bool_(py::reinterpret_borrow<py::object>(value)) ? "true" : "false";
  }
  if (py::isinstance<py::str>(value)) return value.cast<std::string>();
  if (PyIndex_Check(value.ptr())) {
    PyObject* index = PyNumber_Index(value.ptr());
    if (index == nullptr) throw py::error_already_set();
    return py::str(py::reinterpret_steal<py::object>(index)).cast<std::string>();
  }
  if (py::isinstance<py::float_>(value)) return py::str(py::float_(py::reinterpret_borrow<py::object>(value))).cast<std::string>();
  Refuse(argument, boolAllowed ? "bool, int, float or str" : "int, float or str", value);
}

bool IsSequence(const py::handle& value) { return py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value); }

}  // namespace

std::optional<std::string> OptionalText(const py::object& value, const char* argument) {
  if (value.is_none()) return std::nullopt;
  return ScalarText(value, argument, false);
}

std::optional<std::string> OptionalPath(const py::object& value, const char* argument) {
  if (value.is_none()) return std::nullopt;
  return Path(value, argument);
}

std::string Path(const py::object& value, const char* argument) {
  if (py::isinstance<py::str>(value)) return value.cast<std::string>();
  if (py::hasattr(value, "__fspath__")) {
    const py::object text = value.attr("__fspath__")();
    if (py::isinstance<py::str>(text)) return text.cast<std::string>();
  }
  Refuse(argument, "a path (str or os.PathLike)", value);
}

namespace {

/// "a,b" as it is, or a list or tuple of str (and of int when `numbers`) joined with commas.
std::optional<std::string> JoinedList(const py::object& value, const char* argument, bool numbers) {
  if (value.is_none()) return std::nullopt;
  if (py::isinstance<py::str>(value)) return value.cast<std::string>();
  const std::string expected = numbers ? "a list of int or str, or a \"1,3\" str" : "a list of str or a \"a,b\" str";
  if (!IsSequence(value)) Refuse(argument, expected, value);
  std::string joined;
  bool first = true;
  for (const py::handle item : value) {
    const bool number = numbers && PyIndex_Check(item.ptr()) && !py::isinstance<py::bool_>(item) && !IsNumpyBool(item);
    if (!number && !py::isinstance<py::str>(item)) Refuse(argument, expected, item);
    joined += (first ? "" : ",") + (number ? ScalarText(item, argument, false) : item.cast<std::string>());
    first = false;
  }
  return joined;
}

}  // namespace

std::optional<std::string> OptionalNameList(const py::object& value, const char* argument) {
  return JoinedList(value, argument, false);
}

std::optional<std::string> OptionalNumberList(const py::object& value, const char* argument) {
  return JoinedList(value, argument, true);
}

std::vector<std::string> Settings(const py::object& value, const char* argument) {
  std::vector<std::string> out;
  if (value.is_none()) return out;
  if (py::isinstance<py::str>(value)) return {value.cast<std::string>()};
  if (py::isinstance<py::dict>(value)) {
    for (const auto& [key, setting] : value.cast<py::dict>()) {
      if (!py::isinstance<py::str>(key)) Refuse(argument, "str keys", key);
      out.push_back(key.cast<std::string>() + "=" + ScalarText(setting, argument, true));
    }
    return out;
  }
  if (!IsSequence(value)) Refuse(argument, "a dict {key: value} or a list of \"key=value\" str", value);
  for (const py::handle item : value) {
    if (!py::isinstance<py::str>(item)) Refuse(argument, "\"key=value\" str items", item);
    out.push_back(item.cast<std::string>());
  }
  return out;
}

}  // namespace alglab::python
