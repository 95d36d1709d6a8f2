#include "alg-models/contract/mechanisms/media-pinhole-timer.h"

#include <stdexcept>
#include "alg-models/contract/mechanisms/media-pinhole-opener.h"

#include "ns3/string.h"
#include "ns3/uinteger.h"

namespace alglab {

NS_OBJECT_ENSURE_REGISTERED(MediaPinholeTimer);

const char* ToString(MediaRefresh refresh) {
  switch (refresh) {
    case MediaRefresh::None:
      return "none";
    case MediaRefresh::Signalling:
      return "signalling";
    case MediaRefresh::Media:
      return "media";
  }
  return "?";
}

std::optional<MediaRefresh> ParseMediaRefresh(std::string_view text) {
  for (MediaRefresh r : {MediaRefresh::None, MediaRefresh::Signalling, MediaRefresh::Media}) {
    if (text == ToString(r)) return r;
  }
  return std::nullopt;
}

ns3::TypeId MediaPinholeTimer::GetTypeId() {
  static ns3::TypeId tid =
      ns3::TypeId("alglab::MediaPinholeTimer")
          .SetParent<ExpectationTimer>()
          .SetGroupName("Alglab")
          .AddConstructor<MediaPinholeTimer>()
          .AddAttribute("media_timeout",
                        "Timeout (s) a media binding gets from each of its packets with "
                        "media_refresh=media; 0 = the router's UDP timeout.",
                        ns3::UintegerValue(0),
                        ns3::MakeUintegerAccessor(&MediaPinholeTimer::m_mediaTimeoutSeconds),
                        ns3::MakeUintegerChecker<std::uint32_t>())
          .AddAttribute("media_refresh",
                        "What restarts media pinholes: none | signalling | media.",
                        ns3::StringValue("none"),
                        ns3::MakeStringAccessor(&MediaPinholeTimer::SetRefresh,
                                                &MediaPinholeTimer::GetRefresh),
                        ns3::MakeStringChecker());
  return tid;
}

void MediaPinholeTimer::SetRefresh(std::string text) {
  const std::optional<MediaRefresh> parsed = ParseMediaRefresh(text);
  if (!parsed) {
    throw std::invalid_argument("media_refresh: '" + text +
                              "' is not one of none, signalling, media");
  }
  m_refresh = *parsed;
}

std::string MediaPinholeTimer::GetRefresh() const { return ToString(m_refresh); }

alg::Verdict MediaPinholeTimer::Process(alg::PacketContext& context) {
  if (m_opener == nullptr || context.mappingId == 0 ||
      context.original.protocol != nat::L4Protocol::Udp) {
    return alg::Verdict::Accept();
  }
  switch (m_refresh) {
    case MediaRefresh::None:
      break;
    case MediaRefresh::Signalling:
      // Only a real SIP message counts as the dialog talking (not a keep-alive CRLF).
      if (m_opener->PinholeCount(context.mappingId) > 0 && context.PayloadSize() > 0 &&
          context.Sip() != nullptr) {
        m_opener->Retime(context.mappingId, Lifetime(), context.now);
      }
      break;
    case MediaRefresh::Media: {
      if (context.admittedBy) {
        const std::uint64_t master = m_opener->MasterOf(context.admittedById);
        if (master != 0) m_mediaMaster[context.mappingId] = master;
      }
      const auto it = m_mediaMaster.find(context.mappingId);
      if (it == m_mediaMaster.end()) break;
      if (m_mediaTimeoutSeconds > 0) {
        context.nat.SetMappingTimeout(context.mappingId, MediaTimeout(), context.now);
      }
      m_opener->Retime(it->second, Lifetime(), context.now);
      break;
    }
  }
  return alg::Verdict::Accept();
}

void MediaPinholeTimer::OnMappingRemoved(const nat::Mapping& mapping, nat::NatTable& /*nat*/) {
  m_mediaMaster.erase(mapping.id);
}

bool MediaPinholeTimer::Connect(const std::string& role, const ns3::Ptr<alg::Mechanism>& other) {
  auto* opener = dynamic_cast<MediaPinholeOpener*>(ns3::PeekPointer(other));
  if (role != "opener" || opener == nullptr) return false;
  SetOpener(opener);
  return true;
}

}  // namespace alglab
