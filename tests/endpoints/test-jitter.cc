// Seeded endpoint jitter: call set-up delay and media clock phase, so simultaneous calls do not
// send in lockstep, and the same streams give the same run.

#include "tests/endpoints/endpoint-test-fixture.h"

#include <ns3/nstime.h>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <set>
#include <vector>

using namespace alglab;
using namespace alglab::test;

namespace {

struct CallTimes {
  double attempt = -1;      ///< CallAttempt at the caller
  double established = -1;  ///< CallEstablished at the caller
  double firstRtp = -1;     ///< first RtpSent at the caller
};

/// Phones 0, 2, 4, ... call 1, 3, 5, ... all at t = 2 s; phones use streams `stream` + i.
std::vector<CallTimes> SimultaneousCalls(std::size_t pairs, std::int64_t stream,
                                         ns3::Time setupJitter, ns3::Time mediaJitter) {
  Office office(2 * pairs, false);
  for (std::size_t i = 0; i < 2 * pairs; ++i) {
    office.Phone(i)->SetAttribute("CallSetupJitter", ns3::TimeValue(setupJitter));
    office.Phone(i)->SetAttribute("MediaStartJitter", ns3::TimeValue(mediaJitter));
    office.Phone(i)->AssignStreams(stream + static_cast<std::int64_t>(i));
  }
  for (std::size_t p = 0; p < pairs; ++p) {
    CallAt(office.Phone(2 * p), 2, std::to_string(102 + 2 * p), 5);
  }
  office.Run(10);
  std::vector<CallTimes> out;
  for (std::size_t p = 0; p < pairs; ++p) {
    const std::string caller = "phone" + std::to_string(101 + 2 * p);
    CallTimes t;
    t.attempt = OnlyEvent(office.Recorder(), "CallAttempt", caller).time;
    t.established = OnlyEvent(office.Recorder(), "CallEstablished", caller).time;
    t.firstRtp = office.Recorder().Sent(caller).first;
    out.push_back(t);
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(jitter)

BOOST_AUTO_TEST_CASE(simultaneous_calls_start_apart_within_the_jitter) {
  const auto times = SimultaneousCalls(4, 500, ns3::MilliSeconds(100), ns3::MilliSeconds(20));
  std::set<double> attempts;
  std::set<double> phases;  // where in its 20 ms cycle each caller's audio clock ticks
  for (const CallTimes& t : times) {
    BOOST_TEST(t.attempt >= 2.0);
    BOOST_TEST(t.attempt < 2.1);
    // The caller starts sending on the 200 OK, after a delay below the media jitter.
    BOOST_TEST(t.firstRtp >= t.established);
    BOOST_TEST(t.firstRtp < t.established + 0.020);
    attempts.insert(t.attempt);
    phases.insert(std::fmod(t.firstRtp, 0.020));
  }
  BOOST_TEST(attempts.size() == times.size());
  BOOST_TEST(phases.size() == times.size());
}

BOOST_AUTO_TEST_CASE(same_streams_same_times_other_streams_differ) {
  const auto a = SimultaneousCalls(2, 700, ns3::MilliSeconds(100), ns3::MilliSeconds(20));
  const auto b = SimultaneousCalls(2, 700, ns3::MilliSeconds(100), ns3::MilliSeconds(20));
  const auto c = SimultaneousCalls(2, 900, ns3::MilliSeconds(100), ns3::MilliSeconds(20));
  for (std::size_t i = 0; i < a.size(); ++i) {
    BOOST_TEST(a[i].attempt == b[i].attempt);
    // The media clock's phase after the answer (the answer time itself also depends on ARP's
    // own random request jitter, which these streams do not fix).
    const double phaseA = a[i].firstRtp - a[i].established;
    const double phaseB = b[i].firstRtp - b[i].established;
    BOOST_TEST(std::abs(phaseA - phaseB) < 1e-9);  // equal to the nanosecond
  }
  BOOST_TEST(a[0].attempt != c[0].attempt);
}

BOOST_AUTO_TEST_CASE(zero_jitter_is_exact) {
  const auto times = SimultaneousCalls(2, 500, ns3::Time(0), ns3::Time(0));
  for (const CallTimes& t : times) {
    BOOST_TEST(t.attempt == 2.0);
    BOOST_TEST(t.firstRtp == t.established);
  }
}

BOOST_AUTO_TEST_SUITE_END()
