#ifndef ALGLAB_TESTS_ENDPOINTS_ENDPOINT_TEST_FIXTURE_H
#define ALGLAB_TESTS_ENDPOINTS_ENDPOINT_TEST_FIXTURE_H

// A small office without NAT for endpoint tests: phones, the PBX and a router on one CSMA LAN,
// the router linked point-to-point to the provider. Plus a recorder that listens to every
// endpoint trace source by name, exactly as the probes will.

#include "sim/endpoints/sip-pbx.h"
#include "sim/endpoints/sip-phone.h"
#include "sim/endpoints/sip-provider.h"

#include <ns3/core-module.h>
#include <ns3/internet-module.h>
#include <ns3/network-module.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace alglab::test {

/// One trace event as recorded (fields as the trace passed them; unused ones empty).
struct TraceEvent {
  double time = 0;
  std::string source;   ///< trace source name
  std::string device;
  std::string a;        ///< callId / registrar / extension
  std::string b;        ///< target / from / detail / state / did
  std::string c;        ///< CallForked leg
  bool ok = false;
  std::uint16_t status = 0;
};

/// The one event `source` fired at `device`; fails the test unless there is exactly one.
class TraceRecorder;
TraceEvent OnlyEvent(const TraceRecorder& recorder, const std::string& source,
                     const std::string& device);

/// Per (device, callId) RTP statistics gathered from RtpSent/RtpReceived.
struct RtpStats {
  std::uint64_t count = 0;
  std::uint64_t gaps = 0;  ///< sequence number not previous + 1
  std::uint16_t last = 0;
  double first = -1;
  double lastTime = -1;
};

class TraceRecorder {
 public:
  /// Connects every trace source the endpoint's type has.
  void Attach(ns3::Ptr<SipEndpoint> endpoint);

  std::vector<TraceEvent> Events(const std::string& source, const std::string& device = "") const;
  std::size_t Count(const std::string& source, const std::string& device = "") const {
    return Events(source, device).size();
  }
  /// RTP stats of one device summed over its calls.
  RtpStats Received(const std::string& device) const;
  RtpStats Sent(const std::string& device) const;
  const std::map<std::pair<std::string, std::string>, RtpStats>& ReceivedByCall() const {
    return m_received;
  }

  void OnRegistration(const std::string& d, const std::string& r, bool ok, std::uint16_t s);
  /// Every trace source whose arguments are (device, a, b): call events, DID and BLF events.
  void OnEvent(const char* source, const std::string& d, const std::string& a,
               const std::string& b);
  void OnForked(const std::string& d, const std::string& in, const std::string& ext,
                const std::string& leg);
  void OnRtpSent(const std::string& d, const std::string& id, std::uint16_t seq, std::uint32_t ts);
  void OnRtpReceived(const std::string& d, const std::string& id, std::uint16_t seq, std::uint32_t ts);

 private:
  void Add(TraceEvent e);
  static void Count(std::map<std::pair<std::string, std::string>, RtpStats>& m,
                    const std::string& d, const std::string& id, std::uint16_t seq);
  std::vector<TraceEvent> m_events;
  std::map<std::pair<std::string, std::string>, RtpStats> m_sent;
  std::map<std::pair<std::string, std::string>, RtpStats> m_received;
};

/// A bare UDP socket that records what it receives (for hand-made SIP messages).
class RawUdp {
 public:
  RawUdp(ns3::Ptr<ns3::Node> node, std::uint16_t port);
  ~RawUdp();
  void Send(const std::string& bytes, ns3::Ipv4Address ip, std::uint16_t port);
  const std::vector<std::string>& Received() const { return m_received; }

 private:
  void Read(ns3::Ptr<ns3::Socket> s);
  ns3::Ptr<ns3::Socket> m_socket;
  std::vector<std::string> m_received;
};

/// Ends a test's simulation so that the next test starts from scratch: ns-3 keeps the
/// simulator, the address allocator and the name registry in process-wide state.
void ResetSimulation();

/// A 100 Mbps point-to-point link with `delay` between `a` and `b` (devices in that order).
ns3::NetDeviceContainer LinkPointToPoint(ns3::Ptr<ns3::Node> a, ns3::Ptr<ns3::Node> b,
                                         ns3::Time delay);

