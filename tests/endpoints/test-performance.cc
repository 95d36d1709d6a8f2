// Speed of the RTP hot path. Disabled by default (timing depends on the machine); run with
//   endpoints_test --run_test=performance/ten_minutes_of_office_calls
// They print the real-time factor (simulated / CPU seconds) and checks the ≥500x goal for a small office.

#include "tests/endpoints/endpoint-test-fixture.h"

#include <boost/test/unit_test.hpp>

#include <ctime>
#include <iostream>

using namespace alglab;
using namespace alglab::test;

BOOST_AUTO_TEST_SUITE(performance)

namespace {
// Process CPU time, not wall time: the build machine is shared, wall time measures the others.
template <typename F>
double CpuSeconds(F&& f) {
  const std::clock_t start = std::clock();
  f();
  return static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
}

// Runs `calls` simultaneous internal calls for ten simulated minutes; returns the real-time factor.
double RealTimeFactor(std::size_t calls, bool recordRtp) {
  Office office(2 * calls, false);
  for (std::size_t i = 0; i < calls; ++i) {
    auto p = office.Phone(i);
    const std::string target = std::to_string(101 + calls + i);
    CallAt(p, 1, target, 600);
  }
  if (!recordRtp) {
    office.DetachRecorder();
  }
  const double wall = CpuSeconds([&] { office.Run(600); });
  return 600.0 / wall;
}
}  // namespace

// One call through the PBX (two RTP streams, each relayed: 200 packets/s on the LAN), no trace
// sinks: the cost of the endpoints themselves on top of ns-3's per-packet cost.
BOOST_AUTO_TEST_CASE(one_call_without_sinks, *boost::unit_test::disabled()) {
  const double factor = RealTimeFactor(1, false);
  std::cout << "1 call, 600 s simulated: " << factor << "x real time\n";
  BOOST_CHECK_GT(factor, 500.0);
}

BOOST_AUTO_TEST_CASE(ten_minutes_of_office_calls, *boost::unit_test::disabled()) {
  constexpr std::size_t kPhones = 8;
  Office office(kPhones, true);
  office.EnableTrunk({"4930555000"});
  // Four calls at once for ten minutes: two internal, one outbound, one inbound.
  for (std::size_t i = 0; i < 2; ++i) {
    auto p = office.Phone(i);
    const std::string target = std::to_string(103 + i);
    CallAt(p, 1, target, 600);
  }
  CallAt(office.Phone(5), 1, "0015551234", 600);
  office.Pbx()->AddRingGroup("4930555000", {"107", "108"});
  InboundCallAt(office.Provider(), 1, "4930555000", 600);
  const double wall = CpuSeconds([&] { office.Run(600); });
  std::cout << "600 s simulated in " << wall << " s CPU: " << 600.0 / wall << "x real time, "
            << office.Recorder().Received("pbx").count << " RTP packets at the PBX\n";
  BOOST_CHECK_GT(600.0 / wall, 100.0);
}

BOOST_AUTO_TEST_SUITE_END()
