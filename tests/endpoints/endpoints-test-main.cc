#define BOOST_TEST_MODULE alglab endpoints
#include <boost/test/unit_test.hpp>
