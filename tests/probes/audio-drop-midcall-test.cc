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

/// phone1 <-> provider call "c1" from 10 s to 70 s in which the provider sends nothing from
/// 30 s until `resumeAt`; of what it sends afterwards, `lost` never reaches phone1.
ObservationLog CallWithProviderSilence(double resumeAt, const std::vector<Silence>& lost) {
  ObservationLog log = EmptyOffice();
  log.OnCallEstablished(10.0, "phone1", "c1", "provider");
  log.OnCallEstablished(10.0, "provider", "c1", "phone1");
  AddMedia(log, "phone1", "provider", "c1", 10.0, 70.0);
  AddMedia(log, "provider", "phone1", "c1", 10.0, 30.0);
  AddMedia(log, "provider", "phone1", "c1", resumeAt, 70.0, lost);
  log.OnCallEnded(70.0, "phone1", "c1", "bye");
  log.OnCallEnded(70.0, "provider", "c1", "bye");
  log.MarkEnd(80.0);
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

BOOST_AUTO_TEST_CASE(a_call_the_dialog_cut_is_a_drop_a_hangup_is_not) {
  for (const std::string reason : {"ack-timeout", "reinvite-408", "reinvite-481"}) {
    ObservationLog log = EmptyOffice();
    log.OnCallEstablished(10.0, "phone1", "c1", "provider");
    log.OnCallEstablished(10.0, "provider", "c1", "phone1");
    AddMedia(log, "phone1", "provider", "c1", 10.0, 42.0);
    AddMedia(log, "provider", "phone1", "c1", 10.0, 42.0);
    log.OnCallEnded(42.0, "phone1", "c1", reason);
    log.OnCallEnded(42.0, "provider", "c1", "bye");
    log.MarkEnd(60.0);
    const SymptomResult r = Detect(log);
    BOOST_TEST(r.present, reason);
    BOOST_REQUIRE(r.evidence["cut_calls"].size() == 1u);
    BOOST_TEST(r.evidence["cut_calls"][0]["device"] == "phone1");
    BOOST_TEST(r.evidence["cut_calls"][0]["reason"] == reason);
    BOOST_TEST(r.evidence["summary"]["cut_calls"] == 1);
  }
  // The same call ended by a user: nothing.
  BOOST_TEST(!Detect(Call(42.0, {})).present);
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
  // The provider sends to the end; from 30 s on nothing reaches phone1.
  SymptomResult r = Detect(Call(75.0, {{30.0, 1e9}}));
  BOOST_TEST(r.present);
  const nlohmann::json& d = r.evidence["drops"][0];
  BOOST_TEST(d["stopped_for_good"] == true);
  BOOST_TEST(d["end"] == 74.0);  // end of the judged window: call end minus settle time
}

BOOST_AUTO_TEST_CASE(a_silence_the_sender_chose_is_named_but_not_a_drop) {
  // The provider puts the call on hold (or mutes) from 30 s to 50 s: it sends nothing, so
  // phone1 hears nothing, and no packet was lost on the way.
  SymptomResult r = Detect(CallWithProviderSilence(50.0, {}));
  BOOST_TEST(!r.present);
  BOOST_REQUIRE(r.evidence["sender_silent_gaps"].size() == 1u);
  BOOST_TEST(r.evidence["sender_silent_gaps"][0]["device"] == "phone1");
  // A sender that stops for good is silent too: after the provider's last packet nothing is lost.
  ObservationLog stopped = Call(75.0, {}, 10.0, 30.0);
  BOOST_TEST(!Detect(stopped).present);
}

BOOST_AUTO_TEST_CASE(a_silence_longer_than_the_senders_is_still_a_drop) {
  // The provider is silent 30-40 s, but what it sends 40-50 s is lost too: 20 s of silence of
  // which the sender chose only half. That is damage.
  SymptomResult r = Detect(CallWithProviderSilence(40.0, {{40.0, 50.0}}));
  BOOST_TEST(r.present);
  BOOST_TEST(r.evidence["drops"].size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_relay_with_nothing_to_relay_puts_the_drop_on_the_hop_that_lost_it) {
  // phone1 -> pbx (c1) -> phone2 (c2). phone1's audio is lost on its way to the PBX 30-50 s, so
  // the PBX has nothing to relay to phone2: the drop is the PBX's (c1), phone2's silence is the
  // PBX's own.
  ObservationLog log = EmptyOffice();
  log.OnCallEstablished(10.0, "phone1", "c1", "pbx");
  log.OnCallEstablished(10.0, "pbx", "c1", "phone1");
  log.OnCallEstablished(10.0, "phone2", "c2", "pbx");
  log.OnCallEstablished(10.0, "pbx", "c2", "phone2");
  AddMedia(log, "phone1", "pbx", "c1", 10.0, 70.0, {{30.0, 50.0}});
  AddMedia(log, "pbx", "phone1", "c1", 10.0, 70.0);
  AddMedia(log, "phone2", "pbx", "c2", 10.0, 70.0);
  AddMedia(log, "pbx", "phone2", "c2", 10.0, 30.0);
  AddMedia(log, "pbx", "phone2", "c2", 50.0, 70.0);
  for (const char* d : {"phone1", "pbx"}) log.OnCallEnded(70.0, d, "c1", "bye");
  for (const char* d : {"phone2", "pbx"}) log.OnCallEnded(70.0, d, "c2", "bye");
  log.MarkEnd(80.0);
  SymptomResult r = Detect(log);
  BOOST_TEST(r.present);
  BOOST_REQUIRE(r.evidence["drops"].size() == 1u);
  BOOST_TEST(r.evidence["drops"][0]["device"] == "pbx");
  BOOST_TEST(r.evidence["drops"][0]["call_id"] == "c1");
  BOOST_TEST(r.evidence["sender_silent_gaps"].size() == 1u);
  BOOST_TEST(r.evidence["sender_silent_gaps"][0]["device"] == "phone2");
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
