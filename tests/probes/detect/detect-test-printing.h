#ifndef ALGLAB_TESTS_PROBES_DETECT_DETECT_TEST_PRINTING_H
#define ALGLAB_TESTS_PROBES_DETECT_DETECT_TEST_PRINTING_H

// How Boost.Test prints the detector's values in failure messages.

#include "probes/detect/detect-io.h"
#include "probes/detect/echo-protocol.h"

#include <optional>
#include <ostream>
#include <string>

namespace alglab::detect {
inline std::ostream& boost_test_print_type(std::ostream& os, const Endpoint& e) { return os << ToString(e); }
}  // namespace alglab::detect

namespace boost::test_tools::tt_detail {
template <typename T>
struct print_log_value<std::optional<T>> {
  void operator()(std::ostream& os, const std::optional<T>& value) {
    if (value)
      print_log_value<T>()(os, *value);
    else
      os << "nullopt";
  }
};
}  // namespace boost::test_tools::tt_detail

#endif
