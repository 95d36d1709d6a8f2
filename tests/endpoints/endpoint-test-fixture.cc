#include "tests/endpoints/endpoint-test-fixture.h"

#include <ns3/csma-module.h>
#include <ns3/point-to-point-module.h>

#include <boost/test/unit_test.hpp>

namespace alglab::test {

// --- recorder --------------------------------------------------------------------------------

void TraceRecorder::Add(TraceEvent e) {
  e.time = ns3::Simulator::Now().GetSeconds();
  m_events.push_back(std::move(e));
}

void TraceRecorder::Attach(ns3::Ptr<SipEndpoint> ep) {
  ep->TraceConnectWithoutContext("RegistrationOutcome",
                                 ns3::MakeCallback(&TraceRecorder::OnRegistration, this));
  // Type-specific sources among these: connecting a name the type lacks just returns false.
  for (const char* source : {"CallAttempt", "IncomingCall", "CallEstablished", "CallEnded",
                             "InboundCall", "InboundCallPlaced", "DialogState", "BlfNotify"}) {
    ep->TraceConnectWithoutContext(source,
                                   ns3::MakeCallback(&TraceRecorder::OnEvent, this, source));
  }
  ep->TraceConnectWithoutContext("CallForked", ns3::MakeCallback(&TraceRecorder::OnForked, this));
  ep->TraceConnectWithoutContext("RtpSent", ns3::MakeCallback(&TraceRecorder::OnRtpSent, this));
  ep->TraceConnectWithoutContext("RtpReceived",
                                 ns3::MakeCallback(&TraceRecorder::OnRtpReceived, this));
}

void TraceRecorder::OnRegistration(const std::string& d, const std::string& r, bool ok,
                                   std::uint16_t s) {
  TraceEvent e;
  e.source = "RegistrationOutcome";
  e.device = d;
  e.a = r;
  e.ok = ok;
  e.status = s;
  Add(e);
}

void TraceRecorder::OnEvent(const char* source, const std::string& d, const std::string& a,
                            const std::string& b) {
  Add({0, source, d, a, b, "", false, 0});
}

void TraceRecorder::OnForked(const std::string& d, const std::string& in, const std::string& ext,
                             const std::string& leg) {
  Add({0, "CallForked", d, in, ext, leg, false, 0});
}

void TraceRecorder::Count(std::map<std::pair<std::string, std::string>, RtpStats>& m,
                          const std::string& d, const std::string& id, std::uint16_t seq) {
  auto& s = m[{d, id}];
  const double now = ns3::Simulator::Now().GetSeconds();
  if (s.count > 0 && seq != static_cast<std::uint16_t>(s.last + 1)) {
    ++s.gaps;
  }
  if (s.first < 0) {
    s.first = now;
  }
  s.lastTime = now;
  s.last = seq;
  ++s.count;
}

void TraceRecorder::OnRtpSent(const std::string& d, const std::string& id, std::uint16_t seq,
                              std::uint32_t /*ts*/) {
  Count(m_sent, d, id, seq);
}
void TraceRecorder::OnRtpReceived(const std::string& d, const std::string& id, std::uint16_t seq,
                                  std::uint32_t /*ts*/) {
  Count(m_received, d, id, seq);
}

namespace {
RtpStats Sum(const std::map<std::pair<std::string, std::string>, RtpStats>& m,
             const std::string& device) {
  RtpStats total;
  for (const auto& [key, s] : m) {
    if (key.first == device) {
      total.count += s.count;
      total.gaps += s.gaps;
      if (total.first < 0 || s.first < total.first) {
        total.first = s.first;
      }
      total.lastTime = std::max(total.lastTime, s.lastTime);
    }
  }
  return total;
}
}  // namespace

RtpStats TraceRecorder::Received(const std::string& device) const { return Sum(m_received, device); }
RtpStats TraceRecorder::Sent(const std::string& device) const { return Sum(m_sent, device); }

std::vector<TraceEvent> TraceRecorder::Events(const std::string& source,
                                              const std::string& device) const {
  std::vector<TraceEvent> out;
  for (const auto& e : m_events) {
    if (e.source == source && (device.empty() || e.device == device)) {
      out.push_back(e);
    }
  }
  return out;
}

TraceEvent OnlyEvent(const TraceRecorder& recorder, const std::string& source,
                     const std::string& device) {
  const auto events = recorder.Events(source, device);
  BOOST_REQUIRE_EQUAL(events.size(), 1u);
  return events.front();
}

// --- raw socket ----------------------------------------------------------------------------

RawUdp::RawUdp(ns3::Ptr<ns3::Node> node, std::uint16_t port) {
  m_socket = ns3::Socket::CreateSocket(node, ns3::UdpSocketFactory::GetTypeId());
  m_socket->Bind(ns3::InetSocketAddress(ns3::Ipv4Address::GetAny(), port));
  m_socket->SetRecvCallback(ns3::MakeCallback(&RawUdp::Read, this));
}

RawUdp::~RawUdp() {
  m_socket->SetRecvCallback(ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>());
}

void RawUdp::Send(const std::string& bytes, ns3::Ipv4Address ip, std::uint16_t port) {
  auto p = ns3::Create<ns3::Packet>(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                    bytes.size());
  m_socket->SendTo(p, 0, ns3::InetSocketAddress(ip, port));
}

void RawUdp::Read(ns3::Ptr<ns3::Socket> s) {
  while (auto p = s->Recv()) {
    std::string bytes(p->GetSize(), '\0');
    p->CopyData(reinterpret_cast<std::uint8_t*>(bytes.data()), bytes.size());
    m_received.push_back(std::move(bytes));
  }
}

// --- simulation and endpoints ----------------------------------------------------------------

void ResetSimulation() {
  ns3::Simulator::Destroy();
  ns3::Ipv4AddressGenerator::Reset();
  ns3::Names::Clear();
}

ns3::NetDeviceContainer LinkPointToPoint(ns3::Ptr<ns3::Node> a, ns3::Ptr<ns3::Node> b,
                                         ns3::Time delay) {
  ns3::PointToPointHelper p2p;
  p2p.SetDeviceAttribute("DataRate", ns3::StringValue("100Mbps"));
  p2p.SetChannelAttribute("Delay", ns3::TimeValue(delay));
  return p2p.Install(a, b);
}

namespace {
// Servers get RTP ranges of their own so that ports in traces tell who is who.
template <typename Server>
ns3::Ptr<Server> CreateServer(const std::string& name, const std::string& domain,
                              std::uint16_t rtpPortBase) {
  auto server = ns3::CreateObject<Server>();
  server->SetAttribute("Name", ns3::StringValue(name));
  server->SetAttribute("Domain", ns3::StringValue(domain));
  server->SetAttribute("RtpPortBase", ns3::UintegerValue(rtpPortBase));
  return server;
}
}  // namespace

ns3::Ptr<SipPbx> CreateOfficePbx() { return CreateServer<SipPbx>("pbx", "office.test", 20000); }

ns3::Ptr<SipProvider> CreateOfficeProvider() {
  return CreateServer<SipProvider>("provider", "itsp.test", 30000);
}

ns3::Ptr<SipPhone> CreateOfficePhone(ns3::Ptr<SipPbx> pbx, std::size_t index,
                                     ns3::Ipv4Address registrar) {
  const std::string ext = std::to_string(101 + index);
  pbx->AddExtension(ext, "pw" + ext);
  auto phone = ns3::CreateObject<SipPhone>();
  phone->SetAttribute("Name", ns3::StringValue("phone" + ext));
  phone->SetAttribute("Extension", ns3::StringValue(ext));
  phone->SetAttribute("Password", ns3::StringValue("pw" + ext));
  phone->SetAttribute("Domain", ns3::StringValue("office.test"));
  phone->SetAttribute("RegistrarAddress", ns3::Ipv4AddressValue(registrar));
  phone->SetStartTime(ns3::MilliSeconds(100 + 10 * index));
  return phone;
}

void ConfigureTrunk(ns3::Ptr<SipPbx> pbx, ns3::Ptr<SipProvider> provider,
                    ns3::Ipv4Address providerAddress, const std::vector<std::string>& dids) {
  provider->AddAccount("trunk1", "trunkpw", dids);
  pbx->SetAttribute("TrunkEnabled", ns3::BooleanValue(true));
  pbx->SetAttribute("ProviderAddress", ns3::Ipv4AddressValue(providerAddress));
  pbx->SetAttribute("TrunkDomain", ns3::StringValue("itsp.test"));
  pbx->SetAttribute("TrunkUser", ns3::StringValue("trunk1"));
  pbx->SetAttribute("TrunkPassword", ns3::StringValue("trunkpw"));
}

void CallAt(ns3::Ptr<SipPhone> phone, double atSeconds, std::string target, double talkSeconds) {
  ns3::Simulator::Schedule(ns3::Seconds(atSeconds), [phone, target, talkSeconds] {
    phone->Call(target, ns3::Seconds(talkSeconds));
  });
}

void InboundCallAt(ns3::Ptr<SipProvider> provider, double atSeconds, std::string did,
                   double talkSeconds) {
  ns3::Simulator::Schedule(ns3::Seconds(atSeconds), [provider, did, talkSeconds] {
    provider->PlaceInboundCall(did, ns3::Seconds(talkSeconds));
  });
}

std::string RawRegister(const std::string& host, std::uint16_t port, const std::string& token) {
  const std::string hostPort = host + ":" + std::to_string(port);
  return "REGISTER sip:office.test SIP/2.0\r\n"
         "Via: SIP/2.0/UDP " + hostPort + ";rport;branch=z9hG4bK" + token + "\r\n"
         "Max-Forwards: 70\r\n"
         "From: <sip:101@office.test>;tag=" + token + "\r\n"
         "To: <sip:101@office.test>\r\n"
         "Call-ID: " + token + "@" + host + "\r\n"
         "CSeq: 1 REGISTER\r\n"
         "Contact: <sip:101@" + hostPort + ">\r\n"
         "Content-Length: 0\r\n\r\n";
}

// --- office ----------------------------------------------------------------------------------

Office::Office(std::size_t phones, bool withProvider) {
  m_lan.Create(phones + 2);
  m_pbxNode = m_lan.Get(phones);
  m_router = m_lan.Get(phones + 1);
  m_providerNode = ns3::CreateObject<ns3::Node>();

  ns3::InternetStackHelper internet;
  internet.Install(m_lan);
  internet.Install(m_providerNode);

  ns3::CsmaHelper csma;
  csma.SetChannelAttribute("DataRate", ns3::StringValue("100Mbps"));
  csma.SetChannelAttribute("Delay", ns3::TimeValue(ns3::MicroSeconds(50)));
  auto lanDevices = csma.Install(m_lan);

  auto wanDevices = LinkPointToPoint(m_router, m_providerNode, ns3::MilliSeconds(10));

  ns3::Ipv4AddressHelper addresses;
  addresses.SetBase("10.1.0.0", "255.255.255.0");
  m_lanIf = addresses.Assign(lanDevices);
  addresses.SetBase("203.0.113.0", "255.255.255.252");
  auto wanIf = addresses.Assign(wanDevices);
  m_pbxAddress = m_lanIf.GetAddress(phones);
  m_providerAddress = wanIf.GetAddress(1);
  ns3::Ipv4GlobalRoutingHelper::PopulateRoutingTables();

  m_pbx = CreateOfficePbx();
  m_pbxNode->AddApplication(m_pbx);
  for (std::size_t i = 0; i < phones; ++i) {
    auto phone = CreateOfficePhone(m_pbx, i, m_pbxAddress);
    m_lan.Get(i)->AddApplication(phone);
    m_phones.push_back(phone);
  }
  if (withProvider) {
    m_provider = CreateOfficeProvider();
    m_providerNode->AddApplication(m_provider);
  }
}

Office::~Office() { ResetSimulation(); }

void Office::EnableTrunk(const std::vector<std::string>& dids) {
  ConfigureTrunk(m_pbx, m_provider, m_providerAddress, dids);
}

void Office::Run(double stopSeconds) {
  for (auto& p : m_phones) {
    if (!m_attach) {
      break;
    }
    m_recorder.Attach(p);
  }
  if (m_attach) {
    m_recorder.Attach(m_pbx);
  }
  if (m_provider && m_attach) {
    m_recorder.Attach(m_provider);
  }
  ns3::Simulator::Stop(ns3::Seconds(stopSeconds));
  ns3::Simulator::Run();
}

}  // namespace alglab::test
