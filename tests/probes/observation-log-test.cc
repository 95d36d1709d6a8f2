#include "office-log-builder.h"
#include "probes/observation-log.h"
#include "probes/probe-errors.h"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>

BOOST_TEST_DONT_PRINT_LOG_VALUE(alglab::probes::DeviceKind)

using namespace alglab::probes;
using namespace alglab::probes::testing;

BOOST_AUTO_TEST_SUITE(observation_log)

BOOST_AUTO_TEST_CASE(rtp_is_folded_per_device_and_call) {
  ObservationLog log;
  AddMedia(log, "phone1", "pbx", "c1", 10.0, 11.0);  // 50 packets of 20 ms
  const MediaStreamStats* tx = log.FindStream("phone1", "c1");
  const MediaStreamStats* rx = log.FindStream("pbx", "c1");
  BOOST_REQUIRE(tx != nullptr);
  BOOST_REQUIRE(rx != nullptr);
  BOOST_TEST(tx->packetsSent == 50u);
  BOOST_TEST(tx->packetsReceived == 0u);
  BOOST_TEST(tx->firstTx == 10.0);
  BOOST_TEST(std::abs(tx->lastTx - 10.98) < 1e-9);
  BOOST_TEST(rx->packetsReceived == 50u);
  BOOST_TEST(std::abs(rx->firstRx - 10.015) < 1e-9);
  BOOST_TEST(std::abs(rx->lastRx - 10.995) < 1e-9);
  BOOST_TEST(rx->gaps.empty());
  BOOST_TEST(log.FindStream("pbx", "other") == nullptr);
  BOOST_TEST(log.FindStream("nobody", "c1") == nullptr);
  BOOST_TEST(log.Streams().size() == 2u);
}

BOOST_AUTO_TEST_CASE(only_gaps_above_the_record_threshold_are_kept) {
  ObservationLog log(0.5);
  AddMedia(log, "a", "b", "c1", 0.0, 20.0, {{2.0, 2.3}, {5.0, 10.0}});
  const MediaStreamStats* rx = log.FindStream("b", "c1");
  BOOST_REQUIRE(rx != nullptr);
  BOOST_REQUIRE(rx->gaps.size() == 1u);  // the 0.3 s silence is not a gap worth keeping
  BOOST_TEST(rx->gaps[0].start < 5.0);
  BOOST_TEST(rx->gaps[0].end >= 10.0);
  BOOST_TEST(rx->gaps[0].end - rx->gaps[0].start < 5.1);
  BOOST_TEST(rx->packetsReceived == 1000u - 15u - 250u);
}

BOOST_AUTO_TEST_CASE(interleaved_streams_do_not_mix) {
  // Two calls' packets alternate, defeating the last-stream cache on every packet.
  ObservationLog log;
  for (int i = 0; i < 100; ++i) {
    double t = i * 0.01;
    const auto ts = static_cast<std::uint32_t>(160 * i);
    log.OnRtpReceived(t, "phone1", i % 2 == 0 ? "c1" : "c2", static_cast<std::uint16_t>(i), ts);
    log.OnRtpReceived(t, "phone2", "c1", static_cast<std::uint16_t>(i), ts);
  }
  BOOST_TEST(log.FindStream("phone1", "c1")->packetsReceived == 50u);
  BOOST_TEST(log.FindStream("phone1", "c2")->packetsReceived == 50u);
  BOOST_TEST(log.FindStream("phone2", "c1")->packetsReceived == 100u);
  BOOST_TEST(log.Streams().size() == 3u);
  BOOST_TEST(log.Streams()[0].callId == "c1");  // first seen first
}

BOOST_AUTO_TEST_CASE(device_kinds_first_claim_wins) {
  ObservationLog log;
  log.SetDeviceKind("pbx", DeviceKind::Pbx);
  log.SetDeviceKind("pbx", DeviceKind::Phone);
  log.SetDeviceKind("x", DeviceKind::Unknown);
  BOOST_TEST(log.KindOf("pbx") == DeviceKind::Pbx);
  BOOST_TEST(!log.IsHandset("pbx"));
  BOOST_TEST(log.IsHandset("never-seen"));
  BOOST_TEST(log.DeviceKinds().size() == 1u);
  BOOST_TEST(std::string(ToString(DeviceKind::Provider)) == "provider");
}

BOOST_AUTO_TEST_CASE(records_keep_their_fields_and_end_time_is_the_latest) {
  ObservationLog log;
  BOOST_TEST(log.EndTime() == 0.0);
  log.OnRegistrationOutcome(3.0, "phone1", "pbx", false, 408);
  log.OnCallForked(4.0, "pbx", "in1", "101", "leg1");
  log.OnReboot(7.5);
  BOOST_REQUIRE(log.Registrations().size() == 1u);
  BOOST_TEST(log.Registrations()[0].status == 408);
  BOOST_TEST(!log.Registrations()[0].success);
  BOOST_TEST(log.Forks()[0].legCallId == "leg1");
  BOOST_TEST(log.EndTime() == 7.5);
  log.MarkEnd(100.0);
  BOOST_TEST(log.EndTime() == 100.0);
  log.MarkEnd(50.0);  // an earlier mark never moves the end back
  BOOST_TEST(log.EndTime() == 100.0);
}

