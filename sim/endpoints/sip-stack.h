#ifndef ALGLAB_ENDPOINTS_SIP_STACK_H
#define ALGLAB_ENDPOINTS_SIP_STACK_H

// Everything one SIP endpoint shares between its parts (registration, calls, subscriptions):
// its name, transport, transactions, identifier source and RTP port pool. The parts receive a
// SipStack& instead of the ns-3 Application so they stay small and testable.

#include "sim/endpoints/sip-id-generator.h"
#include "sim/endpoints/sip-transaction-layer.h"
#include "sim/endpoints/sip-transport.h"

#include <ns3/node.h>
#include <ns3/ptr.h>

#include <cstdint>
#include <set>
#include <string>

namespace alglab {

class SipStack {
 public:
  explicit SipStack(std::string name);
  /// Continues an earlier generator (after a reboot identifiers must not repeat).
  SipStack(std::string name, const SipIdGenerator& ids);
  SipStack(const SipStack&) = delete;
  SipStack& operator=(const SipStack&) = delete;

  /// See SipTransport::Open.
  bool Open(ns3::Ptr<ns3::Node> node, ns3::Ipv4Address localIp, std::uint16_t sipPort, bool bindToLocalIp = false);
  void Close();

  const std::string& Name() const { return m_name; }
  ns3::Ptr<ns3::Node> GetNode() const { return m_node; }
  SipTransport& Transport() { return m_transport; }
  SipTransactionLayer& Transactions() { return m_transactions; }
  SipIdGenerator& Ids() { return m_ids; }

  ns3::Ipv4Address LocalIp() const { return m_transport.LocalIp(); }
  const std::string& LocalHost() const { return m_transport.LocalHost(); }
  std::uint16_t LocalPort() const { return m_transport.LocalPort(); }
  /// <sip:user@localIp:port> — the private address a handset really advertises.
  sip::NameAddress LocalContact(const std::string& user) const;
  /// A new Call-ID "<name>-<n>@<localIp>".
  std::string NewCallId() { return m_ids.NewCallId(LocalHost()); }

  /// RTP ports: even numbers from `base` upward, reused after release, wrapping below 65000.
  void SetRtpPortBase(std::uint16_t base);
  std::uint16_t AllocateRtpPort();
  void ReleaseRtpPort(std::uint16_t port);

  /// Value for the User-Agent / Server header.
  void SetProduct(std::string product) { m_product = std::move(product); }
  const std::string& Product() const { return m_product; }

 private:
  std::string m_name;
  ns3::Ptr<ns3::Node> m_node;
  SipIdGenerator m_ids;
  SipTransport m_transport;
  SipTransactionLayer m_transactions;
  std::uint16_t m_rtpBase = 10000;
  std::uint16_t m_rtpNext = 10000;
  std::set<std::uint16_t> m_rtpInUse;
  std::string m_product = "alglab";
};

}  // namespace alglab

#endif
