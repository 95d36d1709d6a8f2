// The endpoints through the real NAT router (sim/nat, vendor "none" = no ALG): a clean office
// must work because of the endpoints' own NAT traversal, and must break in the expected way
// when a server-side knob is switched off. The internet core has no route to private
// addresses, so nothing works by accident.
//
//   phones, [on-prem PBX] ── CSMA ── router(NAT) ══ core ══ provider      198.51.100.2
//        10.0.0.0/24          10.0.0.1   203.0.113.1  ╚══ hosted PBX    192.0.2.2

#define BOOST_TEST_MODULE alglab endpoints through NAT
#include <boost/test/unit_test.hpp>

#include "sim/endpoints/sip-pbx.h"
#include "sim/endpoints/sip-phone.h"
#include "sim/endpoints/sip-provider.h"
#include "sim/nat/nat-router-helper.h"
#include "tests/endpoints/endpoint-test-fixture.h"

#include <ns3/csma-module.h>
#include <ns3/internet-module.h>

#include <algorithm>

using namespace alglab;
using namespace alglab::test;
using namespace ns3;

namespace {

class NatOffice {
 public:
  NatOffice(std::size_t phones, bool hostedPbx) : m_hosted(hostedPbx) {
    Ipv4AddressGenerator::Reset();
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));
    m_lan.Create(phones + (hostedPbx ? 0 : 1));
    m_router = CreateObject<Node>();
    m_core = CreateObject<Node>();
    m_providerNode = CreateObject<Node>();
    m_hostedNode = CreateObject<Node>();

    InternetStackHelper hosts;
    hosts.SetRoutingHelper(Ipv4StaticRoutingHelper());
    hosts.Install(m_lan);
    hosts.Install(NodeContainer(m_core, m_providerNode, m_hostedNode));
    nat::NatRoutingHelper natHelper;
    InternetStackHelper routerStack;
    routerStack.SetRoutingHelper(natHelper);
    routerStack.Install(m_router);

    CsmaHelper csma;
    csma.SetChannelAttribute("DataRate", StringValue("1Gbps"));
    csma.SetChannelAttribute("Delay", TimeValue(MicroSeconds(50)));
    auto lan = csma.Install(NodeContainer(NodeContainer(m_router), m_lan));
    auto wan = LinkPointToPoint(m_router, m_core, MilliSeconds(5));
    auto toProvider = LinkPointToPoint(m_core, m_providerNode, MilliSeconds(5));
    auto toHosted = LinkPointToPoint(m_core, m_hostedNode, MilliSeconds(5));

    Ipv4AddressHelper a;
    a.SetBase("10.0.0.0", "255.255.255.0");
    m_lanIf = a.Assign(lan);
    a.SetBase("203.0.113.0", "255.255.255.0");
    a.Assign(wan);
    a.SetBase("198.51.100.0", "255.255.255.0");
    m_providerIp = a.Assign(toProvider).GetAddress(1);
    a.SetBase("192.0.2.0", "255.255.255.0");
    m_hostedIp = a.Assign(toHosted).GetAddress(1);

    Ipv4StaticRoutingHelper routes;
    for (std::uint32_t i = 0; i < m_lan.GetN(); ++i) {
      routes.GetStaticRouting(m_lan.Get(i)->GetObject<Ipv4>())
          ->SetDefaultRoute(Ipv4Address("10.0.0.1"), 1);
    }
    routes.GetStaticRouting(m_providerNode->GetObject<Ipv4>())
        ->SetDefaultRoute(Ipv4Address("198.51.100.1"), 1);
    routes.GetStaticRouting(m_hostedNode->GetObject<Ipv4>())
        ->SetDefaultRoute(Ipv4Address("192.0.2.1"), 1);
    const auto wanIf = m_router->GetObject<Ipv4>()->GetInterfaceForDevice(wan.Get(0));
    BOOST_REQUIRE(nat::NatRoutingHelper::ConfigureWan(m_router, static_cast<std::uint32_t>(wanIf),
                                                      Ipv4Address("203.0.113.2")));

