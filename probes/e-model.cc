#include "probes/e-model.h"

#include <algorithm>

namespace alglab::probes {

double RFactor(const EModelInputs& in) {
  constexpr double kR0MinusIs = 93.2;  // G.107 defaults: Ro - Is
  const double d = std::max(0.0, in.oneWayDelayMs);
  const double id = 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0.0);
  const double ppl = std::clamp(in.lossRatio, 0.0, 1.0) * 100.0;
  const double ieEff = in.ie + (95.0 - in.ie) * ppl / (ppl / in.burstRatio + in.bpl);
  return std::clamp(kR0MinusIs - id - ieEff, 0.0, kR0MinusIs);
}

double MosFromR(double r) {
  if (r <= 0.0) return 1.0;
  if (r >= 100.0) return 4.5;
  return 1.0 + 0.035 * r + r * (r - 60.0) * (100.0 - r) * 7e-6;
}

}  // namespace alglab::probes
