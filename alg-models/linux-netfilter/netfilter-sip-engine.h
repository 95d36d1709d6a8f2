#ifndef ALGLAB_ALG_MODELS_LINUX_NETFILTER_NETFILTER_SIP_ENGINE_H
#define ALGLAB_ALG_MODELS_LINUX_NETFILTER_NETFILTER_SIP_ENGINE_H

/// \file
/// The plain-C++ core of the linux-netfilter model: the kernel SIP helper's state for every
/// connection it tracks (MasterState), the expectation table, and the per-datagram entry point.
/// It knows nothing about ns-3 simulation or the NAT table: callers identify connections, give
/// their tuples and the time, and get a verdict. The ns-3 adapter (LinuxNetfilterAlg) and tests
/// drive it directly.

#include "alg-models/linux-netfilter/expectation-table.h"
#include "alg-models/linux-netfilter/sip-conntrack-helper.h"
#include "alg-models/linux-netfilter/sip-helper-types.h"

#include "ns3/nstime.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace alglab::linuxnf {

/// What the helper decided for one datagram.
struct Verdict {
  bool accept = true;
  const char* dropReason = nullptr;  ///< the kernel's log text when dropped
  /// Non-zero: deliver to this destination port instead (forced_dport on replies).
  std::uint16_t redirectPort = 0;
  /// The datagram carried a payload, so the connection's timeout restarts at sip_timeout.
  bool refreshesConnection = false;
  /// TCP: the length change the NAT must record for sequence adjustment (the sum over the
  /// segment's processed messages). 0 with a changed payload where the kernel forgets it.
  std::int32_t sequenceDelta = 0;
};

class NetfilterSipEngine {
 public:
  explicit NetfilterSipEngine(HelperConfig config = HelperConfig{},
                              ExpectPolicy policy = ExpectPolicy{});
  NetfilterSipEngine(const NetfilterSipEngine&) = delete;
  NetfilterSipEngine& operator=(const NetfilterSipEngine&) = delete;

  /// The state of connection `id`, created with `tuples` on first use. `expected`: the
  /// connection was opened through one of the helper's pinholes.
  MasterState& Connection(std::uint64_t id, const ConntrackTuples& tuples, bool expected);
  /// The state of connection `id`, or nullptr.
  MasterState* FindConnection(std::uint64_t id);

  /// Runs the helper on one datagram of `connection` travelling in direction `dir`; `payload`
  /// is rewritten in place when accepted.
  Verdict Process(MasterState& connection, CtDirection dir, std::string& payload, ns3::Time now);

  /// Runs the helper on one TCP segment's payload as sip_help_tcp does: every complete message
  /// (headers, CRLFCRLF, Content-Length bytes of body) from the start of the segment, in order,
  /// each rewritten in place; it stops at the first message without a Content-Length or end of
  /// headers, and at a drop (the whole segment is dropped). A segment that ends in a message
  /// announcing more bytes than the segment holds is accepted with the earlier messages
  /// rewritten but no sequence adjustment recorded (sequenceDelta 0), as the kernel does; its
  /// stream then carries wrong sequence numbers. Messages split across segments are not
  /// reassembled: neither part is rewritten.
  Verdict ProcessTcpSegment(MasterState& connection, CtDirection dir, std::string& payload,
                            ns3::Time now);

  /// The connection is gone (timed out, or never confirmed): its state and pinholes go too.
  void ForgetConnection(std::uint64_t id);
  /// Router reboot: every connection and pinhole is forgotten.
  void Reset();

  ExpectationTable& Expectations() { return m_table; }
  const HelperConfig& Config() const { return m_config; }
  /// Replaces the knobs (takes effect for the next datagram).
  void SetConfig(const HelperConfig& config) { m_config = config; }
  std::size_t ConnectionCount() const { return m_connections.size(); }

 private:
  HelperConfig m_config;
  ExpectationTable m_table;
  SipConntrackHelper m_helper;  ///< refers to m_table and m_config
  std::map<std::uint64_t, MasterState> m_connections;
};

}  // namespace alglab::linuxnf

#endif
