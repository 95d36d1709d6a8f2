#ifndef ALGLAB_ALG_MODELS_CONTRACT_ALG_FACTORY_H
#define ALGLAB_ALG_MODELS_CONTRACT_ALG_FACTORY_H

/// \file
/// Creates a vendor's ALG hook by name, through the vendor registry and the ns-3 TypeId
/// system, with knobs given as text and set as attributes.

#include "sim/nat/alg-hook.h"

#include "ns3/ptr.h"

#include <map>
#include <string>

namespace alglab::alg {

/// The hook of `vendor` with `knobs` (attribute name -> value text) applied. Returns nullptr for
/// a vendor without an ALG ("none"). Throws AlgConfigError for an unknown vendor (listing the
/// vendors), an unknown knob (listing the vendor's knobs) or a value the knob rejects.
ns3::Ptr<nat::AlgHook> CreateAlgHook(const std::string& vendor,
                                     const std::map<std::string, std::string>& knobs);

/// The knob names of `vendor`, comma-separated ("" for none). Throws AlgConfigError if unknown.
std::string ListKnobs(const std::string& vendor);

}  // namespace alglab::alg

#endif
