// One Boost.Test module for the mangle area; the suites live in the other files.
#define BOOST_TEST_MODULE mangle
#include <boost/test/unit_test.hpp>
