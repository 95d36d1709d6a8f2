#include "probes/e-model.h"
#include "probes/rtp-reception.h"

#include <boost/test/unit_test.hpp>

#include <cstdint>

using namespace alglab::probes;

BOOST_AUTO_TEST_SUITE(rtp_reception)

BOOST_AUTO_TEST_CASE(loss_counts_from_sequence_numbers_across_wrap_around) {
  RtpReception r;
  // 200 packets from sequence 65500 (wrapping past 65535), every tenth lost.
  for (std::uint32_t i = 0; i < 200; ++i) {
    if (i % 10 == 5) continue;
    r.Add(1.0 + 0.02 * i, static_cast<std::uint16_t>(65500 + i), 160 * i);
  }
  BOOST_TEST(r.Expected() == 200u);
  BOOST_TEST(r.Received() == 180u);
  BOOST_TEST(r.Lost() == 20u);
  BOOST_TEST(r.LossRatio() == 0.1, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(r.LongestGapMs() == 40.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(r.MaxJitterMs() < 1e-9);  // evenly spaced arrivals: no jitter (but rounding)
}

BOOST_AUTO_TEST_CASE(duplicates_late_packets_and_a_restart) {
  RtpReception r;
  for (std::uint32_t i = 0; i < 10; ++i) r.Add(0.02 * i, static_cast<std::uint16_t>(100 + i), 160 * i);
  r.Add(0.2, 105, 800);  // a duplicate: received, but it does not move the highest number
  BOOST_TEST(r.Expected() == 10u);
  BOOST_TEST(r.Lost() == 0u);  // never negative
  // The source restarts at sequence 40000: a new run whose expected count adds up.
  for (std::uint32_t i = 0; i < 5; ++i) r.Add(1.0 + 0.02 * i, static_cast<std::uint16_t>(40000 + i), 9999 + 160 * i);
  BOOST_TEST(r.Expected() == 15u);
  BOOST_TEST(r.Received() == 16u);
}

BOOST_AUTO_TEST_CASE(jitter_follows_rfc3550_a8) {
  RtpReception r;
  // Packets every 20 ms of timestamp; every other one arrives 4 ms late. |D| alternates 32
  // timestamp units (4 ms at 8 kHz): J converges to 32 from below, J1 = 2, J2 = 2 + 30/16...
  double expected = 0.0;
  for (std::uint32_t i = 0; i < 400; ++i) {
    r.Add(0.02 * i + (i % 2 == 1 ? 0.004 : 0.0), static_cast<std::uint16_t>(i), 160 * i);
    if (i > 0) expected += (32.0 - expected) / 16.0;
  }
  BOOST_TEST(r.JitterMs() == expected / 8.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(r.JitterMs() == 4.0, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(r.MaxJitterMs() >= r.JitterMs());
  BOOST_TEST(r.MeanJitterMs() < r.JitterMs());
}

BOOST_AUTO_TEST_CASE(e_model_rates_g711_loss_and_delay_as_g107_does) {
  BOOST_TEST(RFactor({}) == 93.2, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(MosFromR(93.2) == 4.41, boost::test_tools::tolerance(0.005));
  // G.711 with PLC (Bpl 25.1): about 8.1% random loss brings R to 70 (MOS 3.6).
  EModelInputs lossy;
  lossy.lossRatio = 0.081;
  BOOST_TEST(RFactor(lossy) == 70.0, boost::test_tools::tolerance(0.001));
  BOOST_TEST(MosFromR(RFactor(lossy)) == 3.6, boost::test_tools::tolerance(0.002));
  // Delay: 0.024 ms^-1 below 177.3 ms, plus 0.11 above.
  EModelInputs slow;
  slow.oneWayDelayMs = 277.3;
  BOOST_TEST(RFactor(slow) == 93.2 - 0.024 * 277.3 - 11.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(MosFromR(-5.0) == 1.0);
  BOOST_TEST(MosFromR(120.0) == 4.5);
}

BOOST_AUTO_TEST_SUITE_END()
