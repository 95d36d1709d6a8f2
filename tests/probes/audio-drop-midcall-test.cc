#include "office-log-builder.h"
#include "probes/symptom-detectors.h"

#include <boost/test/unit_test.hpp>

using namespace alglab::probes;
using namespace alglab::probes::testing;

namespace {

SymptomResult Detect(const ObservationLog& log) { return DetectAudioDropMidcall(log, {}); }

/// phone1 <-> provider call "c1" established at 10 s, ended at `end`; what the provider sends
/// reaches phone1 except in `silences` and after `providerStops`.
ObservationLog Call(double end, const std::vector<Silence>& silences, double providerStarts = 10.0,
                    double providerStops = -1.0) {
  ObservationLog log = EmptyOffice();
  log.OnCallEstablished(10.0, "phone1", "c1", "provider");
  log.OnCallEstablished(10.0, "provider", "c1", "phone1");
  AddMedia(log, "phone1", "provider", "c1", 10.0, end);
  AddMedia(log, "provider", "phone1", "c1", providerStarts,
           providerStops < 0.0 ? end : providerStops, silences);
  log.OnCallEnded(end, "phone1", "c1", "bye");
  log.OnCallEnded(end, "provider", "c1", "bye");
  log.MarkEnd(end + 10.0);
  return log;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(audio_drop_midcall)

BOOST_AUTO_TEST_CASE(clean_office_has_no_drops) {
  SymptomResult r = Detect(CleanOffice());
  BOOST_TEST(r.name == "audio_drop_midcall");
  BOOST_TEST(!r.present);
  BOOST_TEST(r.evidence["summary"]["streams_judged"] == 4);
}

BOOST_AUTO_TEST_CASE(five_second_gap_mid_call_is_a_symptom) {
  SymptomResult r = Detect(Call(70.0, {{30.0, 35.0}}));
  BOOST_TEST(r.present);
  BOOST_REQUIRE(r.evidence["drops"].size() == 1u);
  const nlohmann::json& d = r.evidence["drops"][0];
  BOOST_TEST(d["device"] == "phone1");
  BOOST_TEST(d["call_id"] == "c1");
  BOOST_TEST(d["stopped_for_good"] == false);
  BOOST_TEST(d["duration"].get<double>() >= 5.0);
  BOOST_TEST(d["duration"].get<double>() < 5.1);
  BOOST_TEST(r.evidence["affected_calls"] == nlohmann::json({"c1"}));
}

BOOST_AUTO_TEST_CASE(short_gap_is_jitter_not_a_drop) {
  BOOST_TEST(!Detect(Call(70.0, {{30.0, 30.3}})).present);
}

BOOST_AUTO_TEST_CASE(gap_threshold_is_honoured_above_the_record_threshold) {
  ObservationLog log = Call(70.0, {{30.0, 31.0}});  // a 1 s gap, recorded (above 0.5 s)
  Thresholds tolerant;
  tolerant.rtpGapSeconds = 2.0;
  BOOST_TEST(!DetectAudioDropMidcall(log, tolerant).present);
  BOOST_TEST(Detect(log).present);
}

BOOST_AUTO_TEST_CASE(only_the_part_of_a_gap_inside_the_settled_call_counts) {
  // 1 s of silence, 0.7 s of it in the first (settling) second after the answer.
  BOOST_TEST(!Detect(Call(70.0, {{10.3, 11.3}})).present);
  // The same silence a little later lies fully inside the judged window.
  BOOST_TEST(Detect(Call(70.0, {{11.0, 12.2}})).present);
}

BOOST_AUTO_TEST_CASE(silence_while_the_call_settles_or_tears_down_is_normal) {
  // Far end's media starts 0.8 s after the answer and stops 0.6 s before the BYE.
  BOOST_TEST(!Detect(Call(70.0, {}, 10.8, 69.4)).present);
}

BOOST_AUTO_TEST_CASE(audio_that_stops_for_good_is_a_symptom) {
  SymptomResult r = Detect(Call(75.0, {}, 10.0, 30.0));
  BOOST_TEST(r.present);
  const nlohmann::json& d = r.evidence["drops"][0];
  BOOST_TEST(d["stopped_for_good"] == true);
  BOOST_TEST(d["end"] == 74.0);  // end of the judged window: call end minus settle time
}

BOOST_AUTO_TEST_CASE(stream_that_never_carried_audio_is_one_way_not_a_drop) {
  SymptomResult r = Detect(Call(70.0, {{0.0, 1e9}}));
  BOOST_TEST(!r.present);
  BOOST_TEST(r.evidence["summary"]["streams_not_judged"]["too_little_audio_received"] == 1);
}

BOOST_AUTO_TEST_CASE(reboot_outage_silence_is_excused_unless_it_outlasts_the_grace) {
  ObservationLog brief = Call(150.0, {{40.0, 50.0}});
  brief.OnReboot(40.0);
  SymptomResult r = Detect(brief);
  BOOST_TEST(!r.present);
  BOOST_TEST(r.evidence["reboot_outage_drops"].size() == 1u);

  ObservationLog lasting = Call(150.0, {{40.0, 120.0}});
  lasting.OnReboot(40.0);
  SymptomResult s = Detect(lasting);
  BOOST_TEST(s.present);
  BOOST_TEST(s.evidence["by_reboot"]["before"] == 1);  // silence began with the last packet
}

BOOST_AUTO_TEST_SUITE_END()
