#ifndef ALGLAB_ALG_MODELS_CONTRACT_MECHANISMS_EXPECTATION_TIMER_H
#define ALGLAB_ALG_MODELS_CONTRACT_MECHANISMS_EXPECTATION_TIMER_H

/// \file
/// A reusable mechanism: the lifetime every new pinhole (expectation) of a model gets, as one
/// knob `expect_timeout` (nf_conntrack's expectation policy timeout, a vendor's "RTP pinhole
/// timeout"). Nothing restarts it: a pinhole dies at its lifetime (MediaPinholeTimer adds the
/// refresh rules). A model adopts it (AlgModel::Adopt) and asks Lifetime() when it opens a
/// pinhole; it sits at no hook point.

#include "alg-models/contract/mechanism.h"

#include "ns3/nstime.h"

#include <cstdint>
#include <string>

namespace alglab {

class ExpectationTimer : public alg::Mechanism {
 public:
  static ns3::TypeId GetTypeId();

  /// Lifetime of a new pinhole (`expect_timeout`, at least 1 s).
  ns3::Time Lifetime() const { return ns3::Seconds(m_lifetimeSeconds); }
  /// The same in whole seconds.
  std::uint32_t LifetimeSeconds() const { return m_lifetimeSeconds; }

  /// Not in a chain: accepts anything.
  alg::Verdict Process(alg::PacketContext& context) override;
  std::string Name() const override { return "expectation-timer"; }

 private:
  std::uint32_t m_lifetimeSeconds = 180;
};

}  // namespace alglab

#endif
