#ifndef ALGLAB_ALG_MODELS_CONTRACT_PACKET_CONTEXT_H
#define ALGLAB_ALG_MODELS_CONTRACT_PACKET_CONTEXT_H

/// \file
/// Everything a mechanism may read or change about one packet at one hook point. One context is
/// shared by the whole chain of that hook point, so the payload is copied at most once and the
/// SIP message parsed at most once per packet (and only if some mechanism asks).

#include "alg-models/contract/hook-point.h"
#include "alg-models/contract/packet-emitter.h"
#include "alg-models/contract/router-view.h"
#include "sim/nat/nat-table.h"
#include "sim/nat/nat-types.h"
#include "sim/sip/sip-message.h"

#include "ns3/nstime.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace alglab::alg {

/// Where the payload bytes come from until someone asks for a copy (the router's packet, or a
/// plain string in `alglab mangle`).
class PayloadSource {
 public:
  virtual ~PayloadSource() = default;
  virtual std::uint32_t Size() const = 0;
  /// Replaces `out` with the payload bytes.
  virtual void CopyTo(std::string& out) const = 0;
};

/// A PayloadSource over a string that already exists.
class StringPayloadSource : public PayloadSource {
 public:
  explicit StringPayloadSource(const std::string& bytes) : m_bytes(bytes) {}
  std::uint32_t Size() const override { return static_cast<std::uint32_t>(m_bytes.size()); }
  void CopyTo(std::string& out) const override { out.assign(m_bytes); }

 private:
  const std::string& m_bytes;
};

class PacketContext {
 public:
  /// `buffer` is scratch space the caller reuses across packets (no allocation once warm).
  PacketContext(HookPoint point, nat::Direction direction, const nat::FiveTuple& original,
                const nat::FiveTuple& translated, const PayloadSource& source,
                std::string& buffer, nat::NatTable& nat, ns3::Time now, const RouterView& router,
                PacketEmitter& emitter);
  PacketContext(const PacketContext&) = delete;
  PacketContext& operator=(const PacketContext&) = delete;

  const HookPoint point;
  /// Which side the packet came from: Outbound from the LAN (also LAN packets at LocalIn),
  /// Inbound from the WAN.
  const nat::Direction direction;
  /// The 5-tuple as the packet arrived at the router.
  const nat::FiveTuple original;
  /// The 5-tuple as it will leave (equal to `original` at InboundPreFilter and LocalIn).
  const nat::FiveTuple translated;
  /// The NAT state: lookups, reservations, expectations (pass `now` to every call).
  nat::NatTable& nat;
  const ns3::Time now;
  /// The router's interfaces and prefixes.
  const RouterView& router;
  /// Sends packets from the router's own addresses (scheduled).
  PacketEmitter& emitter;

  /// Id of the mapping that translated the packet; 0 where there is none (InboundPreFilter,
  /// LocalIn).
  std::uint64_t mappingId = 0;
  /// The expectation that admitted this inbound packet (InboundPostDnat), if one did. The
  /// expectation itself may be gone already (a one-shot one is consumed by the packet).
  std::optional<nat::Expectation> admittedBy;
  std::uint64_t admittedById = 0;

  /// The live mapping `mappingId` names, or nullptr (valid until the next NatTable call that
  /// may create or remove mappings).
  const nat::Mapping* Mapping() const;

  /// Payload size in bytes; never copies.
  std::uint32_t PayloadSize() const;
  /// The payload (copied from the packet on the first call of the chain).
  const std::string& Payload();
  /// The payload, for rewriting: the router forwards what is here. Invalidates Sip(): the next
  /// call parses the rewritten bytes. For TCP a length change is not compensated in sequence
  /// numbers.
  std::string& MutablePayload();
  /// True once some mechanism looked at the bytes.
  bool PayloadCopied() const { return m_copied; }
  /// True once MutablePayload() was called (the router then compares and re-encodes).
  bool PayloadMayHaveChanged() const { return m_mutable; }

  /// The payload parsed as one SIP message (parsed on first call, once per packet unless it was
  /// rewritten); nullptr when it is not a parsable SIP message.
  const sip::SipMessage* Sip();

  // ---- What the mechanisms ask of the router --------------------------------------------

  /// Non-zero: the packet leaves with this UDP/TCP destination port instead of
  /// `translated.destination.port` (e.g. nf_nat_sip's forced_dport). The NAT state is not
  /// changed: mappings and sessions keep describing the translated 5-tuple.
  std::uint16_t redirectDestinationPort = 0;
  /// InboundPreFilter only: admit the packet toward this inside endpoint even if no mapping or
  /// filtering would (the router opens a one-shot expectation for exactly this remote and
  /// external port before the NAT lookup).
  std::optional<nat::Endpoint> admitTo;
  /// TCP only: the length change the NAT records for sequence adjustment (TcpSequenceAdjust).
  /// Unset: the payload's real length change. A model of a router that rewrites a segment
  /// without recording it (Linux, when a segment ends in an incomplete SIP message) sets 0; the
  /// endpoints then see the consequences a real stack would.
  std::optional<std::int32_t> tcpSequenceDelta;

  // ---- Attribution (set by AlgModel::Run; read by the router's reports) ---------------------

  /// The label of the mechanism now processing the packet (nullptr outside a chain run).
  void SetActing(const std::string* label) { m_acting = label; }
  /// Labels of the mechanisms that asked for the payload to rewrite, in order, each once.
  const std::vector<const std::string*>& Writers() const { return m_writers; }
  /// The mechanism whose verdict ended the chain (a drop or a steal); nullptr when all accepted.
  const std::string* decidedBy = nullptr;
  /// Who did it, for a report line: the deciding mechanism, else the writers joined by '+'.
  std::string Actors() const;

 private:
  const PayloadSource& m_source;
  std::string& m_buffer;
  bool m_copied = false;
  bool m_mutable = false;
  bool m_parsed = false;
  std::optional<sip::SipMessage> m_sip;
  const std::string* m_acting = nullptr;
  std::vector<const std::string*> m_writers;
};

}  // namespace alglab::alg

#endif
