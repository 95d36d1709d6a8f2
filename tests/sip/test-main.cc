// Boost.Test entry point for the SIP message layer tests (one executable, one file per concept).
#define BOOST_TEST_MODULE alglab_sip
#include <boost/test/unit_test.hpp>
