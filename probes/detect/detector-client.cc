#include "probes/detect/detector-client.h"

#include "probes/detect/echo-protocol.h"
#include "probes/detect/message-diff.h"

#include "sim/flow/base64.h"
#include "sim/sip/sdp.h"
#include "sim/sip/sip-message.h"

#include <algorithm>
#include <cctype>

namespace alglab::detect {
namespace {

const char* const kMethods[] = {"REGISTER", "INVITE", "SUBSCRIBE", "NOTIFY", "OPTIONS"};

std::string Lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

DetectorClient::DetectorClient(DetectIo& io, DetectorOptions options) : m_io(io), m_options(std::move(options)) {}

double DetectorClient::PlannedDuration() const {
  double longest = 0;
  for (double t : m_options.timerIntervals)
    if (t <= m_options.maxTimerWait) longest = std::max(longest, t);
  // Mapping follow-ups go out when the first echo is back (within probeWait) and get
  // probeWait more; a timer's late send arrives `t` after its echo.
  return 2 * m_options.probeWait + longest;
}

bool DetectorClient::Start(std::function<void()> done) {
  m_whenDone = std::move(done);
  m_started = m_io.Now();
  const auto addresses = m_io.LocalAddresses();
  if (addresses.empty()) {
    m_error = "the client has no address";
    return false;
  }
  m_local = addresses[0];
  m_observations.clientAddress = m_local;
  m_observations.server = ServerAt(m_options.ports.sip);
  m_observations.serverAlt = m_options.serverAlt;

  const auto open = [this](Role role, const std::string& label) {
    const SocketId id = m_io.OpenUdp(m_local, 0);
    if (id < 0) {
      if (m_error.empty()) m_error = "cannot open a UDP socket on " + m_local;
    } else {
      m_sockets[id] = SocketInfo{role, label};
    }
    return id;
  };
  const SocketId sip = open(Role::Signalling, "");
  const SocketId other = open(Role::Signalling, "");
  const SocketId mediaPrimary = open(Role::Media, "primary");
  const SocketId mediaAlt = open(Role::Media, "alt");
  m_mapping = open(Role::Mapping, "");
  const SocketId filter = open(Role::Filter, "");
  if (!m_error.empty()) return false;
  m_mediaPrimary = m_io.LocalEndpoint(mediaPrimary).port;
  m_mediaAlt = m_io.LocalEndpoint(mediaAlt).port;

  // Outbound probes: every method on UDP to the SIP port and to the other port.
  SendOutbound(sip, "udp", m_options.ports.sip);
  SendOutbound(other, "udp", m_options.ports.otherSip);
  // Media: an INVITE per RTP source, each on a socket of its own. A kernel ALG flushes a
  // flow's media expectations when the next INVITE passes on it, and keeps at most four per
  // flow; every INVITE names a media port no other INVITE uses (expectations for the same
  // port from two flows collide).
  for (const auto& [probe, mediaPort] : {std::pair<std::string, std::uint16_t>{"media-peer", m_mediaPrimary},
                                         std::pair<std::string, std::uint16_t>{"media-alt", m_mediaAlt}}) {
    const SocketId media = open(Role::MediaSignalling, "");
    if (media < 0) return false;
    DetectCommand command;
    command.probe = probe;
    command.rtpPrimary = probe == "media-peer";
    command.rtpAlt = probe == "media-alt";
    SendProbe(media, ServerAt(m_options.ports.sip), command.probe, "INVITE", command, mediaPort, "udp");
  }
  // NAT mapping: first to (primary, other port); the rest once that echo shows the binding.
  {
    DetectCommand command;
    command.probe = "nat-map-1";
    m_observations.nat.local = m_io.LocalEndpoint(m_mapping);
    m_observations.nat.mappings.push_back({"primary:port1", std::nullopt});
    SendProbe(m_mapping, ServerAt(m_options.ports.otherSip), command.probe, "OPTIONS", command, 0, "udp");
  }
  // NAT filtering: the server answers, then sends from its other port and its second address.
  {
    DetectCommand command;
    command.probe = "nat-filter";
    command.filter = true;
    SendProbe(filter, ServerAt(m_options.ports.otherSip), command.probe, "OPTIONS", command, 0, "udp");
  }
  // Binding lifetimes, each on a fresh binding, all at once.
  int index = 0;
  for (double interval : m_options.timerIntervals) {
    if (interval > m_options.maxTimerWait || interval < 0) continue;
    for (const char* kind : {"udp", "sip"}) {
      const std::string probe = std::string("timer-") + kind + "-" + std::to_string(index);
      const SocketId socket = open(Role::Timer, probe);
      if (socket < 0) return false;
      m_timerIndex[probe] = m_observations.timers.size();
      m_observations.timers.push_back(TimerProbe{kind, interval, false, false});
      DetectCommand command;
      command.probe = probe;
      command.callbackAfter = interval;
      const std::uint16_t port = std::string(kind) == "sip" ? m_options.ports.sip : m_options.ports.otherSip;
      SendProbe(socket, ServerAt(port), probe, "OPTIONS", command, 0, "udp");
    }
    ++index;
  }
  if (m_options.probeTcp) {
    m_tcp = m_io.ConnectTcp(ServerAt(m_options.ports.sip), 0);
    if (m_tcp >= 0) m_sockets[m_tcp] = SocketInfo{Role::Tcp, ""};
  }
  m_io.After(PlannedDuration(), [this] { Finish(); });
  return true;
}

std::string DetectorClient::MakeRequest(const std::string& method, const std::string& probe,
                                        const std::string& transport, const Endpoint& local,
                                        std::uint16_t serverPort, std::uint16_t mediaPort,
                                        const DetectCommand& command) const {
  const std::string hostPort = local.address + ":" + std::to_string(local.port);
  const std::string server = m_options.serverAddress + ":" + std::to_string(serverPort);
  sip::Uri requestUri;
  requestUri.host = m_options.serverAddress;
  requestUri.port = serverPort;
  if (method != "REGISTER") requestUri.user = "echo";
  auto request = sip::SipMessage::Request(method, requestUri);
  std::string upper = transport;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  request.Add("Via", "SIP/2.0/" + upper + " " + hostPort + ";branch=z9hG4bK-" + probe + ";rport");
  request.Add("Max-Forwards", "70");
  request.Add("From", "<sip:alglab@" + server + ">;tag=" + probe);
  request.Add("To", method == "REGISTER" ? "<sip:alglab@" + server + ">" : "<sip:echo@" + server + ">");
  // The client's address in the Call-ID: an ALG that rewrites every address shows here too.
  request.Add("Call-ID", probe + "@" + local.address);
  request.Add("CSeq", std::string("1 ") + method);
  request.Add("Contact", "<sip:alglab@" + hostPort + (transport == "tcp" ? ";transport=tcp" : "") + ">");
  if (method == "REGISTER") request.Add("Expires", "3600");
  if (method == "SUBSCRIBE" || method == "NOTIFY") request.Add("Event", "dialog");
  if (method == "NOTIFY") request.Add("Subscription-State", "active;expires=3600");
  request.Add(kCommandHeader, command.ToHeaderValue());
  if (method == "INVITE") {
    sip::SessionDescription sdp;
    sdp.origin.sessionId = "4711";
    sdp.origin.sessionVersion = "1";
    sdp.origin.address = local.address;
    sdp.connection = sip::SdpConnection{"IN", "IP4", local.address};
    sip::SdpMedia audio;
    audio.port = mediaPort;
    audio.formats = {"0"};
    audio.attributes = {"rtpmap:0 PCMU/8000", "sendrecv"};
    sdp.media.push_back(audio);
    request.SetBody(sdp.ToString(), "application/sdp");
  } else if (method == "NOTIFY") {
    // A dialog-info body naming the client's address, as a BLF NOTIFY does.
    request.SetBody("<?xml version=\"1.0\"?>\r\n<dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\" "
                    "version=\"1\" state=\"full\" entity=\"sip:alglab@" +
                        local.address + "\">\r\n</dialog-info>\r\n",
                    "application/dialog-info+xml");
  }
  return request.Serialize();
}

void DetectorClient::SendOutbound(SocketId socket, const std::string& transport, std::uint16_t serverPort) {
  const std::string prefix = transport + std::to_string(serverPort) + "-";
  for (const char* method : kMethods) {
    DetectCommand command;
    command.probe = prefix + Lower(method);
    // Inbound requests and media pinholes are asked of the UDP SIP-port probes.
    if (transport == "udp" && serverPort == m_options.ports.sip) {
      command.inbound = std::string(method) == "REGISTER";
    }
    if (transport == "tcp") {
      m_tcpQueue.push_back(TcpProbe{command, method});
      continue;
    }
    SendProbe(socket, ServerAt(serverPort), command.probe, method, command, SdpOnlyPort(), transport);
  }
  if (transport == "tcp") SendNextTcp();
}

std::uint16_t DetectorClient::SdpOnlyPort() {
  // A socket that only reserves the port named in an SDP: nothing is expected on it.
  const SocketId id = m_io.OpenUdp(m_local, 0);
  if (id < 0) return 9;  // "discard": still a distinct, harmless port in the SDP
  m_sockets[id] = SocketInfo{Role::Media, "sdp-only"};
  return m_io.LocalEndpoint(id).port;
}

void DetectorClient::SendNextTcp() {
  // One request at a time on TCP, the next when the echo is back (or after a while): a kernel
  // ALG mishandles several SIP messages in one segment, which is not what is being measured.
  if (m_tcp < 0 || m_tcpQueue.empty() || m_done) return;
  const auto next = m_tcpQueue.front();
  m_tcpQueue.erase(m_tcpQueue.begin());
  m_tcpWaitingFor = next.command.probe;
  SendProbe(m_tcp, ServerAt(m_options.ports.sip), next.command.probe, next.method, next.command, SdpOnlyPort(), "tcp");
  const std::string probe = next.command.probe;
  m_io.After(m_options.probeWait / 6, [this, probe] {
    if (m_tcpWaitingFor == probe) SendNextTcp();
  });
}

void DetectorClient::SendProbe(SocketId socket, const Endpoint& to, const std::string& probe,
                               const std::string& method, const DetectCommand& command, std::uint16_t mediaPort,
                               const std::string& transport) {
  const Endpoint local = m_io.LocalEndpoint(socket);
  const std::string bytes = MakeRequest(method, probe, transport, local, to.port, mediaPort, command);
  const auto role = m_sockets[socket].role;
  if (role == Role::Signalling || role == Role::Tcp) {
    OutboundProbe outbound;
    outbound.id = probe;
    outbound.method = method;
    outbound.transport = transport;
    outbound.port = to.port;
    outbound.sent = bytes;
    outbound.local = local;
    m_outboundIndex[probe] = m_observations.outbound.size();
    m_observations.outbound.push_back(std::move(outbound));
  }
  if (command.inbound) {
    m_observations.inbound.push_back(InboundProbe{probe, "primary", "INVITE", false, false, {}});
    m_observations.inbound.push_back(InboundProbe{probe, "primary", "NOTIFY", false, false, {}});
    m_observations.inbound.push_back(InboundProbe{probe, "primary-other-port", "INVITE", false, false, {}});
    m_observations.inbound.push_back(InboundProbe{probe, "alt", "INVITE", false, false, {}});
  }
  if (command.rtpPrimary) m_observations.media.push_back(MediaProbe{probe, "primary", false, mediaPort, false, {}});
  if (command.rtpAlt) m_observations.media.push_back(MediaProbe{probe, "alt", false, mediaPort, false, {}});
  if (transport == "tcp") {
    m_io.Send(socket, bytes);
    return;
  }
  m_io.SendTo(socket, to, bytes);
  // One retransmission, as SIP over UDP does: a datagram lost on the way is not a drop by an
  // ALG. The server echoes it again but runs its actions once.
  m_io.After(m_options.probeWait / 3, [this, socket, to, bytes, probe] {
    if (!m_done && !m_answered.count(probe) && m_sockets.count(socket)) m_io.SendTo(socket, to, bytes);
  });
}

void DetectorClient::OnDatagram(SocketId socket, const Endpoint& from, const std::string& bytes) {
  if (m_done) return;
  const auto it = m_sockets.find(socket);
  if (it == m_sockets.end()) return;
  if (it->second.role == Role::Media) {
    const auto tag = ParseRtpPayload(bytes);
    if (!tag) return;
    for (auto& media : m_observations.media)
      if (media.probe == tag->probe && media.from == tag->from && !media.arrived) {
        media.arrived = true;
        media.source = from;
      }
    return;
  }
  HandleMessage(socket, bytes);
}

void DetectorClient::HandleMessage(SocketId socket, const std::string& bytes) {
  const auto parsed = sip::ParseMessage(bytes);
  if (!parsed) return;
  const auto& message = parsed.Value();
  if (message.IsRequest()) {
    HandleInbound(bytes);
    return;
  }
  if (message.ContentType().value_or("") != kEchoContentType) return;
  const auto report = EchoReport::Parse(message.Body());
  if (report) HandleEcho(socket, *report);
}

void DetectorClient::HandleEcho(SocketId socket, const EchoReport& report) {
  m_answered.insert(report.probe);
  if (m_options.serverAlt.empty() && !report.serverAlt.empty()) {
    m_options.serverAlt = report.serverAlt;
    m_observations.serverAlt = report.serverAlt;
  }
  if (const auto it = m_outboundIndex.find(report.probe); it != m_outboundIndex.end()) {
    auto& probe = m_observations.outbound[it->second];
    if (!probe.answered) {
      probe.answered = true;
      probe.arrived = report.arrived;
      probe.seenFrom = report.source;
      probe.changes = DiffMessages(probe.sent, report.arrived);
    }
  }
  for (auto& inbound : m_observations.inbound)
    if (inbound.probe == report.probe) inbound.requested = inbound.from != "alt" || !report.serverAlt.empty();
  for (auto& media : m_observations.media)
    if (media.probe == report.probe) media.requested = media.from != "alt" || !report.serverAlt.empty();
  if (const auto it = m_timerIndex.find(report.probe); it != m_timerIndex.end())
    m_observations.timers[it->second].answered = true;
  if (report.probe == "nat-filter") m_observations.nat.filterAnswered = true;
  if (socket == m_tcp && report.probe == m_tcpWaitingFor) {
    m_tcpWaitingFor.clear();
    SendNextTcp();
  }
  if (socket == m_mapping) {
    for (auto& mapping : m_observations.nat.mappings) {
      const bool match = (report.probe == "nat-map-1" && mapping.destination == "primary:port1") ||
                         (report.probe == "nat-map-2" && mapping.destination == "primary:port2") ||
                         (report.probe == "nat-map-3" && mapping.destination == "alt:port1");
      if (match && !mapping.mapped) mapping.mapped = report.source;
    }
    if (report.probe == "nat-map-1") SendMappingFollowUps();
  }
}

void DetectorClient::SendMappingFollowUps() {
  if (m_mappingFollowUpsSent) return;
  m_mappingFollowUpsSent = true;
  DetectCommand command;
  command.probe = "nat-map-2";
  m_observations.nat.mappings.push_back({"primary:port2", std::nullopt});
  SendProbe(m_mapping, ServerAt(m_options.ports.second), command.probe, "OPTIONS", command, 0, "udp");
  if (!m_options.serverAlt.empty()) {
    command.probe = "nat-map-3";
    m_observations.nat.mappings.push_back({"alt:port1", std::nullopt});
    SendProbe(m_mapping, Endpoint{m_options.serverAlt, m_options.ports.otherSip}, command.probe, "OPTIONS", command,
              0, "udp");
  }
}

void DetectorClient::HandleInbound(const std::string& bytes) {
  const auto parsed = sip::ParseMessage(bytes);
  const auto tagText = parsed.Value().Get(kInboundHeader);
  if (!tagText) return;
  const auto tag = InboundTag::Parse(*tagText);
  if (!tag) return;
  if (const auto it = m_timerIndex.find(tag->probe); it != m_timerIndex.end()) {
    m_observations.timers[it->second].arrived = true;
    return;
  }
  if (tag->probe == "nat-filter") {
    if (tag->from == "primary-other-port") m_observations.nat.otherPortArrived = true;
    if (tag->from == "alt") m_observations.nat.otherAddressArrived = true;
    return;
  }
  m_inboundRequests.emplace(tag->probe + "/" + tag->from + "/" + parsed.Value().Method(), bytes);
}

void DetectorClient::OnAccepted(SocketId /*listener*/, SocketId /*connection*/, const Endpoint& /*from*/) {}

void DetectorClient::OnConnected(SocketId connection, bool ok) {
  if (connection != m_tcp || m_done) return;
  m_observations.tcpConnected = ok;
  if (ok) SendOutbound(m_tcp, "tcp", m_options.ports.sip);
}

void DetectorClient::OnStreamData(SocketId connection, const std::string& bytes) {
  if (connection != m_tcp || m_done) return;
  m_tcpFramer.Feed(bytes);
  while (auto next = m_tcpFramer.Next())
    if (next->Ok()) HandleMessage(connection, next->Value().Serialize());
}

void DetectorClient::OnClosed(SocketId connection) {
  if (connection == m_tcp) {
    m_io.Close(m_tcp);
    m_sockets.erase(m_tcp);
    m_tcp = -1;
  }
}

void DetectorClient::Finish() {
  if (m_done) return;
  for (auto& inbound : m_observations.inbound) {
    const auto it = m_inboundRequests.find(inbound.probe + "/" + inbound.from + "/" + inbound.method);
    if (it == m_inboundRequests.end()) continue;
    inbound.arrived = true;
    auto arrived = sip::ParseMessage(it->second).Value();
    const auto copy = flow::DecodeBase64(arrived.Get(kCopyHeader).value_or(""));
    arrived.Remove(kCopyHeader);
    if (copy)
      inbound.changes = DiffMessages(*copy, arrived.Serialize());
    else
      inbound.changes.push_back({"header-changed", kCopyHeader});
  }
  m_observations.duration = m_io.Now() - m_started;
  m_done = true;
  for (const auto& [socket, info] : m_sockets) m_io.Close(socket);
  m_sockets.clear();
  m_tcp = -1;
  if (m_whenDone) m_whenDone();
}

}  // namespace alglab::detect
