#ifndef ALGLAB_PROBES_DETECT_DETECTOR_CLIENT_H
#define ALGLAB_PROBES_DETECT_DETECTOR_CLIENT_H

// The LAN side of the active detector: sends the probe plan (README.md in this folder) to the
// echo server through the router under test and records what came back. It draws no
// conclusions; AnalyseObservations (detect-verdict.h) does.

#include "probes/detect/detect-io.h"
#include "probes/detect/detect-observations.h"
#include "probes/detect/detector-options.h"
#include "probes/detect/echo-protocol.h"

#include "sim/sip/message-framer.h"

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace alglab::detect {

class DetectorClient : public DetectIoSink {
 public:
  DetectorClient(DetectIo& io, DetectorOptions options);
  /// Opens the sockets and sends the plan; `done` is called once, when the run is over
  /// (PlannedDuration() seconds later in the driver's clock). False (Error() says why) when
  /// the client could not open its sockets; `done` is then never called.
  bool Start(std::function<void()> done = {});
  const std::string& Error() const { return m_error; }
  bool Done() const { return m_done; }
  /// Seconds from Start() to the end of the run.
  double PlannedDuration() const;
  /// What was seen; complete once Done().
  const DetectObservations& Observations() const { return m_observations; }

  void OnDatagram(SocketId socket, const Endpoint& from, const std::string& bytes) override;
  void OnAccepted(SocketId listener, SocketId connection, const Endpoint& from) override;
  void OnConnected(SocketId connection, bool ok) override;
  void OnStreamData(SocketId connection, const std::string& bytes) override;
  void OnClosed(SocketId connection) override;

 private:
  /// What a socket is for.
  enum class Role { Signalling, MediaSignalling, Media, Mapping, Filter, Timer, Tcp };
  struct SocketInfo {
    Role role = Role::Signalling;
    std::string label;  ///< the timer's or media probe's index, for Role::Timer / Role::Media
  };

  /// Builds one request of the plan from `local` (Via, Contact and SDP name it).
  std::string MakeRequest(const std::string& method, const std::string& probe, const std::string& transport,
                          const Endpoint& local, std::uint16_t serverPort, std::uint16_t mediaPort,
                          const DetectCommand& command) const;
  void SendOutbound(SocketId socket, const std::string& transport, std::uint16_t serverPort);
  void SendProbe(SocketId socket, const Endpoint& to, const std::string& probe, const std::string& method,
                 const DetectCommand& command, std::uint16_t mediaPort, const std::string& transport);
  void HandleMessage(SocketId socket, const std::string& bytes);
  void HandleEcho(SocketId socket, const EchoReport& report);
  void HandleInbound(const std::string& bytes);
  void SendMappingFollowUps();
  /// A fresh port for an INVITE's SDP that no other INVITE names.
  std::uint16_t SdpOnlyPort();
  void SendNextTcp();
  void Finish();
  Endpoint ServerAt(std::uint16_t port) const { return {m_options.serverAddress, port}; }

  DetectIo& m_io;
  DetectorOptions m_options;
  std::function<void()> m_whenDone;
  std::string m_error;
  bool m_done = false;
  double m_started = 0;
  std::string m_local;
  std::map<SocketId, SocketInfo> m_sockets;
  SocketId m_tcp = -1;
  sip::MessageFramer m_tcpFramer;
  struct TcpProbe {
    DetectCommand command;
    std::string method;
  };
  std::vector<TcpProbe> m_tcpQueue;  ///< TCP requests not sent yet (one at a time)
  std::string m_tcpWaitingFor;       ///< the TCP probe whose echo is awaited
  SocketId m_mapping = -1;
  bool m_mappingFollowUpsSent = false;
  std::uint16_t m_mediaPrimary = 0, m_mediaAlt = 0;
  std::map<std::string, std::size_t> m_outboundIndex;  ///< probe id -> m_observations.outbound
  std::map<std::string, std::size_t> m_timerIndex;     ///< probe id -> m_observations.timers
  std::set<std::string> m_answered;  ///< probes whose echo came back
  std::map<std::string, std::string> m_inboundRequests;  ///< "probe/from" -> bytes that arrived
  DetectObservations m_observations;
};

}  // namespace alglab::detect

#endif