/// The endpoints every test office has. PBX "pbx" of domain "office.test", RTP from 20000.
ns3::Ptr<SipPbx> CreateOfficePbx();
/// Provider "provider" of domain "itsp.test", RTP from 30000.
ns3::Ptr<SipProvider> CreateOfficeProvider();
/// The `index`-th handset: extension 101 + index (added to `pbx`), named "phone<ext>", password
/// "pw<ext>", registering at `registrar` in "office.test". Handsets power up 10 ms apart from
/// 100 ms, like real phones booting.
ns3::Ptr<SipPhone> CreateOfficePhone(ns3::Ptr<SipPbx> pbx, std::size_t index,
                                     ns3::Ipv4Address registrar);
/// The trunk: provider account "trunk1"/"trunkpw" owning `dids`, the PBX registering it.
void ConfigureTrunk(ns3::Ptr<SipPbx> pbx, ns3::Ptr<SipProvider> provider,
                    ns3::Ipv4Address providerAddress, const std::vector<std::string>& dids);

/// Has `phone` call `target` at `atSeconds`; it hangs up `talkSeconds` after the answer.
void CallAt(ns3::Ptr<SipPhone> phone, double atSeconds, std::string target, double talkSeconds);
/// Has `provider` call `did` at `atSeconds`; it hangs up `talkSeconds` after the answer.
void InboundCallAt(ns3::Ptr<SipProvider> provider, double atSeconds, std::string did,
                   double talkSeconds);

/// A REGISTER for 101@office.test as a hand-made client at `host`:`port` sends it: rport
/// requested, no credentials. `token` makes the branch, the From tag and the Call-ID.
std::string RawRegister(const std::string& host, std::uint16_t port, const std::string& token);

/// The test office. Construct, tweak attributes/accounts, then Run().
class Office {
 public:
  /// `phones` handsets named "phone<ext>" with extensions 101, 102, ... and password
  /// "pw<ext>"; PBX "pbx" (domain "office.test"); provider "provider" when requested.
  Office(std::size_t phones, bool withProvider);
  ~Office();

  ns3::Ptr<SipPhone> Phone(std::size_t i) const { return m_phones.at(i); }
  ns3::Ptr<SipPbx> Pbx() const { return m_pbx; }
  ns3::Ptr<SipProvider> Provider() const { return m_provider; }
  ns3::Ptr<ns3::Node> PhoneNode(std::size_t i) const { return m_lan.Get(i); }
  ns3::Ptr<ns3::Node> PbxNode() const { return m_pbxNode; }
  ns3::Ptr<ns3::Node> ProviderNode() const { return m_providerNode; }
  /// The LAN router: a node without SIP apps, handy for raw test sockets.
  ns3::Ptr<ns3::Node> RouterNode() const { return m_router; }
  ns3::Ipv4Address RouterAddress() const { return m_lanIf.GetAddress(m_lanIf.GetN() - 1); }
  ns3::Ipv4Address PhoneAddress(std::size_t i) const { return m_lanIf.GetAddress(i); }
  ns3::Ipv4Address PbxAddress() const { return m_pbxAddress; }
  ns3::Ipv4Address ProviderAddress() const { return m_providerAddress; }
  TraceRecorder& Recorder() { return m_recorder; }

  /// Configures the trunk: provider account "trunk1"/"trunkpw" owning `dids`, PBX registered.
  void EnableTrunk(const std::vector<std::string>& dids);
  /// Do not connect the recorder (measure the endpoints without trace sinks).
  void DetachRecorder() { m_attach = false; }
  /// Attaches the recorder to every app and runs until `stop` seconds.
  void Run(double stopSeconds);

 private:
  ns3::NodeContainer m_lan;  // phones..., pbx, router
  ns3::Ptr<ns3::Node> m_pbxNode;
  ns3::Ptr<ns3::Node> m_router;
  ns3::Ptr<ns3::Node> m_providerNode;
  ns3::Ipv4InterfaceContainer m_lanIf;
  ns3::Ipv4Address m_pbxAddress;
  ns3::Ipv4Address m_providerAddress;
  std::vector<ns3::Ptr<SipPhone>> m_phones;
  ns3::Ptr<SipPbx> m_pbx;
  ns3::Ptr<SipProvider> m_provider;
  TraceRecorder m_recorder;
  bool m_attach = true;
};

}  // namespace alglab::test

#endif
