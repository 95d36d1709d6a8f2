#ifndef ALGLAB_PROBES_DETECT_ECHO_SERVER_H
#define ALGLAB_PROBES_DETECT_ECHO_SERVER_H

// The internet side of the active detector: answers every SIP request with an echo of the
// bytes that arrived (echo-protocol.h) and carries out the actions the client asks for
// (README.md in this folder).

#include "probes/detect/detect-io.h"
#include "probes/detect/detector-options.h"
#include "probes/detect/echo-protocol.h"

#include "sim/sip/message-framer.h"

#include <cstddef>
#include <map>
#include <set>
#include <string>

namespace alglab::detect {

class EchoServer : public DetectIoSink {
 public:
  EchoServer(DetectIo& io, ServerPorts ports = {});
  /// Opens the sockets. False (with Error() saying which) when a socket could not be opened.
  bool Start();
  const std::string& Error() const { return m_error; }
  /// Requests echoed so far (tests and the CLI's summary).
  std::size_t Echoed() const { return m_echoed; }
  void Stop();

  void OnDatagram(SocketId socket, const Endpoint& from, const std::string& bytes) override;
  void OnAccepted(SocketId listener, SocketId connection, const Endpoint& from) override;
  void OnConnected(SocketId connection, bool ok) override;
  void OnStreamData(SocketId connection, const std::string& bytes) override;
  void OnClosed(SocketId connection) override;

 private:
  /// One request from `from` on a socket of ours; `connection` >= 0 for TCP.
  void HandleRequest(SocketId socket, SocketId connection, const Endpoint& from, const std::string& bytes);
  void RunActions(const DetectCommand& command, SocketId socket, const Endpoint& from, const std::string& arrived);
  /// A request of ours (OPTIONS or INVITE) towards `to`, tagged, with its copy header.
  std::string MakeInbound(const std::string& method, const InboundTag& tag, const Endpoint& to,
                          const Endpoint& sender) const;
  void SendInbound(SocketId socket, const std::string& method, const InboundTag& tag, const Endpoint& to);
  /// The UDP socket on our second address with the same port as `socket`; -1 if none.
  SocketId AltTwin(SocketId socket) const;

  DetectIo& m_io;
  ServerPorts m_ports;
  std::string m_primary;
  std::string m_alt;
  SocketId m_udpSip = -1, m_udpOther = -1, m_udpSecond = -1, m_media = -1;
  SocketId m_altSip = -1, m_altOther = -1, m_altMedia = -1;
  SocketId m_tcpListener = -1;
  std::map<SocketId, std::string> m_streams;  ///< bytes of an incomplete frame per connection
  std::map<SocketId, Endpoint> m_streamPeers;
  std::set<std::string> m_actedOn;  ///< "probe@source" whose actions ran (a retransmission does not repeat them)
  std::size_t m_echoed = 0;
  /// Limits for a server that answers anyone (README.md: "Limits").
  static constexpr std::size_t kMaxRemembered = 4096;
  static constexpr double kActionWindow = 10;
  static constexpr int kMaxActionsPerWindow = 400;
  static constexpr int kMaxPendingCallbacks = 256;
  double m_windowStart = 0;
  int m_actionsInWindow = 0;
  int m_pendingCallbacks = 0;
  std::string m_error;
  bool m_stopped = false;
};

}  // namespace alglab::detect

#endif
