#include "probes/nat-drops.h"

#include "probes/alg-activity.h"

namespace alglab::probes {

void NatDrops::OnDrop(std::string_view reason, bool inbound, std::string_view payload) {
  if (reason == "alg" || reason.rfind("alg:", 0) == 0) return;
  ++m_counts[std::string(reason)][std::string(inbound ? "inbound " : "outbound ") + PacketKind(payload)];
}

std::string NatDrops::PacketKind(std::string_view payload) {
  if (payload.empty()) return "other";
  const std::string sip = AlgActivity::MessageKind(payload);
  if (sip != "non-SIP") return sip;
  // RTP: version 2 in the top bits and at least a fixed header; RTCP (types 200-204) is not
  // told apart, both are media.
  if (payload.size() >= 12 && (static_cast<unsigned char>(payload[0]) & 0xC0) == 0x80) return "RTP";
  return "other";
}

nlohmann::json NatDrops::ToJson() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [reason, kinds] : m_counts) out[reason] = kinds;
  return out;
}

}  // namespace alglab::probes
