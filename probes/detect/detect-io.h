#ifndef ALGLAB_PROBES_DETECT_DETECT_IO_H
#define ALGLAB_PROBES_DETECT_DETECT_IO_H

// The seam between the active detector's logic and the world it runs in. The detector client
// (on the LAN, behind the router under test) and the echo server (on the internet side) are
// event-driven state machines written against DetectIo only, so the same code runs in the
// ns-3 simulation (sim/detect/: ns-3 sockets and Simulator::Schedule) and on real networks
// (the POSIX driver: sockets and a poll loop). Everything runs on one thread: a driver calls
// the DetectIoSink's methods and the timers' callbacks one at a time, never concurrently.
//
// Plain C++17, free of ns-3.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace alglab::detect {

/// An IPv4 transport address: "203.0.113.5" and a port.
struct Endpoint {
  std::string address;
  std::uint16_t port = 0;

  bool operator==(const Endpoint& other) const {
    return address == other.address && port == other.port;
  }
  bool operator!=(const Endpoint& other) const { return !(*this == other); }
};

/// A socket opened through a DetectIo; -1 is "could not open".
using SocketId = int;

/// Events a driver delivers to the logic that owns its sockets.
class DetectIoSink {
 public:
  virtual ~DetectIoSink() = default;
  /// A UDP datagram arrived on `socket` from `from`.
  virtual void OnDatagram(SocketId socket, const Endpoint& from, const std::string& bytes) = 0;
  /// A TCP listener accepted `connection` from `from`.
  virtual void OnAccepted(SocketId listener, SocketId connection, const Endpoint& from) = 0;
  /// A TCP connection opened with ConnectTcp is established (or failed: `ok` false).
  virtual void OnConnected(SocketId connection, bool ok) = 0;
  /// Bytes arrived on a TCP connection, in order; framing (SIP's Content-Length) is the
  /// logic's business, so a message may arrive in pieces or several in one call.
  virtual void OnStreamData(SocketId connection, const std::string& bytes) = 0;
  /// The peer closed or reset a TCP connection.
  virtual void OnClosed(SocketId connection) = 0;
};

/// What the detector logic may ask of the world. Addresses are dotted quads; a local address
/// of "" means this side's primary address.
class DetectIo {
 public:
  virtual ~DetectIo() = default;
  /// Seconds since an arbitrary origin (simulated time in ns-3, a monotonic clock live).
  virtual double Now() const = 0;
  /// This side's own addresses, primary first. The echo server needs two (the second sends
  /// the "other address" datagrams of the filtering and pinhole probes).
  virtual std::vector<std::string> LocalAddresses() const = 0;
  /// A UDP socket bound to (localAddress, localPort); port 0 picks a free port.
  virtual SocketId OpenUdp(const std::string& localAddress, std::uint16_t localPort) = 0;
  /// The local endpoint a socket is bound to (after OpenUdp/ConnectTcp picked a port).
  virtual Endpoint LocalEndpoint(SocketId socket) const = 0;
  /// A TCP listener on (localAddress, localPort).
  virtual SocketId ListenTcp(const std::string& localAddress, std::uint16_t localPort) = 0;
  /// Starts a TCP connection from localPort (0: any) to `remote`; OnConnected says how it went.
  virtual SocketId ConnectTcp(const Endpoint& remote, std::uint16_t localPort) = 0;
  /// Sends one UDP datagram.
  virtual void SendTo(SocketId socket, const Endpoint& to, const std::string& bytes) = 0;
  /// Sends bytes on a TCP connection.
  virtual void Send(SocketId connection, const std::string& bytes) = 0;
  virtual void Close(SocketId socket) = 0;
  /// Calls `what` once, `seconds` from now.
  virtual void After(double seconds, std::function<void()> what) = 0;
};

}  // namespace alglab::detect

#endif
