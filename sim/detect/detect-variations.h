#ifndef ALGLAB_DETECT_DETECT_VARIATIONS_H
#define ALGLAB_DETECT_DETECT_VARIATIONS_H

/// \file
/// The router configurations the detector is measured on, derived from the models themselves:
///
/// - every model's defaults;
/// - for a model file's knobs, one at a time: each value of a knob with `values:` other than
///   its default, and for a timer knob (a knob whose name or target attribute names a timeout,
///   ttl or timer, with a whole-number default) half and double its default;
/// - plain NAT (vendor none) with every RFC 4787 mapping x filtering behaviour.
///
/// Code models (no model file) contribute their defaults only. Each list is split
/// deterministically into tuning and held-out configurations: a model's defaults are tuning
/// (they name its family), then its other configurations alternate, in model-file order,
/// tuning, held out, tuning, ... The ranking's references are made from tuning configurations
/// only; accuracy is reported for both halves.

#include <string>
#include <vector>

namespace alglab::detect {

struct DetectVariant {
  std::string vendor;
  std::vector<std::string> sets;  ///< scenario overrides, as --set takes them ("router.alg.ports=5061")
  std::string label;              ///< "defaults", "sip-timeout=1800", "mapping=...,filtering=..."
  bool heldOut = false;
};

/// Every configuration above for `vendors` (in their order), plus plain NAT when `plainNat`.
/// Throws alg::AlgConfigError for an unknown vendor.
std::vector<DetectVariant> DetectVariants(const std::vector<std::string>& vendors, bool plainNat);

/// The vendors the accuracy run covers by default: every model but the teaching examples.
std::vector<std::string> DefaultDetectVendors();

/// The vendor knobs (name -> value) a variant sets, for TruthOf (router.alg.* of its sets).
std::vector<std::pair<std::string, std::string>> VendorKnobsOf(const DetectVariant& variant);

}  // namespace alglab::detect

#endif
