#include "python/bindings/json-to-python.h"

#include <cstdint>
#include <string>

namespace alglab::python {

namespace py = pybind11;

namespace {

/// Text as str. A JSON string holds UTF-8, but a byte a capture or flow file carried may not
/// be: it becomes U+FFFD, as the evidence files write it, instead of an exception.
py::object Text(const std::string& text) {
  PyObject* object = PyUnicode_DecodeUTF8(text.data(), static_cast<Py_ssize_t>(text.size()), "replace");
  if (object == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(object);
}

template <typename Json>
py::object Convert(const Json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
      return py::none();
    case nlohmann::json::value_t::boolean:
      return py::bool_(value.template get<bool>());
    case nlohmann::json::value_t::number_integer:
      return py::int_(value.template get<std::int64_t>());
    case nlohmann::json::value_t::number_unsigned:
      return py::int_(value.template get<std::uint64_t>());
    case nlohmann::json::value_t::number_float:
      return py::float_(value.template get<double>());
    case nlohmann::json::value_t::string:
      return Text(value.template get_ref<const std::string&>());
    case nlohmann::json::value_t::binary: {
      const auto& bytes = value.get_binary();
      return py::bytes(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    }
    case nlohmann::json::value_t::array: {
      py::list list;
      for (const auto& item : value) list.append(Convert(item));
      return std::move(list);
    }
    case nlohmann::json::value_t::object: {
      // Python's dict keeps insertion order: the JSON's order (ordered_json) is the CLI's.
      py::dict dict;
      for (auto it = value.begin(); it != value.end(); ++it) dict[Text(it.key())] = Convert(it.value());
      return std::move(dict);
    }
  }
  return py::none();
}

}  // namespace

py::object ToPython(const nlohmann::ordered_json& value) { return Convert(value); }

py::object ToPython(const nlohmann::json& value) { return Convert(value); }

}  // namespace alglab::python
