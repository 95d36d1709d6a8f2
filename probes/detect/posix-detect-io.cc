#include "probes/detect/posix-detect-io.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace alglab::detect {
namespace {

std::optional<sockaddr_in> ToSockaddr(const std::string& address, std::uint16_t port) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  if (inet_pton(AF_INET, address.c_str(), &sa.sin_addr) != 1) return std::nullopt;
  return sa;
}

Endpoint FromSockaddr(const sockaddr_in& sa) {
  char text[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &sa.sin_addr, text, sizeof text);
  return Endpoint{text, ntohs(sa.sin_port)};
}

std::string ErrorText(const std::string& what, const std::string& address, std::uint16_t port) {
  return what + " " + address + ":" + std::to_string(port) + ": " + std::strerror(errno);
}

// Bounded reads per event, so one busy socket cannot starve the loop or the deadline.
constexpr int kMaxReadsPerEvent = 64;
constexpr std::size_t kMaxDatagram = 65536;

}  // namespace

PosixDetectIo::PosixDetectIo(std::vector<std::string> addresses) : m_addresses(std::move(addresses)) {}

PosixDetectIo::~PosixDetectIo() {
  for (const auto& [id, s] : m_sockets) ::close(s.fd);
}

double PosixDetectIo::Now() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

SocketId PosixDetectIo::Add(int fd, Kind kind) {
  m_sockets[m_next] = Socket{fd, kind, false, {}};
  return m_next++;
}

int PosixDetectIo::BoundSocket(int type, const std::string& address, std::uint16_t port, const char* what) {
  const auto sa = ToSockaddr(address, port);
  if (!sa) {
    m_lastError = "not an IPv4 address: " + address;
    return -1;
  }
  const int fd = ::socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  const int one = 1;
  // A listener restarted right after a run must not wait for TIME_WAIT to clear.
  if (fd >= 0 && type == SOCK_STREAM) ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (fd < 0 || ::bind(fd, reinterpret_cast<const sockaddr*>(&*sa), sizeof *sa) != 0) {
    m_lastError = ErrorText(what, address, port);
    if (fd >= 0) ::close(fd);
    return -1;
  }
  return fd;
}

SocketId PosixDetectIo::OpenUdp(const std::string& localAddress, std::uint16_t localPort) {
  const int fd = BoundSocket(SOCK_DGRAM, Address(localAddress), localPort, "cannot bind UDP");
  return fd < 0 ? -1 : Add(fd, Kind::Udp);
}

Endpoint PosixDetectIo::LocalEndpoint(SocketId socket) const {
  const auto it = m_sockets.find(socket);
  if (it == m_sockets.end()) return {};
  sockaddr_in sa{};
  socklen_t length = sizeof sa;
  if (::getsockname(it->second.fd, reinterpret_cast<sockaddr*>(&sa), &length) != 0) return {};
  return FromSockaddr(sa);
}

SocketId PosixDetectIo::ListenTcp(const std::string& localAddress, std::uint16_t localPort) {
  const int fd = BoundSocket(SOCK_STREAM, Address(localAddress), localPort, "cannot listen on TCP");
  if (fd < 0) return -1;
  if (::listen(fd, 16) != 0) {
    m_lastError = ErrorText("cannot listen on TCP", Address(localAddress), localPort);
    ::close(fd);
    return -1;
  }
  return Add(fd, Kind::Listener);
}

SocketId PosixDetectIo::ConnectTcp(const Endpoint& remote, std::uint16_t localPort) {
  const auto to = ToSockaddr(remote.address, remote.port);
  if (!to) {
    m_lastError = "not an IPv4 address: " + remote.address;
    return -1;
  }
  const int fd = BoundSocket(SOCK_STREAM, Address(""), localPort, "cannot bind TCP");
  if (fd < 0) return -1;
  const int rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&*to), sizeof *to);
  const SocketId id = Add(fd, Kind::Connection);
  if (rc == 0) {
    After(0, [this, id] {
      if (m_sink && m_sockets.count(id)) m_sink->OnConnected(id, true);
    });
  } else if (errno == EINPROGRESS) {
    m_sockets[id].connecting = true;
  } else {
    After(0, [this, id] {
      if (m_sink && m_sockets.count(id)) m_sink->OnConnected(id, false);
    });
  }
  return id;
}

void PosixDetectIo::SendTo(SocketId socket, const Endpoint& to, const std::string& bytes) {
  const auto it = m_sockets.find(socket);
  const auto sa = ToSockaddr(to.address, to.port);
  if (it == m_sockets.end() || !sa) return;
  // A datagram the kernel refuses (no route, a full buffer) is lost, as on the wire.
  (void)::sendto(it->second.fd, bytes.data(), bytes.size(), MSG_NOSIGNAL, reinterpret_cast<const sockaddr*>(&*sa),
                 sizeof *sa);
}

void PosixDetectIo::Send(SocketId connection, const std::string& bytes) {
  const auto it = m_sockets.find(connection);
  if (it == m_sockets.end() || it->second.kind != Kind::Connection) return;
  it->second.pending += bytes;
  if (!it->second.connecting) Flush(connection);
}

