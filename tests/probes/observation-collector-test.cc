// The collector's wiring, proven with fake devices that declare the real trace-source names
// and signatures (sim/endpoints/endpoint-traces.h) and fire them from a short simulation.

#define BOOST_TEST_MODULE probes_collector
#include "probes/observation-collector.h"

#include <ns3/drop-tail-queue.h>
#include <ns3/nstime.h>
#include <ns3/packet.h>
#include <ns3/queue-size.h>
#include <ns3/object.h>
#include <ns3/simulator.h>
#include <ns3/string.h>
#include <ns3/trace-source-accessor.h>
#include <ns3/traced-callback.h>

#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <string>

#include "probes/probe-errors.h"
#include "probes/symptom-report.h"

BOOST_TEST_DONT_PRINT_LOG_VALUE(alglab::probes::DeviceKind)
BOOST_TEST_DONT_PRINT_LOG_VALUE(alglab::probes::CallEventKind)

using namespace alglab::probes;

namespace {

using Text = const std::string&;

/// The sources every SIP endpoint has, and nothing else.
class FakeEndpoint : public ns3::Object {
 public:
  static ns3::TypeId GetTypeId() {
    static ns3::TypeId tid =
        ns3::TypeId("alglab::test::FakeEndpoint")
            .SetParent<ns3::Object>()
            .AddConstructor<FakeEndpoint>()
            .AddAttribute("Name", "device name", ns3::StringValue(""),
                          ns3::MakeStringAccessor(&FakeEndpoint::name), ns3::MakeStringChecker())
            .AddTraceSource("RegistrationOutcome", "",
                            ns3::MakeTraceSourceAccessor(&FakeEndpoint::registration),
                            "alglab::traces::RegistrationOutcome")
            .AddTraceSource("CallAttempt", "",
                            ns3::MakeTraceSourceAccessor(&FakeEndpoint::callAttempt),
                            "alglab::traces::CallAttempt")
            .AddTraceSource("IncomingCall", "",
                            ns3::MakeTraceSourceAccessor(&FakeEndpoint::incomingCall),
                            "alglab::traces::IncomingCall")
            .AddTraceSource("CallEstablished", "",
                            ns3::MakeTraceSourceAccessor(&FakeEndpoint::established),
                            "alglab::traces::CallEvent")
            .AddTraceSource("CallEnded", "", ns3::MakeTraceSourceAccessor(&FakeEndpoint::ended),
                            "alglab::traces::CallEvent")
            .AddTraceSource("RtpSent", "", ns3::MakeTraceSourceAccessor(&FakeEndpoint::rtpSent),
                            "alglab::traces::RtpPacket")
            .AddTraceSource("RtpReceived", "",
                            ns3::MakeTraceSourceAccessor(&FakeEndpoint::rtpReceived),
                            "alglab::traces::RtpPacket");
    return tid;
  }

  std::string name;
  ns3::TracedCallback<Text, Text, bool, std::uint16_t> registration;
  ns3::TracedCallback<Text, Text, Text> callAttempt;
  ns3::TracedCallback<Text, Text, Text> incomingCall;
  ns3::TracedCallback<Text, Text, Text> established;
  ns3::TracedCallback<Text, Text, Text> ended;
  ns3::TracedCallback<Text, Text, std::uint16_t, std::uint32_t> rtpSent;
  ns3::TracedCallback<Text, Text, std::uint16_t, std::uint32_t> rtpReceived;
};

/// An endpoint with the phone, PBX and provider extras too (found through the parent TypeId).
class FakeDevice : public FakeEndpoint {
 public:
  static ns3::TypeId GetTypeId() {
    static ns3::TypeId tid =
        ns3::TypeId("alglab::test::FakeDevice")
            .SetParent<FakeEndpoint>()
            .AddConstructor<FakeDevice>()
            .AddTraceSource("CallForked", "", ns3::MakeTraceSourceAccessor(&FakeDevice::forked),
                            "alglab::traces::CallForked")
            .AddTraceSource("CallBridged", "", ns3::MakeTraceSourceAccessor(&FakeDevice::bridged),
                            "alglab::traces::CallBridged")
            .AddTraceSource("InboundCall", "",
                            ns3::MakeTraceSourceAccessor(&FakeDevice::inboundCall),
                            "alglab::traces::InboundCall")
            .AddTraceSource("InboundCallPlaced", "",
                            ns3::MakeTraceSourceAccessor(&FakeDevice::inboundPlaced),
                            "alglab::traces::InboundCall")
            .AddTraceSource("DialogState", "",
                            ns3::MakeTraceSourceAccessor(&FakeDevice::dialogState),
                            "alglab::traces::BlfState")
            .AddTraceSource("BlfNotify", "", ns3::MakeTraceSourceAccessor(&FakeDevice::blfNotify),
                            "alglab::traces::BlfState");
    return tid;
  }

