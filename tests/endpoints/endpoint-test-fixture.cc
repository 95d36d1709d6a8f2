#include "tests/endpoints/endpoint-test-fixture.h"

#include <ns3/csma-module.h>
#include <ns3/point-to-point-module.h>

namespace alglab::test {

// --- recorder --------------------------------------------------------------------------------

void TraceRecorder::Add(TraceEvent e) {
  e.time = ns3::Simulator::Now().GetSeconds();
  m_events.push_back(std::move(e));
}

void TraceRecorder::Attach(ns3::Ptr<SipEndpoint> ep) {
  ep->TraceConnectWithoutContext("RegistrationOutcome",
                                 ns3::MakeCallback(&TraceRecorder::OnRegistration, this));
  ep->TraceConnectWithoutContext("CallAttempt", ns3::MakeCallback(&TraceRecorder::OnCallAttempt, this));
  ep->TraceConnectWithoutContext("IncomingCall",
                                 ns3::MakeCallback(&TraceRecorder::OnIncomingCall, this));
  ep->TraceConnectWithoutContext("CallEstablished",
                                 ns3::MakeCallback(&TraceRecorder::OnEstablished, this));
  ep->TraceConnectWithoutContext("CallEnded", ns3::MakeCallback(&TraceRecorder::OnEnded, this));
  ep->TraceConnectWithoutContext("RtpSent", ns3::MakeCallback(&TraceRecorder::OnRtpSent, this));
  ep->TraceConnectWithoutContext("RtpReceived",
                                 ns3::MakeCallback(&TraceRecorder::OnRtpReceived, this));
  // Type-specific sources: connecting a name the type lacks just returns false.
  ep->TraceConnectWithoutContext("CallForked", ns3::MakeCallback(&TraceRecorder::OnForked, this));
  ep->TraceConnectWithoutContext("InboundCall", ns3::MakeCallback(&TraceRecorder::OnInbound, this));
  ep->TraceConnectWithoutContext("DialogState",
                                 ns3::MakeCallback(&TraceRecorder::OnDialogState, this));
  ep->TraceConnectWithoutContext("InboundCallPlaced",
                                 ns3::MakeCallback(&TraceRecorder::OnInboundPlaced, this));
  ep->TraceConnectWithoutContext("BlfNotify", ns3::MakeCallback(&TraceRecorder::OnBlfNotify, this));
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

void TraceRecorder::OnCallAttempt(const std::string& d, const std::string& id,
                                  const std::string& t) {
  Add({0, "CallAttempt", d, id, t, "", false, 0});
}
void TraceRecorder::OnIncomingCall(const std::string& d, const std::string& id,
                                   const std::string& f) {
  Add({0, "IncomingCall", d, id, f, "", false, 0});
}
void TraceRecorder::OnEstablished(const std::string& d, const std::string& id,
                                  const std::string& p) {
  Add({0, "CallEstablished", d, id, p, "", false, 0});
}
void TraceRecorder::OnEnded(const std::string& d, const std::string& id, const std::string& r) {
  Add({0, "CallEnded", d, id, r, "", false, 0});
}
void TraceRecorder::OnForked(const std::string& d, const std::string& in, const std::string& ext,
                             const std::string& leg) {
  Add({0, "CallForked", d, in, ext, leg, false, 0});
}
void TraceRecorder::OnInbound(const std::string& d, const std::string& id, const std::string& did) {
  Add({0, "InboundCall", d, id, did, "", false, 0});
}
void TraceRecorder::OnInboundPlaced(const std::string& d, const std::string& id,
                                    const std::string& did) {
  Add({0, "InboundCallPlaced", d, id, did, "", false, 0});
}
void TraceRecorder::OnDialogState(const std::string& d, const std::string& ext,
                                  const std::string& s) {
  Add({0, "DialogState", d, ext, s, "", false, 0});
}
void TraceRecorder::OnBlfNotify(const std::string& d, const std::string& ext,
                                const std::string& s) {
  Add({0, "BlfNotify", d, ext, s, "", false, 0});
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

void TraceRecorder::OnRtpSent(const std::string& d, const std::string& id, std::uint16_t seq) {
  Count(m_sent, d, id, seq);
}
void TraceRecorder::OnRtpReceived(const std::string& d, const std::string& id, std::uint16_t seq) {
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

  ns3::PointToPointHelper p2p;
  p2p.SetDeviceAttribute("DataRate", ns3::StringValue("100Mbps"));
  p2p.SetChannelAttribute("Delay", ns3::TimeValue(ns3::MilliSeconds(10)));
  auto wanDevices = p2p.Install(m_router, m_providerNode);

  ns3::Ipv4AddressHelper addresses;
  addresses.SetBase("10.1.0.0", "255.255.255.0");
  m_lanIf = addresses.Assign(lanDevices);
  addresses.SetBase("203.0.113.0", "255.255.255.252");
  auto wanIf = addresses.Assign(wanDevices);
  m_pbxAddress = m_lanIf.GetAddress(phones);
  m_providerAddress = wanIf.GetAddress(1);
  ns3::Ipv4GlobalRoutingHelper::PopulateRoutingTables();

  m_pbx = ns3::CreateObject<SipPbx>();
  m_pbx->SetAttribute("Name", ns3::StringValue("pbx"));
  m_pbx->SetAttribute("Domain", ns3::StringValue("office.test"));
  m_pbx->SetAttribute("RtpPortBase", ns3::UintegerValue(20000));
  m_pbxNode->AddApplication(m_pbx);

  for (std::size_t i = 0; i < phones; ++i) {
    const std::string ext = std::to_string(101 + i);
    m_pbx->AddExtension(ext, "pw" + ext);
    auto phone = ns3::CreateObject<SipPhone>();
    phone->SetAttribute("Name", ns3::StringValue("phone" + ext));
    phone->SetAttribute("Extension", ns3::StringValue(ext));
    phone->SetAttribute("Password", ns3::StringValue("pw" + ext));
    phone->SetAttribute("Domain", ns3::StringValue("office.test"));
    phone->SetAttribute("RegistrarAddress", ns3::Ipv4AddressValue(m_pbxAddress));
    m_lan.Get(i)->AddApplication(phone);
    // Stagger boots a little, like real phones powering up.
    phone->SetStartTime(ns3::MilliSeconds(100 + 10 * i));
    m_phones.push_back(phone);
  }
  if (withProvider) {
    m_provider = ns3::CreateObject<SipProvider>();
    m_provider->SetAttribute("Name", ns3::StringValue("provider"));
    m_provider->SetAttribute("Domain", ns3::StringValue("itsp.test"));
    m_provider->SetAttribute("RtpPortBase", ns3::UintegerValue(30000));
    m_providerNode->AddApplication(m_provider);
  }
}

Office::~Office() {
  ns3::Simulator::Destroy();
  ns3::Ipv4AddressGenerator::Reset();
  ns3::Names::Clear();
}

void Office::EnableTrunk(const std::vector<std::string>& dids) {
  m_provider->AddAccount("trunk1", "trunkpw", dids);
  m_pbx->SetAttribute("TrunkEnabled", ns3::BooleanValue(true));
  m_pbx->SetAttribute("ProviderAddress", ns3::Ipv4AddressValue(m_providerAddress));
  m_pbx->SetAttribute("TrunkDomain", ns3::StringValue("itsp.test"));
  m_pbx->SetAttribute("TrunkUser", ns3::StringValue("trunk1"));
  m_pbx->SetAttribute("TrunkPassword", ns3::StringValue("trunkpw"));
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
