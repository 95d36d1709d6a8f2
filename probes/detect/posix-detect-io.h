#ifndef ALGLAB_PROBES_DETECT_POSIX_DETECT_IO_H
#define ALGLAB_PROBES_DETECT_POSIX_DETECT_IO_H

// DetectIo on real sockets: non-blocking IPv4 UDP and TCP sockets and a poll loop, bounded by
// a deadline. The live driver of the detector (`alglab detect --live`, `alglab detect-server`).
// One thread; events and timers are delivered from Run().

#include "probes/detect/detect-io.h"

#include <csignal>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace alglab::detect {

class PosixDetectIo : public DetectIo {
 public:
  /// `addresses`: this side's addresses, primary first (each must be a local address).
  explicit PosixDetectIo(std::vector<std::string> addresses);
  ~PosixDetectIo() override;
  PosixDetectIo(const PosixDetectIo&) = delete;
  PosixDetectIo& operator=(const PosixDetectIo&) = delete;

  void SetSink(DetectIoSink* sink) { m_sink = sink; }
  /// Delivers events until `finished()` is true, `deadlineSeconds` (Now() based) has passed, or
  /// `*stop` (a signal handler's flag) is set. Returns true when `finished()` ended it.
  bool Run(const std::function<bool()>& finished, double deadlineSeconds,
           const volatile std::sig_atomic_t* stop = nullptr);
  /// The last socket error (bind, listen, connect), for messages.
  const std::string& LastError() const { return m_lastError; }

  double Now() const override;
  std::vector<std::string> LocalAddresses() const override { return m_addresses; }
  SocketId OpenUdp(const std::string& localAddress, std::uint16_t localPort) override;
  Endpoint LocalEndpoint(SocketId socket) const override;
  SocketId ListenTcp(const std::string& localAddress, std::uint16_t localPort) override;
  SocketId ConnectTcp(const Endpoint& remote, std::uint16_t localPort) override;
  void SendTo(SocketId socket, const Endpoint& to, const std::string& bytes) override;
  void Send(SocketId connection, const std::string& bytes) override;
  void Close(SocketId socket) override;
  void After(double seconds, std::function<void()> what) override;

 private:
  enum class Kind { Udp, Listener, Connection };
  struct Socket {
    int fd = -1;
    Kind kind = Kind::Udp;
    bool connecting = false;
    std::string pending;  ///< TCP bytes the kernel did not take yet
  };
  void Dispatch(SocketId id, short revents);
  SocketId Add(int fd, Kind kind);
  /// A non-blocking socket of `type` bound to address:port; -1 with LastError() set.
  int BoundSocket(int type, const std::string& address, std::uint16_t port, const char* what);
  void Flush(SocketId id);
  std::string Address(const std::string& local) const { return local.empty() ? m_addresses.at(0) : local; }

  std::vector<std::string> m_addresses;
  DetectIoSink* m_sink = nullptr;
  std::map<SocketId, Socket> m_sockets;
  SocketId m_next = 1;
  std::multimap<std::pair<double, std::uint64_t>, std::function<void()>> m_timers;
  std::uint64_t m_timerSequence = 0;
  std::string m_lastError;
};

/// The local address the kernel would use to reach `remote` (a UDP connect, nothing sent);
/// nullopt when there is no route.
std::optional<std::string> LocalAddressTowards(const std::string& remote);

}  // namespace alglab::detect

#endif