void PosixDetectIo::Flush(SocketId id) {
  auto& s = m_sockets.at(id);
  while (!s.pending.empty()) {
    const ssize_t n = ::send(s.fd, s.pending.data(), s.pending.size(), MSG_NOSIGNAL);
    if (n <= 0) return;  // EAGAIN: POLLOUT resumes; an error shows up as a close
    s.pending.erase(0, static_cast<std::size_t>(n));
  }
}

void PosixDetectIo::Close(SocketId socket) {
  const auto it = m_sockets.find(socket);
  if (it == m_sockets.end()) return;
  ::close(it->second.fd);
  m_sockets.erase(it);
}

void PosixDetectIo::After(double seconds, std::function<void()> what) {
  m_timers.emplace(std::make_pair(Now() + std::max(0.0, seconds), m_timerSequence++), std::move(what));
}

bool PosixDetectIo::Run(const std::function<bool()>& finished, double deadline, const volatile std::sig_atomic_t* stop) {
  while (true) {
    if (finished()) return true;
    if (stop && *stop) return false;
    const double now = Now();
    if (now >= deadline) return false;
    // Due timers first, one at a time (a callback may add or cancel sockets and timers).
    if (!m_timers.empty() && m_timers.begin()->first.first <= now) {
      auto what = std::move(m_timers.begin()->second);
      m_timers.erase(m_timers.begin());
      what();
      continue;
    }
    double wait = deadline - now;
    if (!m_timers.empty()) wait = std::min(wait, m_timers.begin()->first.first - now);
    wait = std::min(wait, 0.2);  // notice a stop flag promptly
    std::vector<pollfd> fds;
    std::vector<SocketId> ids;
    for (const auto& [id, s] : m_sockets) {
      short events = POLLIN;
      if (s.connecting || !s.pending.empty()) events |= POLLOUT;
      fds.push_back(pollfd{s.fd, events, 0});
      ids.push_back(id);
    }
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(wait * 1000) + 1);
    if (ready <= 0) continue;  // timeout or EINTR (a signal): loop checks the flags
    for (std::size_t i = 0; i < fds.size(); ++i)
      if (fds[i].revents != 0 && m_sockets.count(ids[i])) Dispatch(ids[i], fds[i].revents);
  }
}

void PosixDetectIo::Dispatch(SocketId id, short revents) {
  auto* s = &m_sockets.at(id);
  if (s->kind == Kind::Udp) {
    for (int i = 0; i < kMaxReadsPerEvent && m_sockets.count(id); ++i) {
      std::string buffer(kMaxDatagram, '\0');
      sockaddr_in from{};
      socklen_t length = sizeof from;
      const ssize_t n = ::recvfrom(m_sockets.at(id).fd, buffer.data(), buffer.size(), 0,
                                   reinterpret_cast<sockaddr*>(&from), &length);
      if (n < 0) return;  // EAGAIN, or an ICMP error reported on the socket: nothing to read
      buffer.resize(static_cast<std::size_t>(n));
      if (m_sink) m_sink->OnDatagram(id, FromSockaddr(from), buffer);
    }
    return;
  }
  if (s->kind == Kind::Listener) {
    for (int i = 0; i < kMaxReadsPerEvent && m_sockets.count(id); ++i) {
      sockaddr_in from{};
      socklen_t length = sizeof from;
      const int fd = ::accept4(m_sockets.at(id).fd, reinterpret_cast<sockaddr*>(&from), &length,
                               SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) return;
      const SocketId connection = Add(fd, Kind::Connection);
      if (m_sink) m_sink->OnAccepted(id, connection, FromSockaddr(from));
    }
    return;
  }
  if (s->connecting) {
    if (!(revents & (POLLOUT | POLLERR | POLLHUP))) return;
    int error = 0;
    socklen_t length = sizeof error;
    ::getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &error, &length);
    s->connecting = false;
    if (m_sink) m_sink->OnConnected(id, error == 0);
    if (error != 0 || !m_sockets.count(id)) return;
    Flush(id);
    return;
  }
  if ((revents & POLLOUT) && !s->pending.empty()) Flush(id);
  if (!(revents & (POLLIN | POLLHUP | POLLERR)) || !m_sockets.count(id)) return;
  char buffer[16384];
  const ssize_t n = ::recv(m_sockets.at(id).fd, buffer, sizeof buffer, 0);
  if (n > 0) {
    if (m_sink) m_sink->OnStreamData(id, std::string(buffer, static_cast<std::size_t>(n)));
  } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
    if (m_sink) m_sink->OnClosed(id);
  }
}

std::optional<std::string> LocalAddressTowards(const std::string& remote) {
  const auto to = ToSockaddr(remote, 9);
  if (!to) return std::nullopt;
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return std::nullopt;
  std::optional<std::string> result;
  sockaddr_in local{};
  socklen_t length = sizeof local;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&*to), sizeof *to) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) == 0)
    result = FromSockaddr(local).address;
  ::close(fd);
  return result;
}

}  // namespace alglab::detect
