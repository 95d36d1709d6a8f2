#include "sim/scenario/cost-estimate.h"

#include "sim/scenario/scenario-error.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace alglab::scenario {
namespace {

constexpr double kEventsPerPacket = 7;   // measured: about 7 per packet on our point-to-point links
constexpr double kRtpPacketsPerSecond = 50;  // 20 ms packetisation
constexpr double kLegsPerCall = 2;

/// A duration knob as the loader stored it: "25000000000ns" (Time) or "300" (whole seconds).
/// 0 when absent or unreadable, which the callers treat as "off".
double KnobSeconds(const KnobSettings& knobs, const char* attribute) {
  const std::string* text = FindKnobValue(knobs, attribute);
  if (!text || text->empty()) return 0;
  const double n = std::strtod(text->c_str(), nullptr);
  const bool nanoseconds = text->size() > 2 && text->compare(text->size() - 2, 2, "ns") == 0;
  return nanoseconds ? n / 1e9 : n;
}

/// Packets per second of something done every `interval` seconds; 0 for "off".
double Every(double packets, double interval) { return interval > 0 ? packets / interval : 0; }

/// The most calls up at once, from the timeline's call and inbound actions.
double PeakCalls(const ScenarioSpec& spec) {
  std::vector<std::pair<double, int>> edges;  // (time, +1 start / -1 end)
  for (const auto& ev : spec.timeline) {
    double length = -1;
    if (const auto* c = std::get_if<CallAction>(&ev.action)) length = c->duration;
    if (const auto* in = std::get_if<InboundAction>(&ev.action)) length = in->duration;
    if (length < 0) continue;
    edges.emplace_back(ev.at, +1);
    edges.emplace_back(std::min(ev.at + length, spec.duration), -1);
  }
  // Ends sort before starts at the same time: a call that ends as another starts is not overlap.
  std::sort(edges.begin(), edges.end());
  int now = 0, peak = 0;
  for (const auto& e : edges) peak = std::max(peak, now += e.second);
  return peak;
}

}  // namespace

double EstimateEventsPerSecond(const ScenarioSpec& spec) {
  double packets = 0;
  const double pbxNatKeepalive = KnobSeconds(spec.pbx.knobs, "NatKeepaliveInterval");
  for (const auto& phone : spec.phones) {
    const std::string* kind = FindKnobValue(phone.knobs, "KeepaliveKind");
    if (!kind || *kind != "none") packets += Every(2, KnobSeconds(phone.knobs, "KeepaliveInterval"));
    packets += Every(4, KnobSeconds(phone.knobs, "RegisterExpiry") / 2);
    packets += Every(2, pbxNatKeepalive);
  }
  const std::string* trunkKind = FindKnobValue(spec.pbx.knobs, "TrunkKeepaliveKind");
  if (!trunkKind || *trunkKind != "none") packets += Every(2, KnobSeconds(spec.pbx.knobs, "TrunkKeepaliveInterval"));
  packets += Every(4, KnobSeconds(spec.pbx.knobs, "TrunkExpiry") / 2);
  packets += Every(2, KnobSeconds(spec.provider.knobs, "NatKeepaliveInterval"));
  packets += PeakCalls(spec) * kLegsPerCall * 2 * kRtpPacketsPerSecond;
  return packets * kEventsPerPacket;
}

void CheckEventRate(const ScenarioSpec& spec, std::uint64_t limit) {
  const double estimate = EstimateEventsPerSecond(spec);
  if (estimate <= static_cast<double>(limit)) return;
  throw ScenarioError(spec.file + ": scenario " + spec.name + ": about " + std::to_string(std::llround(estimate)) +
                      " simulator events per simulated second is above the limit of " + std::to_string(limit) +
                      " (fewer phones, calls or keepalives, or raise --max-events-per-second)");
}

}  // namespace alglab::scenario