    m_pbx = CreateOfficePbx();
    (hostedPbx ? m_hostedNode : m_lan.Get(phones))->AddApplication(m_pbx);
    const Ipv4Address pbxIp = hostedPbx ? m_hostedIp : m_lanIf.GetAddress(1 + phones);

    m_provider = CreateOfficeProvider();
    m_providerNode->AddApplication(m_provider);
    ConfigureTrunk(m_pbx, m_provider, m_providerIp, {"4930555000"});

    std::vector<std::string> group;
    for (std::size_t i = 0; i < phones; ++i) {
      auto phone = CreateOfficePhone(m_pbx, i, pbxIp);
      m_lan.Get(i)->AddApplication(phone);
      m_phones.push_back(phone);
      group.push_back(std::to_string(101 + i));
    }
    m_pbx->AddRingGroup("4930555000", group);
  }

  ~NatOffice() {
    ResetSimulation();
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(false));
  }

  void Run(double seconds) {
    for (auto& p : m_phones) {
      m_rec.Attach(p);
    }
    m_rec.Attach(m_pbx);
    m_rec.Attach(m_provider);
    Simulator::Stop(Seconds(seconds));
    Simulator::Run();
  }

  Ptr<SipPhone> Phone(std::size_t i) { return m_phones.at(i); }
  Ptr<SipPbx> Pbx() { return m_pbx; }
  Ptr<SipProvider> Provider() { return m_provider; }
  TraceRecorder& Rec() { return m_rec; }

 private:
  bool m_hosted;
  NodeContainer m_lan;
  Ptr<Node> m_router, m_core, m_providerNode, m_hostedNode;
  Ipv4InterfaceContainer m_lanIf;
  Ipv4Address m_providerIp, m_hostedIp;
  Ptr<SipPbx> m_pbx;
  Ptr<SipProvider> m_provider;
  std::vector<Ptr<SipPhone>> m_phones;
  TraceRecorder m_rec;
};

std::vector<std::string> DistinctLamps(const std::vector<TraceEvent>& events) {
  std::vector<std::string> lamp;
  for (const auto& e : events) {
    if (lamp.empty() || lamp.back() != e.b) {
      lamp.push_back(e.b);
    }
  }
  return lamp;
}

}  // namespace

BOOST_AUTO_TEST_CASE(hosted_pbx_with_phones_behind_nat_just_works) {
  NatOffice office(3, true);
  office.Phone(2)->Watch("102");
  // Distinct answer delays: 101 wins the ring group cleanly (no simultaneous answers).
  office.Phone(1)->SetAttribute("AnswerAfter", TimeValue(Seconds(3)));
  office.Phone(2)->SetAttribute("AnswerAfter", TimeValue(Seconds(4)));
  CallAt(office.Phone(0), 5, "102", 10);
  // Inbound call long after the NAT's 120 s UDP timeout: only keepalives keep the phones
  // reachable.
  InboundCallAt(office.Provider(), 300, "4930555000", 10);
  office.Run(320);
  auto& rec = office.Rec();

  for (std::size_t i = 0; i < 3; ++i) {
    BOOST_TEST_CONTEXT(i) {
      BOOST_CHECK(office.Phone(i)->IsRegistered());
      const auto pub = office.Phone(i)->PublicAddress();
      BOOST_REQUIRE(pub.has_value());
      BOOST_CHECK(pub->ip == Ipv4Address("203.0.113.1"));  // learned through rport/received
      const auto b = office.Pbx()->Bindings(std::to_string(101 + i));
      BOOST_REQUIRE_EQUAL(b.size(), 1u);
      BOOST_CHECK(b[0].behindNat);
      BOOST_CHECK_EQUAL(office.Phone(i)->GetRegistrationClient()->GetCounters().natRebinds, 0u);
    }
  }
  // Internal call: both directions of audio through PBX relay and NAT.
  BOOST_CHECK_EQUAL(rec.Count("CallEstablished", "phone101"), 2u);  // internal + inbound
  BOOST_CHECK_EQUAL(rec.Count("CallEstablished", "phone102"), 1u);
  for (const std::string dev : {"phone101", "phone102"}) {
    BOOST_TEST_CONTEXT(dev) {
      BOOST_CHECK_GT(rec.Received(dev).count, 450u);
      BOOST_CHECK_EQUAL(rec.Received(dev).gaps, 0u);
    }
  }
  // BLF across the NAT.
  const auto lamp = DistinctLamps(rec.Events("BlfNotify", "phone103"));
  BOOST_CHECK(std::find(lamp.begin(), lamp.end(), "early") != lamp.end());
  BOOST_CHECK(std::find(lamp.begin(), lamp.end(), "confirmed") != lamp.end());
  BOOST_CHECK_EQUAL(office.Phone(2)->LampState("102"), "terminated");
  // The inbound DID call at 300 s rang every phone and carried audio both ways.
  BOOST_CHECK_EQUAL(rec.Count("CallForked", "pbx"), 3u);
  for (const std::string dev : {"phone101", "phone102", "phone103"}) {
    BOOST_TEST_CONTEXT(dev) { BOOST_CHECK_EQUAL(rec.Count("IncomingCall", dev), dev == "phone102" ? 2u : 1u); }
  }
  BOOST_CHECK_EQUAL(rec.Count("CallEstablished", "provider"), 1u);
  BOOST_CHECK_GT(rec.Received("provider").count, 400u);
  // No failed calls anywhere.
  for (const auto& e : rec.Events("CallEnded")) {
    BOOST_TEST_CONTEXT(e.device << " " << e.a) {
      BOOST_CHECK(e.b == "bye" || e.b == "cancel");
    }
  }
}