BOOST_AUTO_TEST_CASE(bad_input_is_a_typed_error) {
  ObservationLog log;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  BOOST_CHECK_THROW(log.OnRegistrationOutcome(nan, "p", "pbx", true, 200), ObservationError);
  BOOST_CHECK_THROW(log.OnRtpReceived(inf, "p", "c", 1, 160), ObservationError);
  BOOST_CHECK_THROW(log.MarkEnd(nan), ObservationError);
  BOOST_TEST(log.Registrations().empty());
  BOOST_TEST(log.Streams().empty());
  BOOST_CHECK_THROW(ObservationLog{0.0}, ObservationError);
  BOOST_CHECK_THROW(ObservationLog{-1.0}, ObservationError);
  BOOST_CHECK_THROW(ObservationLog{nan}, ObservationError);
}

BOOST_AUTO_TEST_CASE(a_window_sees_only_what_happens_from_its_time_on_with_what_is_still_true) {
  ObservationLog log;
  log.SetDeviceKind("pbx", DeviceKind::Pbx);
  log.ExpectBlfWatch("phone1", "102");
  log.OnRegistrationOutcome(1.0, "phone1", "pbx", false, 408);
  log.OnDialogState(2.0, "pbx", "102", "confirmed");
  log.OnBlfNotify(2.5, "phone1", "102", "terminated");  // wrong lamp before the window
  log.OnCallEstablished(3.0, "phone1", "up", "pbx");
  log.OnCallEstablished(3.0, "phone1", "over", "pbx");
  log.OnCallEnded(4.0, "phone1", "over", "bye");
  log.OnCallBridged(3.0, "pbx", "up", "leg");
  log.OnReboot(5.0);
  AddMedia(log, "phone1", "pbx", "up", 3.0, 6.0);
  BOOST_TEST(log.Window() == nullptr);
  log.OpenWindow(10.0);
  AddMedia(log, "phone1", "pbx", "up", 10.0, 11.0);
  log.OnRegistrationOutcome(12.0, "phone1", "pbx", true, 200);
  log.MarkEnd(20.0);

  const ObservationLog* w = log.Window();
  BOOST_REQUIRE(w != nullptr);
  // Not carried over: what happened before (the failed REGISTER, the reboot, the ended call).
  BOOST_TEST(w->Registrations().size() == 1u);
  BOOST_TEST(w->Registrations()[0].success);
  BOOST_TEST(w->Reboots().empty());
  // Carried over, stamped with the window's time: the call still up, its bridge, the PBX's
  // state and the lamp as last seen, the device kinds and the configured watches.
  BOOST_REQUIRE(w->CallEvents().size() == 1u);
  BOOST_TEST(w->CallEvents()[0].callId == "up");
  BOOST_TEST(w->CallEvents()[0].t == 10.0);
  BOOST_TEST(w->Bridges().size() == 1u);
  BOOST_REQUIRE(w->BlfTruth().size() == 1u);
  BOOST_TEST(w->BlfTruth()[0].state == "confirmed");
  BOOST_REQUIRE(w->BlfLamps().size() == 1u);
  BOOST_TEST(w->BlfLamps()[0].state == "terminated");
  BOOST_TEST(w->KindOf("pbx") == DeviceKind::Pbx);
  BOOST_TEST(w->ExpectedBlfWatches().size() == 1u);
  // Media only from the window on; the whole log keeps everything.
  BOOST_TEST(w->FindStream("phone1", "up")->packetsSent == 50u);
  BOOST_TEST(log.FindStream("phone1", "up")->packetsSent == 200u);
  BOOST_TEST(w->EndTime() == 20.0);
  // The log as it stood at the window's time: everything before it, ended there.
  const ObservationLog* before = log.BeforeWindow();
  BOOST_REQUIRE(before != nullptr);
  BOOST_TEST(before->Registrations().size() == 1u);
  BOOST_TEST(!before->Registrations()[0].success);
  BOOST_TEST(before->Reboots().size() == 1u);
  BOOST_TEST(before->FindStream("phone1", "up")->packetsSent == 150u);
  BOOST_TEST(before->EndTime() == 10.0);
  BOOST_TEST(before->Window() == nullptr);
  BOOST_CHECK_THROW(log.OpenWindow(20.0), ObservationError);
}

BOOST_AUTO_TEST_CASE(a_window_cannot_open_before_the_latest_event) {
  ObservationLog log;
  log.OnReboot(5.0);
  BOOST_CHECK_THROW(log.OpenWindow(4.0), ObservationError);
  BOOST_CHECK_THROW(log.OpenWindow(std::numeric_limits<double>::quiet_NaN()), ObservationError);
}

BOOST_AUTO_TEST_SUITE_END()
