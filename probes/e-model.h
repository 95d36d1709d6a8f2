#ifndef ALGLAB_PROBES_E_MODEL_H
#define ALGLAB_PROBES_E_MODEL_H

// The ITU-T G.107 E-model for one direction of a G.711 call, as VoIP monitoring tools use it:
// the transmission rating R from packet loss and one-way delay, and the MOS-CQE estimate
// derived from R (G.107 Annex B).
//
// With every other parameter at its G.107 default, R = 93.2 - Id - Ie,eff, where
//   Id      = 0.024 d + 0.11 (d - 177.3) H(d - 177.3)   (d: mouth-to-ear delay in ms; the
//             usual simplification of G.107's Idd/Idte/Idle for echo-free links),
//   Ie,eff  = Ie + (95 - Ie) Ppl / (Ppl / BurstR + Bpl) (Ppl: loss in percent),
// with G.711's Ie = 0 and Bpl = 25.1 (with packet loss concealment, G.113 Appendix I) and
// BurstR = 1 (random loss).

namespace alglab::probes {

struct EModelInputs {
  double lossRatio = 0.0;      ///< packets lost / expected
  double oneWayDelayMs = 0.0;  ///< mouth-to-ear delay
  double ie = 0.0;             ///< equipment impairment of the codec (G.711: 0)
  double bpl = 25.1;           ///< packet-loss robustness (G.711 with PLC: 25.1)
  double burstRatio = 1.0;     ///< 1 = random loss
};

/// The rating R, 0 to 93.2 (higher is better; 70 is "some users dissatisfied").
double RFactor(const EModelInputs& inputs);
/// MOS-CQE from R: 1 below R = 0, 4.5 above R = 100, G.107 B-4 in between.
double MosFromR(double r);

}  // namespace alglab::probes

#endif