  ns3::TracedCallback<Text, Text, Text, Text> forked;
  ns3::TracedCallback<Text, Text, Text> bridged;
  ns3::TracedCallback<Text, Text, Text> inboundCall;
  ns3::TracedCallback<Text, Text, Text> inboundPlaced;
  ns3::TracedCallback<Text, Text, Text> dialogState;
  ns3::TracedCallback<Text, Text, Text> blfNotify;
};

class FakeRouter : public ns3::Object {
 public:
  static ns3::TypeId GetTypeId() {
    static ns3::TypeId tid =
        ns3::TypeId("alglab::test::FakeRouter")
            .SetParent<ns3::Object>()
            .AddConstructor<FakeRouter>()
            .AddTraceSource("Reboot", "", ns3::MakeTraceSourceAccessor(&FakeRouter::reboot),
                            "ns3::Time::TracedCallback");
    return tid;
  }
  ns3::TracedCallback<ns3::Time> reboot;
};

template <typename T>
ns3::Ptr<T> Named(const std::string& name) {
  ns3::Ptr<T> device = ns3::CreateObject<T>();
  device->name = name;
  return device;
}

bool Near(double a, double b) { return a > b - 1e-9 && a < b + 1e-9; }

}  // namespace

BOOST_AUTO_TEST_SUITE(observation_collector)

