#include "tests/nat/nat-test-lab.h"

#include <boost/test/unit_test.hpp>

namespace alglab::nat::test {

using namespace ns3;

UdpProbe::UdpProbe(Ptr<Node> node, std::uint16_t port) {
  m_socket = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
  BOOST_REQUIRE(m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), port)) == 0);
  m_socket->SetRecvCallback(Callback<void, Ptr<Socket>>([this](Ptr<Socket> s) { OnReceive(s); }));
}

void UdpProbe::SendAt(double seconds, Ipv4Address to, std::uint16_t port, std::string payload) {
  Simulator::Schedule(Seconds(seconds) - Simulator::Now(), [this, to, port, payload] {
    Ptr<Packet> p = Create<Packet>(reinterpret_cast<const std::uint8_t*>(payload.data()),
                                   static_cast<std::uint32_t>(payload.size()));
    m_socket->SendTo(p, 0, InetSocketAddress(to, port));
  });
}

void UdpProbe::OnReceive(Ptr<Socket> socket) {
  Address from;
  while (Ptr<Packet> p = socket->RecvFrom(from)) {
    const InetSocketAddress inet = InetSocketAddress::ConvertFrom(from);
    std::string payload(p->GetSize(), '\0');
    p->CopyData(reinterpret_cast<std::uint8_t*>(payload.data()), p->GetSize());
    m_received.push_back(Datagram{inet.GetIpv4(), inet.GetPort(), payload,
                                  Simulator::Now().GetSeconds()});
    if (m_autoReply) {
      const std::string reply = m_fixedReply.empty() ? "re:" + payload : m_fixedReply;
      socket->SendTo(Create<Packet>(reinterpret_cast<const std::uint8_t*>(reply.data()),
                                    static_cast<std::uint32_t>(reply.size())),
                     0, from);
    }
  }
}

TcpEcho::TcpEcho(Ptr<Node> serverNode, std::uint16_t port, Ptr<Node> clientNode,
                 Ipv4Address serverAddress, std::vector<std::string> messages, double connectAt,
                 double spacing, std::uint16_t clientPort)
    : m_messages(std::move(messages)), m_spacing(spacing) {
  m_listener = Socket::CreateSocket(serverNode, TcpSocketFactory::GetTypeId());
  BOOST_REQUIRE(m_listener->Bind(InetSocketAddress(Ipv4Address::GetAny(), port)) == 0);
  m_listener->Listen();
  m_listener->SetAcceptCallback(
      MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
      Callback<void, Ptr<Socket>, const Address&>([this](Ptr<Socket> s, const Address&) {
        m_accepted = s;
        s->SetRecvCallback(Callback<void, Ptr<Socket>>([this](Ptr<Socket> r) {
          const std::size_t before = m_serverReceived.size();
          Drain(r, m_serverReceived);
          const std::string echo = m_serverReceived.substr(before);
          r->Send(Create<Packet>(reinterpret_cast<const std::uint8_t*>(echo.data()),
                                 static_cast<std::uint32_t>(echo.size())));
        }));
      }));
  m_client = Socket::CreateSocket(clientNode, TcpSocketFactory::GetTypeId());
  m_client->SetRecvCallback(
      Callback<void, Ptr<Socket>>([this](Ptr<Socket> r) { Drain(r, m_clientReceived); }));
  m_client->SetConnectCallback(Callback<void, Ptr<Socket>>([this](Ptr<Socket>) {
                                 m_connected = true;
                                 WriteNext();
                               }),
                               MakeNullCallback<void, Ptr<Socket>>());
  Simulator::Schedule(Seconds(connectAt) - Simulator::Now(), [this, serverAddress, port,
                                                               clientPort] {
    m_client->Bind(InetSocketAddress(Ipv4Address::GetAny(), clientPort));
    m_client->Connect(InetSocketAddress(serverAddress, port));
  });
}

void TcpEcho::WriteNext() {
  if (m_next >= m_messages.size()) return;
  const std::string& m = m_messages[m_next++];
  m_client->Send(Create<Packet>(reinterpret_cast<const std::uint8_t*>(m.data()),
                                static_cast<std::uint32_t>(m.size())));
  Simulator::Schedule(Seconds(m_spacing), [this] { WriteNext(); });
}

void TcpEcho::Drain(Ptr<Socket> socket, std::string& into) {
  while (Ptr<Packet> p = socket->Recv()) {
    const std::size_t at = into.size();
    into.resize(at + p->GetSize());
    p->CopyData(reinterpret_cast<std::uint8_t*>(into.data() + at), p->GetSize());
  }
}

