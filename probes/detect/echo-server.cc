#include "probes/detect/echo-server.h"

#include "sim/flow/base64.h"
#include "sim/sip/sdp.h"
#include "sim/sip/sip-message.h"

namespace alglab::detect {

EchoServer::EchoServer(DetectIo& io, ServerPorts ports) : m_io(io), m_ports(ports) {}

bool EchoServer::Start() {
  const auto addresses = m_io.LocalAddresses();
  if (addresses.empty()) {
    m_error = "the server has no address";
    return false;
  }
  m_primary = addresses[0];
  if (addresses.size() > 1) m_alt = addresses[1];
  const auto open = [this](SocketId& id, const std::string& address, std::uint16_t port) {
    id = m_io.OpenUdp(address, port);
    if (id < 0 && m_error.empty()) m_error = "cannot open UDP " + address + ":" + std::to_string(port);
    return id >= 0;
  };
  bool ok = open(m_udpSip, m_primary, m_ports.sip) && open(m_udpOther, m_primary, m_ports.otherSip) &&
            open(m_udpSecond, m_primary, m_ports.second) && open(m_media, m_primary, m_ports.media);
  if (ok && !m_alt.empty())
    ok = open(m_altSip, m_alt, m_ports.sip) && open(m_altOther, m_alt, m_ports.otherSip) &&
         open(m_altMedia, m_alt, m_ports.media);
  if (ok) {
    m_tcpListener = m_io.ListenTcp(m_primary, m_ports.sip);
    if (m_tcpListener < 0) {
      m_error = "cannot listen on TCP " + m_primary + ":" + std::to_string(m_ports.sip);
      ok = false;
    }
  }
  return ok;
}

void EchoServer::Stop() {
  m_stopped = true;
  for (SocketId* id : {&m_udpSip, &m_udpOther, &m_udpSecond, &m_media, &m_altSip, &m_altOther, &m_altMedia,
                       &m_tcpListener}) {
    if (*id >= 0) m_io.Close(*id);
    *id = -1;
  }
  for (const auto& [connection, framer] : m_streams) m_io.Close(connection);
  m_streams.clear();
}

void EchoServer::OnDatagram(SocketId socket, const Endpoint& from, const std::string& bytes) {
  if (m_stopped) return;
  HandleRequest(socket, -1, from, bytes);
}

void EchoServer::OnAccepted(SocketId /*listener*/, SocketId connection, const Endpoint& from) {
  m_streams[connection];
  m_streamPeers[connection] = from;
}

void EchoServer::OnConnected(SocketId /*connection*/, bool /*ok*/) {}

void EchoServer::OnStreamData(SocketId connection, const std::string& bytes) {
  auto it = m_streams.find(connection);
  if (it == m_streams.end() || m_stopped) return;
  it->second += bytes;
  // The raw bytes of each frame are echoed (not a re-serialisation, which would hide a
  // Content-Length an ALG got wrong). Bounded: every pass consumes bytes or stops.
  while (true) {
    it = m_streams.find(connection);
    if (it == m_streams.end()) return;
    auto& buffer = it->second;
    const auto frame = sip::FirstStreamFrame(buffer);
    if (frame.kind == sip::StreamFrame::Kind::Incomplete) return;
    if (frame.kind == sip::StreamFrame::Kind::Defective) {
      buffer.clear();
      return;
    }
    const std::string message = buffer.substr(0, frame.length);
    buffer.erase(0, frame.length);
    if (frame.kind == sip::StreamFrame::Kind::Message)
      HandleRequest(-1, connection, m_streamPeers[connection], message);
  }
}

void EchoServer::OnClosed(SocketId connection) {
  m_streams.erase(connection);
  m_streamPeers.erase(connection);
  m_io.Close(connection);
}

SocketId EchoServer::AltTwin(SocketId socket) const {
  if (socket == m_udpSip) return m_altSip;
  if (socket == m_udpOther) return m_altOther;
  return m_altSip;
}

void EchoServer::HandleRequest(SocketId socket, SocketId connection, const Endpoint& from, const std::string& bytes) {
  const auto parsed = sip::ParseMessage(bytes);
  // Not SIP, or a response (the client's answers to our inbound requests): nothing to echo.
  if (!parsed || !parsed.Value().IsRequest()) return;
  const auto& request = parsed.Value();
  const auto commandText = request.Get(kCommandHeader);
  const auto command = commandText ? DetectCommand::Parse(*commandText) : std::nullopt;

  auto response = sip::SipMessage::Response(200, "");
  // The usual response headers: Vias (with received/rport on the top one: our business, as
  // any server's), From, To with a tag, Call-ID, CSeq; for REGISTER the Contacts with an
  // expiry, as a registrar answers (a kernel ALG keeps its signalling expectation only then).
  auto vias = request.Vias();
  bool first = true;
  for (auto via : vias) {
    if (first && connection < 0) {
      via.params.Set("received", from.address);
      if (via.params.Has("rport")) via.params.Set("rport", std::to_string(from.port));
    }
    first = false;
    response.Add("Via", via.ToString());
  }
  for (const char* name : {"From", "To", "Call-ID", "CSeq"})
    if (const auto value = request.Get(name)) response.Add(name, *value);
  if (auto to = request.To(); to && !to->Tag()) {
    to->params.Set("tag", "alglab-echo");
    response.Set("To", to->ToString());
  }
  if (request.Method() == "REGISTER")
    for (auto contact : request.Contacts()) {
      if (contact.isWildcard) continue;
      contact.params.Set("expires", "3600");
      response.Add("Contact", contact.ToString());
    }
  EchoReport report;
  report.probe = command ? command->probe : "";
  report.transport = connection >= 0 ? "tcp" : "udp";
  report.source = from;
  report.local = connection >= 0 ? Endpoint{m_primary, m_ports.sip} : m_io.LocalEndpoint(socket);
  report.arrived = bytes;
  report.serverAlt = m_alt;
  response.SetBody(report.ToBody(), kEchoContentType);
  if (connection >= 0)
    m_io.Send(connection, response.Serialize());
  else
    m_io.SendTo(socket, from, response.Serialize());
  ++m_echoed;

  if (!command || connection >= 0) return;  // actions ride on UDP only
  // Once per probe and client binding: a retransmission does not repeat the actions, a new run
  // (new bindings) gets them again.
  if (m_actedOn.size() >= kMaxRemembered) m_actedOn.clear();
  if (!m_actedOn.insert(command->probe + "@" + ToString(from)).second) return;
  // A server on the internet answers anyone: a burst of requests must not turn it into a
  // traffic amplifier or fill its memory with callbacks. Past the budget it only echoes.
  const double now = m_io.Now();
  if (now - m_windowStart > kActionWindow) {
    m_windowStart = now;
    m_actionsInWindow = 0;
  }
  if (++m_actionsInWindow > kMaxActionsPerWindow) return;
  RunActions(*command, socket, from, bytes);
}

void EchoServer::RunActions(const DetectCommand& command, SocketId socket, const Endpoint& from,
                            const std::string& arrived) {
  if (command.inbound) {
    SendInbound(socket, "INVITE", {command.probe, "primary"}, from);
    SendInbound(socket, "NOTIFY", {command.probe, "primary"}, from);  // a BLF update
    SendInbound(m_udpSecond, "INVITE", {command.probe, "primary-other-port"}, from);
    if (const auto alt = AltTwin(socket); alt >= 0) SendInbound(alt, "INVITE", {command.probe, "alt"}, from);
  }
  if (command.filter) {
    SendInbound(m_udpSecond, "OPTIONS", {command.probe, "primary-other-port"}, from);
    if (const auto alt = AltTwin(socket); alt >= 0) SendInbound(alt, "OPTIONS", {command.probe, "alt"}, from);
  }
  if (command.rtpPrimary || command.rtpAlt) {
    const auto parsed = sip::ParseMessage(arrived);
    if (parsed && parsed.Value().BodyIsSdp()) {
      const auto sdp = sip::SessionDescription::Parse(parsed.Value().Body());
      if (sdp && !sdp.Value().media.empty()) {
        // Where to: the SDP's port, on the SDP's address only if that is where the request came
        // from (else on the request's source address, as a NAT-aware peer does). RTP never goes
        // to an address we have not heard from.
        const auto& description = sdp.Value();
        const auto address = description.MediaAddress(0).value_or(from.address);
        const Endpoint to{address == from.address ? address : from.address, description.media[0].port};
        for (std::uint16_t seq = 1; seq <= 3; ++seq) {
          if (command.rtpPrimary) m_io.SendTo(m_media, to, MakeRtpPayload({command.probe, "primary"}, seq));
          if (command.rtpAlt && m_altMedia >= 0) m_io.SendTo(m_altMedia, to, MakeRtpPayload({command.probe, "alt"}, seq));
        }
      }
    }
  }
  if (command.callbackAfter && m_pendingCallbacks < kMaxPendingCallbacks) {
    const std::string probe = command.probe;
    ++m_pendingCallbacks;
    m_io.After(*command.callbackAfter, [this, socket, from, probe] {
      --m_pendingCallbacks;
      if (!m_stopped) SendInbound(socket, "OPTIONS", {probe, "primary"}, from);
    });
  }
}

std::string EchoServer::MakeInbound(const std::string& method, const InboundTag& tag, const Endpoint& to,
                                    const Endpoint& sender) const {
  sip::Uri target;
  target.user = "alglab";
  target.host = to.address;
  target.port = to.port;
  auto request = sip::SipMessage::Request(method, target);
  const std::string senderHost = sender.address + ":" + std::to_string(sender.port);
  request.Add("Via", "SIP/2.0/UDP " + senderHost + ";branch=z9hG4bK-alglab-" + tag.probe + "-" + tag.from);
  request.Add("Max-Forwards", "70");
  request.Add("From", "<sip:echo@" + senderHost + ">;tag=alglab-" + tag.from);
  request.Add("To", "<" + target.ToString() + ">");
  request.Add("Call-ID", "alglab-" + tag.probe + "-" + tag.from);
  request.Add("CSeq", "1 " + method);
  request.Add("Contact", "<sip:echo@" + senderHost + ">");
  request.Add(kInboundHeader, tag.ToHeaderValue());
  if (method == "INVITE") {
    sip::SessionDescription sdp;
    sdp.origin.sessionId = "1";
    sdp.origin.address = sender.address;
    sdp.connection = sip::SdpConnection{"IN", "IP4", sender.address};
    sip::SdpMedia audio;
    audio.port = m_ports.media;
    audio.formats = {"0"};
    audio.attributes = {"rtpmap:0 PCMU/8000", "sendrecv"};
    sdp.media.push_back(audio);
    request.SetBody(sdp.ToString(), "application/sdp");
  } else if (method == "NOTIFY") {
    request.Add("Event", "dialog");
    request.Add("Subscription-State", "active;expires=3600");
    request.SetBody("<?xml version=\"1.0\"?>\r\n<dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\" "
                    "version=\"1\" state=\"full\" entity=\"" + target.ToString() + "\">\r\n</dialog-info>\r\n",
                    "application/dialog-info+xml");
  }
  const std::string copy = request.Serialize();
  request.Add(kCopyHeader, flow::EncodeBase64(copy));
  return request.Serialize();
}

void EchoServer::SendInbound(SocketId socket, const std::string& method, const InboundTag& tag, const Endpoint& to) {
  if (socket < 0) return;
  m_io.SendTo(socket, to, MakeInbound(method, tag, to, m_io.LocalEndpoint(socket)));
}

}  // namespace alglab::detect