BOOST_AUTO_TEST_CASE(records_every_trace_source_with_simulation_time) {
  auto phone = Named<FakeDevice>("phone1");
  auto pbx = Named<FakeDevice>("pbx");
  auto provider = Named<FakeDevice>("provider");
  auto router = ns3::CreateObject<FakeRouter>();

  ObservationCollector collector;
  collector.AddPhone(phone);
  collector.AddPbx(pbx);
  collector.AddProvider(provider);
  collector.AddRouter(router);
  collector.ExpectBlfWatch("phone1", "102");
  // Kinds come from the "Name" attribute before anything fires.
  BOOST_TEST(collector.Log().KindOf("phone1") == DeviceKind::Phone);
  BOOST_TEST(collector.Log().KindOf("pbx") == DeviceKind::Pbx);
  BOOST_TEST(collector.Log().KindOf("provider") == DeviceKind::Provider);

  using ns3::Seconds;
  using ns3::Simulator;
  Simulator::Schedule(Seconds(1.0), [=] { phone->registration("phone1", "pbx", true, 200); });
  Simulator::Schedule(Seconds(1.5), [=] { pbx->registration("pbx", "provider", false, 403); });
  Simulator::Schedule(Seconds(2.0), [=] {
    provider->inboundPlaced("provider", "in1", "5551000");
    provider->callAttempt("provider", "in1", "sip:5551000@office");
  });
  Simulator::Schedule(Seconds(2.01), [=] { pbx->inboundCall("pbx", "in1", "5551000"); });
  Simulator::Schedule(Seconds(2.02), [=] { pbx->forked("pbx", "in1", "101", "leg1"); });
  Simulator::Schedule(Seconds(2.03), [=] { pbx->bridged("pbx", "in1", "leg1"); });
  Simulator::Schedule(Seconds(2.03), [=] { phone->incomingCall("phone1", "leg1", "sip:c@p"); });
  Simulator::Schedule(Seconds(2.03), [=] { pbx->incomingCall("pbx", "in1", "sip:c@p"); });
  Simulator::Schedule(Seconds(3.0), [=] {
    phone->established("phone1", "leg1", "pbx");
    provider->established("provider", "in1", "pbx");
  });
  for (int i = 0; i < 100; ++i) {
    auto seq = static_cast<std::uint16_t>(i);
    Simulator::Schedule(Seconds(3.0 + 0.02 * i), [=] { phone->rtpSent("phone1", "leg1", seq, 160u * seq); });
    Simulator::Schedule(Seconds(3.01 + 0.02 * i), [=] { pbx->rtpReceived("pbx", "leg1", seq, 160u * seq); });
  }
  Simulator::Schedule(Seconds(4.0), [=] { router->reboot(Seconds(30.0)); });
  Simulator::Schedule(Seconds(5.0), [=] { pbx->dialogState("pbx", "101", "confirmed"); });
  Simulator::Schedule(Seconds(5.1), [=] { phone->blfNotify("phone1", "101", "confirmed"); });
  Simulator::Schedule(Seconds(6.0), [=] { phone->ended("phone1", "leg1", "bye"); });
  Simulator::Stop(Seconds(10.0));
  Simulator::Run();
  collector.Finish();

  const ObservationLog& log = collector.Log();
  BOOST_REQUIRE(log.Registrations().size() == 2u);
  BOOST_TEST(log.Registrations()[0].t == 1.0);
  BOOST_TEST(log.Registrations()[0].device == "phone1");
  BOOST_TEST(log.Registrations()[1].status == 403);
  BOOST_TEST(!log.Registrations()[1].success);
  BOOST_REQUIRE(log.InboundPlaced().size() == 1u);
  BOOST_TEST(log.InboundPlaced()[0].t == 2.0);
  BOOST_REQUIRE(log.InboundReceived().size() == 1u);
  BOOST_TEST(Near(log.InboundReceived()[0].t, 2.01));
  BOOST_TEST(log.CallAttempts().size() == 1u);
  BOOST_REQUIRE(log.Forks().size() == 1u);
  BOOST_TEST(log.Forks()[0].legCallId == "leg1");
  BOOST_REQUIRE(log.Bridges().size() == 1u);
  BOOST_TEST(log.Bridges()[0].callerCallId == "in1");
  BOOST_TEST(log.Bridges()[0].calleeCallId == "leg1");
  BOOST_TEST(Near(log.Bridges()[0].t, 2.03));
  BOOST_TEST(log.Alerts().size() == 2u);
  BOOST_TEST(log.CallEvents().size() == 3u);
  BOOST_TEST(log.CallEvents()[2].kind == CallEventKind::Ended);
  BOOST_TEST(log.CallEvents()[2].t == 6.0);
  BOOST_REQUIRE(log.Reboots().size() == 1u);
  BOOST_TEST(log.Reboots()[0].t == 4.0);
  BOOST_REQUIRE(log.BlfTruth().size() == 1u);
  BOOST_TEST(log.BlfTruth()[0].t == 5.0);
  BOOST_REQUIRE(log.BlfLamps().size() == 1u);
  BOOST_TEST(Near(log.BlfLamps()[0].t, 5.1));
  const MediaStreamStats* tx = log.FindStream("phone1", "leg1");
  const MediaStreamStats* rx = log.FindStream("pbx", "leg1");
  BOOST_REQUIRE(tx != nullptr);
  BOOST_REQUIRE(rx != nullptr);
  BOOST_TEST(tx->packetsSent == 100u);
  BOOST_TEST(rx->packetsReceived == 100u);
  BOOST_TEST(Near(rx->firstRx, 3.01));
  BOOST_TEST(Near(rx->lastRx, 4.99));
  BOOST_TEST(log.EndTime() == 10.0);
  BOOST_TEST(log.ExpectedBlfWatches().size() == 1u);

  // The collected log feeds the report: one handset rang, the PBX's alert is not a handset.
  Metrics m = ComputeMetrics(log);
  BOOST_TEST(m.handsetsRang == 1u);
  BOOST_TEST(m.inboundCalls == 1u);
  BOOST_TEST(m.reboots == 1u);
  BOOST_TEST(m.callsEstablished == 2u);

  Simulator::Destroy();
}

BOOST_AUTO_TEST_CASE(reboot_signature_can_be_chosen) {
  class ArglessRouter : public ns3::Object {
   public:
    static ns3::TypeId GetTypeId() {
      static ns3::TypeId tid =
          ns3::TypeId("alglab::test::ArglessRouter")
              .SetParent<ns3::Object>()
              .AddTraceSource("Reboot", "", ns3::MakeTraceSourceAccessor(&ArglessRouter::reboot),
                              "ns3::TracedCallback::Void");
      return tid;
    }
    ns3::TracedCallback<> reboot;
  };
  ns3::Ptr<ArglessRouter> router = ns3::CreateObject<ArglessRouter>();
  ObservationCollector collector;
  collector.AddRouterWithRebootSignature<>(router);
  ns3::Simulator::Schedule(ns3::Seconds(7.0), [=] { router->reboot(); });
  ns3::Simulator::Run();
  BOOST_REQUIRE(collector.Log().Reboots().size() == 1u);
  BOOST_TEST(collector.Log().Reboots()[0].t == 7.0);
  ns3::Simulator::Destroy();
}

