// Entry point of the detector-logic test binary; the suites live in the *-test.cc files.
#define BOOST_TEST_MODULE detect_logic
#include <boost/test/unit_test.hpp>
