// Entry point of the report-logic test binary; the suites live in the *-test.cc files.
#define BOOST_TEST_MODULE report_logic
#include <boost/test/unit_test.hpp>
