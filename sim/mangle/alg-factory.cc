#include "sim/mangle/alg-factory.h"

#include "alg-models/contract/alg-model-registry.h"
#include "sim/mangle/mangle-error.h"

#include "ns3/object-factory.h"
#include "ns3/string.h"

namespace alglab::mangle {

namespace {

const alg::AlgModelInfo& FindVendor(const std::string& vendor) {
  const alg::AlgModelInfo* info = alg::AlgModelRegistry::Instance().Find(vendor);
  if (info == nullptr) {
    std::string valid;
    for (const std::string& name : alg::AlgModelRegistry::Instance().Names()) {
      valid += (valid.empty() ? "" : ", ") + name;
    }
    throw MangleError("unknown model '" + vendor + "' (valid: " + valid + ")");
  }
  return *info;
}

ns3::TypeId LookupType(const alg::AlgModelInfo& info) {
  ns3::TypeId tid;
  if (!ns3::TypeId::LookupByNameFailSafe(info.typeId, &tid)) {
    throw MangleError("model '" + info.vendor + "': type " + info.typeId +
                      " is not linked into this program");
  }
  return tid;
}

/// Own attributes of the model (not those of its ns3::Object ancestors), in declaration order.
std::string KnobNames(ns3::TypeId tid) {
  std::string names;
  for (std::size_t i = 0; i < tid.GetAttributeN(); ++i) {
    names += (names.empty() ? "" : ", ") + tid.GetAttribute(i).name;
  }
  return names;
}

}  // namespace

std::string ListKnobs(const std::string& vendor) {
  const alg::AlgModelInfo& info = FindVendor(vendor);
  if (info.typeId.empty()) return "";
  return KnobNames(LookupType(info));
}

ns3::Ptr<nat::AlgHook> CreateAlgHook(const std::string& vendor,
                                     const std::map<std::string, std::string>& knobs) {
  const alg::AlgModelInfo& info = FindVendor(vendor);
  if (info.typeId.empty()) {
    if (!knobs.empty()) {
      throw MangleError("model '" + vendor + "' has no knobs (got '" + knobs.begin()->first +
                        "')");
    }
    return nullptr;
  }
  const ns3::TypeId tid = LookupType(info);
  ns3::ObjectFactory factory;
  factory.SetTypeId(tid);
  for (const auto& [name, value] : knobs) {
    ns3::TypeId::AttributeInformation attribute;
    if (!tid.LookupAttributeByName(name, &attribute)) {
      throw MangleError("model '" + vendor + "' has no knob '" + name +
                        "' (valid: " + KnobNames(tid) + ")");
    }
    const ns3::Ptr<ns3::AttributeValue> parsed =
        attribute.checker->CreateValidValue(ns3::StringValue(value));
    if (parsed == nullptr) {
      throw MangleError("knob " + name + "='" + value + "' is not a valid value (" +
                        attribute.checker->GetUnderlyingTypeInformation() + ")");
    }
    factory.Set(name, *parsed);
  }
  try {
    return factory.Create<nat::AlgHook>();
  } catch (const std::invalid_argument& e) {
    // Models validate structured text knobs (lists, addresses) in their attribute setters.
    throw MangleError(std::string("bad knob value: ") + e.what());
  }
}

}  // namespace alglab::mangle
