#ifndef ALGLAB_ALG_MODELS_CONTRACT_MECHANISMS_MEDIA_PINHOLE_TIMER_H
#define ALGLAB_ALG_MODELS_CONTRACT_MECHANISMS_MEDIA_PINHOLE_TIMER_H

/// \file
/// A reusable mechanism: the media timer of a SIP-aware NAT. On top of ExpectationTimer's
/// pinhole lifetime (`expect_timeout`) it owns how long a media binding lives once RTP flows
/// (`media_timeout`) and what restarts pinholes and bindings (`media_refresh`):
/// - none: a pinhole dies at its lifetime whatever happens (the Linux kernel);
/// - signalling: every SIP message on the signalling mapping that opened pinholes re-opens
///   them for `expect_timeout` (routers that keep a call's holes while its dialog talks);
/// - media: every packet on a media binding that a pinhole created restarts that binding at
///   `media_timeout` (when non-zero) and re-opens its sibling pinholes, so a one-way stream
///   keeps the RTCP hole alive too.
/// It re-times the pinholes of its MediaPinholeOpener (SetOpener); place it at the opener's hook
/// points, after the opener.

#include "alg-models/contract/mechanisms/expectation-timer.h"

#include "ns3/nstime.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace alglab {

class MediaPinholeOpener;

/// What restarts a media pinhole or binding.
enum class MediaRefresh : std::uint8_t { None, Signalling, Media };

/// "none" / "signalling" / "media".
const char* ToString(MediaRefresh refresh);
/// The inverse of ToString; nullopt for anything else.
std::optional<MediaRefresh> ParseMediaRefresh(std::string_view text);

class MediaPinholeTimer : public ExpectationTimer {
 public:
  static ns3::TypeId GetTypeId();

  /// The opener whose pinholes this timer re-times; must outlive the timer (the model owns
  /// both). nullptr: none.
  void SetOpener(MediaPinholeOpener* opener) { m_opener = opener; }
  /// Role "opener": a MediaPinholeOpener.
  bool Connect(const std::string& role, const ns3::Ptr<alg::Mechanism>& other) override;

  /// Timeout of a media binding on refresh; zero: the router's own UDP timeout.
  ns3::Time MediaTimeout() const { return ns3::Seconds(m_mediaTimeoutSeconds); }
  MediaRefresh Refresh() const { return m_refresh; }

  alg::Verdict Process(alg::PacketContext& context) override;
  void OnMappingRemoved(const nat::Mapping& mapping, nat::NatTable& nat) override;
  void OnFlush() override { m_mediaMaster.clear(); }
  void OnRouterReboot() override { m_mediaMaster.clear(); }
  std::string Name() const override { return "media-pinhole-timer"; }

 private:
  void SetRefresh(std::string text);
  std::string GetRefresh() const;

  MediaPinholeOpener* m_opener = nullptr;
  std::uint32_t m_mediaTimeoutSeconds = 0;
  MediaRefresh m_refresh = MediaRefresh::None;
  /// Media binding (mapping id) -> the signalling mapping whose pinhole created it.
  std::map<std::uint64_t, std::uint64_t> m_mediaMaster;
};

}  // namespace alglab

#endif