void IpObserver::Attach(Ptr<Node> node) {
  Ptr<Ipv4L3Protocol> ipv4 = node->GetObject<Ipv4L3Protocol>();
  ipv4->TraceConnectWithoutContext(
      "Rx", Callback<void, Ptr<const Packet>, Ptr<Ipv4>, std::uint32_t>(
                [this](Ptr<const Packet> packet, Ptr<Ipv4>, std::uint32_t) {
                  Ptr<Packet> copy = packet->Copy();
                  Ipv4Header ip;
                  copy->RemoveHeader(ip);
                  // The Rx trace fires before the stack strips Ethernet padding (CSMA).
                  if (copy->GetSize() > ip.GetPayloadSize()) {
                    copy->RemoveAtEnd(copy->GetSize() - ip.GetPayloadSize());
                  }
                  ++packets;
                  if (ip.GetSource().CombineMask(Ipv4Mask("255.0.0.0")) ==
                      Ipv4Address("10.0.0.0")) {
                    ++privateSources;
                  }
                  // A fragment holds part of a datagram: its checksum covers the whole.
                  const bool fragment = ip.GetFragmentOffset() != 0 || !ip.IsLastFragment();
                  if (ip.GetProtocol() == UdpL4Protocol::PROT_NUMBER && !fragment) {
                    UdpHeader udp;
                    udp.EnableChecksums();
                    udp.InitializeChecksum(ip.GetSource(), ip.GetDestination(),
                                           UdpL4Protocol::PROT_NUMBER);
                    copy->PeekHeader(udp);
                    if (!udp.IsChecksumOk()) ++badUdpChecksums;
                    udpSourcePorts.push_back(udp.GetSourcePort());
                  }
                }));
}

Ipv4Address NatTestLab::LanAddress(int i) {
  return Ipv4Address(static_cast<std::uint32_t>(Ipv4Address("10.0.0.2").Get() + i));
}

NatTestLab::NatTestLab(const std::function<void(NatRoutingHelper&)>& configure) {
  // Several simulations run one after another in this process: reset the global state that
  // would otherwise carry over (address allocations, checksum switch).
  Ipv4AddressGenerator::Reset();
  GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));
  RngSeedManager::SetSeed(1);
  RngSeedManager::SetRun(1);

  m_lanHosts.Create(3);
  m_router.Create(1);
  m_wanHost.Create(1);

  InternetStackHelper hostStack;
  hostStack.SetRoutingHelper(Ipv4StaticRoutingHelper());
  hostStack.Install(m_lanHosts);
  hostStack.Install(m_wanHost);

  NatRoutingHelper natHelper;
  if (configure) configure(natHelper);
  InternetStackHelper routerStack;
  routerStack.SetRoutingHelper(natHelper);
  routerStack.Install(m_router);
  m_nat = NatRoutingHelper::GetNatRouter(Router());
  BOOST_REQUIRE(m_nat != nullptr);
  NatRoutingHelper::AssignStreams(m_router, 100);

  CsmaHelper csma;
  csma.SetChannelAttribute("DataRate", StringValue("1Gbps"));
  csma.SetChannelAttribute("Delay", TimeValue(MicroSeconds(50)));
  NetDeviceContainer lan = csma.Install(NodeContainer(m_router, m_lanHosts));
  PointToPointHelper p2p;
  p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
  p2p.SetChannelAttribute("Delay", TimeValue(MilliSeconds(5)));
  NetDeviceContainer wan = p2p.Install(Router(), WanHost());

  Ipv4AddressHelper lanAddresses("10.0.0.0", "255.255.255.0");
  lanAddresses.Assign(lan);  // router 10.0.0.1, hosts 10.0.0.2..4
  Ipv4AddressHelper wanAddresses("203.0.113.0", "255.255.255.0");
  wanAddresses.Assign(wan);  // router 203.0.113.1, WAN host 203.0.113.2

  Ipv4StaticRoutingHelper staticRouting;
  for (std::uint32_t i = 0; i < m_lanHosts.GetN(); ++i) {
    Ptr<Ipv4> ipv4 = m_lanHosts.Get(i)->GetObject<Ipv4>();
    staticRouting.GetStaticRouting(ipv4)->SetDefaultRoute(Ipv4Address("10.0.0.1"), 1);
  }
  const std::int32_t wanInterface =
      Router()->GetObject<Ipv4>()->GetInterfaceForDevice(wan.Get(0));
  BOOST_REQUIRE(wanInterface > 0);
  BOOST_REQUIRE(NatRoutingHelper::ConfigureWan(Router(), static_cast<std::uint32_t>(wanInterface),
                                               Ipv4Address(kWanHost)));
  BOOST_REQUIRE(m_nat->GetPublicAddress() == Ipv4Address(kPublic));

  wanObserver.Attach(WanHost());
  lanObserver.Attach(LanHost(0));
  m_nat->TraceConnectWithoutContext(
      "Drop", Callback<void, const std::string&, Ptr<const Packet>, const Ipv4Header&>(
                  [this](const std::string& reason, Ptr<const Packet>, const Ipv4Header&) {
                    drops.push_back(DropRecord{reason, Simulator::Now().GetSeconds()});
                  }));
  m_nat->TraceConnectWithoutContext(
      "Translation",
      Callback<void, std::uint8_t, Ipv4Address, std::uint16_t, Ipv4Address, std::uint16_t>(
          [this](std::uint8_t, Ipv4Address, std::uint16_t, Ipv4Address external, std::uint16_t) {
            BOOST_CHECK(external == Ipv4Address(kPublic));
            ++translations;
          }));
}

NatTestLab::~NatTestLab() {
  Simulator::Destroy();
  GlobalValue::Bind("ChecksumEnabled", BooleanValue(false));
}

void NatTestLab::RunUntil(double seconds) {
  Simulator::Stop(Seconds(seconds) - Simulator::Now());
  Simulator::Run();
}

}  // namespace alglab::nat::test
