#include "alg-models/contract/alg-factory.h"

#include "alg-models/contract/alg-model-registry.h"
#include "alg-models/contract/alg-config-error.h"

#include "ns3/object-factory.h"
#include "ns3/string.h"

#include <cstdlib>

namespace alglab::alg {

namespace {

const AlgModelInfo& FindVendor(const std::string& vendor) {
  const AlgModelInfo* info = AlgModelRegistry::Instance().Find(vendor);
  if (info == nullptr) {
    std::string valid;
    for (const std::string& name : AlgModelRegistry::Instance().Names()) {
      valid += (valid.empty() ? "" : ", ") + name;
    }
    throw AlgConfigError("unknown model '" + vendor + "' (valid: " + valid + ")");
  }
  return *info;
}

ns3::TypeId LookupType(const AlgModelInfo& info) {
  ns3::TypeId tid;
  if (!ns3::TypeId::LookupByNameFailSafe(info.typeId, &tid)) {
    throw AlgConfigError("model '" + info.vendor + "': type " + info.typeId +
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

/// ns-3 aborts the process on a malformed number instead of reporting it (Debian's 3.37), so
/// numeric knob text is checked here first: false if `value` is not a whole number of the
/// attribute's kind.
bool PlausibleNumber(const ns3::AttributeChecker& checker, const std::string& value) {
  const std::string type = checker.GetValueTypeName();
  const bool unsignedInt = type == "ns3::UintegerValue";
  const bool signedInt = type == "ns3::IntegerValue";
  const bool real = type == "ns3::DoubleValue";
  if (!unsignedInt && !signedInt && !real) return true;
  if (value.empty() || value.size() > 40) return false;
  if (real) {
    char* end = nullptr;
    std::strtod(value.c_str(), &end);
    return end == value.c_str() + value.size();
  }
  const std::size_t first = signedInt && value[0] == '-' ? 1 : 0;
  return value.size() > first &&
         value.find_first_not_of("0123456789", first) == std::string::npos;
}

}  // namespace

std::string ListKnobs(const std::string& vendor) {
  const AlgModelInfo& info = FindVendor(vendor);
  if (info.typeId.empty()) return "";
  return KnobNames(LookupType(info));
}

ns3::Ptr<nat::AlgHook> CreateAlgHook(const std::string& vendor,
                                     const std::map<std::string, std::string>& knobs) {
  const AlgModelInfo& info = FindVendor(vendor);
  if (info.typeId.empty()) {
    if (!knobs.empty()) {
      throw AlgConfigError("model '" + vendor + "' has no knobs (got '" + knobs.begin()->first +
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
      throw AlgConfigError("model '" + vendor + "' has no knob '" + name +
                        "' (valid: " + KnobNames(tid) + ")");
    }
    const ns3::Ptr<ns3::AttributeValue> parsed =
        PlausibleNumber(*attribute.checker, value)
            ? attribute.checker->CreateValidValue(ns3::StringValue(value))
            : nullptr;
    if (parsed == nullptr) {
      throw AlgConfigError("knob " + name + "='" + value + "' is not a valid value (" +
                        attribute.checker->GetUnderlyingTypeInformation() + ")");
    }
    factory.Set(name, *parsed);
  }
  try {
    return factory.Create<nat::AlgHook>();
  } catch (const std::invalid_argument& e) {
    // Models validate structured text knobs (lists, addresses) in their attribute setters.
    throw AlgConfigError(std::string("bad knob value: ") + e.what());
  }
}

}  // namespace alglab::alg
