// Entry point of the probe-logic test binary; the suites live in the *-test.cc files.
#define BOOST_TEST_MODULE probes_logic
#include <boost/test/unit_test.hpp>
