#include "office-log-builder.h"
#include "probes/symptom-detectors.h"

#include <boost/test/unit_test.hpp>

using namespace alglab::probes;
using namespace alglab::probes::testing;

namespace {

SymptomResult Detect(const ObservationLog& log, const Thresholds& t = {}) {
  return DetectIncomingCallsNotRinging(log, t);
}

ObservationLog OfficeWithCall(const InboundCallSpec& spec) {
  ObservationLog log = EmptyOffice();
  RegisterEveryone(log, 1.0);
  AddInboundCall(log, spec);
  log.MarkEnd(200.0);
  return log;
}

/// A call the PBX forks to every handset at t + 0.02 without any alert (yet).
void AddSilentForks(ObservationLog& log, const std::string& callId, double t) {
  log.OnInboundCallPlaced(t, "provider", callId, "5551000");
  log.OnInboundCallReceived(t + 0.01, "pbx", callId, "5551000");
  for (const Handset& h : OfficeHandsets()) {
    log.OnCallForked(t + 0.02, "pbx", callId, h.extension, callId + "-" + h.extension);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(incoming_calls_not_ringing)

BOOST_AUTO_TEST_CASE(ring_group_answered_by_one_others_cancelled_is_normal) {
  SymptomResult r = Detect(CleanOffice());
  BOOST_TEST(r.name == "incoming_calls_not_ringing");
  BOOST_TEST(!r.present);
  BOOST_TEST(r.evidence["summary"]["all_rang"] == 1);
  BOOST_TEST(r.evidence["summary"]["inbound_calls"] == 1);
  BOOST_TEST(r.evidence["per_extension"]["103"]["rang"] == 1);
  BOOST_TEST(r.evidence["affected_calls"].empty());
}

BOOST_AUTO_TEST_CASE(unanswered_call_that_rang_everyone_is_normal) {
  InboundCallSpec spec;
  spec.answerer = "";  // caller gives up after 20 s of ringing
  BOOST_TEST(!Detect(OfficeWithCall(spec)).present);
}

BOOST_AUTO_TEST_CASE(one_member_of_the_ring_group_never_alerting_is_a_symptom) {
  InboundCallSpec spec;
  spec.silent = {"103"};
  SymptomResult r = Detect(OfficeWithCall(spec));
  BOOST_TEST(r.present);
  BOOST_TEST(r.evidence["handsets_not_ringing"] == nlohmann::json({"103"}));
  const nlohmann::json& call = r.evidence["affected_calls"][0];
  BOOST_TEST(call["outcome"] == "partial");
  BOOST_TEST(call["expected"] == 3);
  BOOST_TEST(call["rang"] == 2);
  BOOST_TEST(call["offered"][2]["extension"] == "103");
  BOOST_TEST(call["offered"][2]["verdict"] == "not_rang");
  BOOST_TEST(call["offered"][0]["device"] == "phone1");
  BOOST_TEST(r.evidence["per_extension"]["103"]["not_rang"] == 1);
}

BOOST_AUTO_TEST_CASE(member_without_usable_contact_is_a_symptom) {
  InboundCallSpec spec;
  spec.unreachable = {"101"};
  SymptomResult r = Detect(OfficeWithCall(spec));
  BOOST_TEST(r.present);
  BOOST_TEST(r.evidence["affected_calls"][0]["offered"][0]["verdict"] == "unreachable");
  BOOST_TEST(r.evidence["per_extension"]["101"]["unreachable"] == 1);
}

BOOST_AUTO_TEST_CASE(call_that_never_reaches_the_pbx_is_a_symptom) {
  ObservationLog log = CleanOffice();
  log.OnInboundCallPlaced(100.0, "provider", "in2", "5551000");
  log.OnCallEnded(132.0, "provider", "in2", "408");
  SymptomResult r = Detect(log);
  BOOST_TEST(r.present);
  BOOST_TEST(r.evidence["affected_calls"][0]["outcome"] == "none_rang");
  BOOST_TEST(r.evidence["affected_calls"][0]["reached_pbx"] == false);
}

BOOST_AUTO_TEST_CASE(caller_hanging_up_before_anything_could_ring_is_not_judged) {
  ObservationLog log = CleanOffice();
  AddSilentForks(log, "in2", 100.0);
  log.OnCallEnded(101.0, "provider", "in2", "cancel");
  for (const Handset& h : OfficeHandsets()) {
    log.OnCallEnded(101.0, "pbx", "in2-" + h.extension, "cancel");
  }
  SymptomResult r = Detect(log);
  BOOST_TEST(!r.present);
  BOOST_TEST(r.evidence["summary"]["not_judged"] == 1);
}

BOOST_AUTO_TEST_CASE(answer_before_a_slow_member_could_ring_is_not_held_against_it) {
  InboundCallSpec spec;
  spec.silent = {"103"};  // answered 5 s after the fork
  Thresholds lenient;
  lenient.ringDeadlineSeconds = 6.0;
  BOOST_TEST(!Detect(OfficeWithCall(spec), lenient).present);
  BOOST_TEST(Detect(OfficeWithCall(spec)).present);  // with the 4 s default it counts
}

BOOST_AUTO_TEST_CASE(answer_elsewhere_ends_the_ring_group_even_without_cancel_records) {
  // The PBX reports no CallEnded for cancelled legs; phone2 answers 2 s after the fork, before
  // 103 was due to ring.
  ObservationLog log = CleanOffice();
  AddSilentForks(log, "in2", 100.0);
  log.OnIncomingCall(100.03, "phone1", "in2-101", "sip:caller@provider");
  log.OnIncomingCall(100.03, "phone2", "in2-102", "sip:caller@provider");
  log.OnCallEstablished(102.0, "phone2", "in2-102", "pbx");
  log.OnCallEstablished(102.0, "pbx", "in2-102", "phone2");
  log.OnCallEnded(160.0, "phone2", "in2-102", "bye");
  log.OnCallEnded(160.0, "provider", "in2", "bye");
  SymptomResult r = Detect(log);
  BOOST_TEST(!r.present);
  BOOST_TEST(r.evidence["per_extension"]["103"]["offered"] == 1);  // only in1 judged it
}

BOOST_AUTO_TEST_CASE(calls_still_ringing_or_just_placed_at_the_end_are_fine) {
  ObservationLog log = CleanOffice();
  AddSilentForks(log, "in2", 195.0);
  for (const Handset& h : OfficeHandsets()) {
    log.OnIncomingCall(195.03, h.device, "in2-" + h.extension, "sip:caller@provider");
  }
  AddSilentForks(log, "in3", 198.0);  // 2 s before the end: no alert yet
  SymptomResult r = Detect(log);
  BOOST_TEST(!r.present);
  BOOST_TEST(r.evidence["summary"]["all_rang"] == 2);
  BOOST_TEST(r.evidence["summary"]["not_judged"] == 1);
}

BOOST_AUTO_TEST_CASE(calls_during_a_reboot_outage_are_the_reboots) {
  ObservationLog log = CleanOffice();
  log.OnReboot(100.0);
  log.OnInboundCallPlaced(110.0, "provider", "in2", "5551000");
  log.OnCallEnded(142.0, "provider", "in2", "408");
  SymptomResult r = Detect(log);
  BOOST_TEST(!r.present);
  BOOST_TEST(r.evidence["summary"]["reboot_grace"] == 1);
}

BOOST_AUTO_TEST_CASE(calls_without_a_ring_group) {
  ObservationLog direct = CleanOffice();
  direct.OnInboundCallPlaced(100.0, "provider", "d1", "5551001");
  direct.OnIncomingCall(100.02, "phone1", "d1", "sip:caller@provider");
  BOOST_TEST(!Detect(direct).present);

  ObservationLog attendant = CleanOffice();
  attendant.OnInboundCallPlaced(100.0, "provider", "d2", "5551002");
  attendant.OnInboundCallReceived(100.01, "pbx", "d2", "5551002");
  attendant.OnCallEstablished(100.02, "pbx", "d2", "provider");
  attendant.OnCallEnded(130.0, "pbx", "d2", "bye");
  BOOST_TEST(!Detect(attendant).present);

  ObservationLog lost = CleanOffice();
  lost.OnInboundCallPlaced(100.0, "provider", "d3", "5551003");
  lost.OnInboundCallReceived(100.01, "pbx", "d3", "5551003");
  lost.OnCallEnded(130.0, "provider", "d3", "cancel");
  SymptomResult r = Detect(lost);
  BOOST_TEST(r.present);
  BOOST_TEST(r.evidence["affected_calls"][0]["outcome"] == "none_rang");
}

BOOST_AUTO_TEST_CASE(alerts_at_the_pbx_are_not_handsets_ringing) {
  ObservationLog log = CleanOffice();
  log.OnInboundCallPlaced(100.0, "provider", "d4", "5551004");
  log.OnIncomingCall(100.01, "pbx", "d4", "sip:caller@provider");
  log.OnCallEnded(130.0, "provider", "d4", "cancel");
  BOOST_TEST(Detect(log).present);
}

BOOST_AUTO_TEST_SUITE_END()