BOOST_AUTO_TEST_CASE(missing_trace_source_is_a_wiring_error_and_connects_nothing) {
  auto basic = Named<FakeEndpoint>("phone9");  // endpoint sources only: no "BlfNotify"
  ObservationCollector collector;
  try {
    collector.AddPhone(basic);
    BOOST_FAIL("AddPhone should have thrown");
  } catch (const ProbeWiringError& e) {
    std::string what = e.what();
    BOOST_TEST(what.find("BlfNotify") != std::string::npos, what);
    BOOST_TEST(what.find("alglab::test::FakeEndpoint") != std::string::npos, what);
    BOOST_TEST(what.find("RtpReceived") != std::string::npos, what);  // lists what it has
  }
  basic->registration("phone9", "pbx", true, 200);
  BOOST_TEST(collector.Log().Registrations().empty());

  BOOST_CHECK_THROW(collector.AddPbx(basic), ProbeWiringError);
  BOOST_CHECK_THROW(collector.AddRouter(ns3::CreateObject<FakeDevice>()), ProbeWiringError);
  BOOST_CHECK_THROW(collector.AddProvider(nullptr), ProbeWiringError);

  auto phone = Named<FakeDevice>("phone1");
  collector.AddPhone(phone);
  BOOST_CHECK_THROW(collector.AddPhone(phone), ProbeWiringError);
  phone->registration("phone1", "pbx", true, 200);
  BOOST_TEST(collector.Log().Registrations().size() == 1u);  // recorded once
}

BOOST_AUTO_TEST_CASE(destroying_the_collector_disconnects_its_sinks) {
  auto phone = Named<FakeDevice>("phone1");
  {
    ObservationCollector collector;
    collector.AddPhone(phone);
    phone->registration("phone1", "pbx", true, 200);
    BOOST_TEST(collector.Log().Registrations().size() == 1u);
  }
  // Firing after the collector is gone must not touch freed sinks.
  phone->registration("phone1", "pbx", true, 200);
  phone->rtpReceived("phone1", "c1", 1, 160);

  ObservationCollector second;
  second.AddPhone(phone);
  phone->registration("phone1", "pbx", true, 200);
  BOOST_TEST(second.Log().Registrations().size() == 1u);  // only its own sink fired
  ns3::Simulator::Destroy();
}

BOOST_AUTO_TEST_CASE(queue_drops_of_a_full_device_queue_are_recorded_by_name) {
  ObservationCollector collector;
  auto queue = ns3::CreateObject<ns3::DropTailQueue<ns3::Packet>>();
  queue->SetMaxSize(ns3::QueueSize(ns3::QueueSizeUnit::PACKETS, 3));
  collector.AddQueue("router-wan", queue);
  BOOST_CHECK_THROW(collector.AddQueue("again", queue), ProbeWiringError);
  BOOST_CHECK_THROW(collector.AddQueue("", ns3::CreateObject<ns3::DropTailQueue<ns3::Packet>>()),
                    ProbeWiringError);
  BOOST_CHECK_THROW(collector.AddQueue("not-a-queue", ns3::CreateObject<FakeDevice>()),
                    ProbeWiringError);
  ns3::Simulator::Schedule(ns3::Seconds(2), [queue] {
    for (int i = 0; i < 5; ++i) {
      queue->Enqueue(ns3::Create<ns3::Packet>(100));
    }
  });
  ns3::Simulator::Run();
  BOOST_REQUIRE(collector.Log().QueueDrops().count("router-wan") == 1u);
  const QueueDropStats& wan = collector.Log().QueueDrops().at("router-wan");
  BOOST_TEST(wan.dropped == 2u);  // 3 fit, 2 did not
  BOOST_TEST(wan.first == 2.0);
  BOOST_TEST(ComputeMetrics(collector.Log()).queueDrops == 2u);
  ns3::Simulator::Destroy();
}

BOOST_AUTO_TEST_SUITE_END()
