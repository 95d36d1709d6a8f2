#ifndef ALGLAB_ALG_MODELS_CONTRACT_ALG_FACTORY_H
#define ALGLAB_ALG_MODELS_CONTRACT_ALG_FACTORY_H

/// \file
/// Creates a vendor's ALG model by name, through the vendor registry and the ns-3 TypeId
/// system, with knobs given as text and set as attributes.

#include "alg-models/contract/alg-model.h"

#include "ns3/ptr.h"

#include <map>
#include <string>

namespace alglab::alg {

/// The model of `vendor` with `knobs` (knob name -> value text) applied. Returns nullptr for
/// a vendor without an ALG ("none"). Throws AlgConfigError for an unknown vendor (listing the
/// vendors), an unknown knob (listing the vendor's knobs) or a value the knob rejects.
ns3::Ptr<AlgModel> CreateAlgModel(const std::string& vendor,
                                  const std::map<std::string, std::string>& knobs);

/// A fresh model of `model`'s TypeId (factory defaults) with `knobs` applied, or nullptr when
/// the type has no registered constructor. Throws AlgConfigError like CreateAlgModel.
ns3::Ptr<AlgModel> RecreateAlgModel(const AlgModel& model,
                                    const std::map<std::string, std::string>& knobs);

/// The knob names of `vendor`, comma-separated ("" for none). Throws AlgConfigError if unknown.
std::string ListKnobs(const std::string& vendor);

}  // namespace alglab::alg

#endif