BOOST_AUTO_TEST_CASE(onprem_pbx_trunk_behind_nat_just_works) {
  NatOffice office(2, false);
  InboundCallAt(office.Provider(), 200, "4930555000", 10);
  CallAt(office.Phone(1), 230, "0015551234", 10);
  office.Run(250);
  auto& rec = office.Rec();
  BOOST_CHECK(office.Pbx()->IsTrunkRegistered());
  const auto b = office.Provider()->Bindings("trunk1");
  BOOST_REQUIRE_EQUAL(b.size(), 1u);
  BOOST_CHECK(b[0].behindNat);
  BOOST_CHECK(b[0].target->ip == Ipv4Address("203.0.113.1"));
  BOOST_CHECK_EQUAL(rec.Count("CallEstablished", "provider"), 2u);
  BOOST_CHECK_GT(rec.Received("provider").count, 900u);
  BOOST_CHECK_GT(rec.Received("phone101").count + rec.Received("phone102").count, 900u);
  for (const auto& e : rec.Events("CallEnded")) {
    BOOST_TEST_CONTEXT(e.device << " " << e.a) {
      BOOST_CHECK(e.b == "bye" || e.b == "cancel");
    }
  }
}

BOOST_AUTO_TEST_CASE(hosted_pbx_without_fix_contact_cannot_reach_phones) {
  NatOffice office(2, true);
  office.Pbx()->SetAttribute("FixContact", BooleanValue(false));
  CallAt(office.Phone(0), 5, "102", 5);
  office.Run(50);
  BOOST_CHECK_EQUAL(office.Rec().Count("IncomingCall", "phone102"), 0u);
  const auto ended = office.Rec().Events("CallEnded", "phone101");
  BOOST_REQUIRE_EQUAL(ended.size(), 1u);
  BOOST_CHECK_EQUAL(ended[0].b, "408");
}

BOOST_AUTO_TEST_CASE(hosted_pbx_without_latching_gives_one_way_audio) {
  NatOffice office(2, true);
  office.Pbx()->SetAttribute("LatchMedia", BooleanValue(false));
  CallAt(office.Phone(0), 5, "102", 10);
  office.Run(20);
  auto& rec = office.Rec();
  BOOST_CHECK_EQUAL(rec.Count("CallEstablished", "phone101"), 1u);
  BOOST_CHECK_GT(rec.Received("pbx").count, 900u);      // phones' audio reaches the PBX
  BOOST_CHECK_EQUAL(rec.Received("phone101").count, 0u);  // but goes back to private SDP
  BOOST_CHECK_EQUAL(rec.Received("phone102").count, 0u);  // addresses, which die at the core
}
