#include "alg-models/contract/alg-factory.h"

#include "alg-models/contract/alg-config-error.h"
#include "alg-models/contract/alg-model-registry.h"

#include "ns3/object-factory.h"

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
  if (!ns3::TypeId::LookupByNameFailSafe(info.typeId, &tid) ||
      !tid.IsChildOf(AlgModel::GetTypeId()) || !tid.HasConstructor()) {
    throw AlgConfigError("model '" + info.vendor + "': type " + info.typeId +
                         " is not a constructible AlgModel linked into this program");
  }
  return tid;
}

ns3::Ptr<AlgModel> Build(const AlgModelInfo& info, const std::map<std::string, std::string>& knobs) {
  ns3::Ptr<AlgModel> model;
  if (info.create) {
    model = info.create();
  } else {
    ns3::ObjectFactory factory;
    factory.SetTypeId(LookupType(info));
    model = factory.Create<AlgModel>();
  }
  for (const auto& [name, value] : knobs) model->SetKnob(name, value);
  return model;
}

}  // namespace

std::string ListKnobs(const std::string& vendor) {
  const AlgModelInfo& info = FindVendor(vendor);
  if (info.typeId.empty() && !info.create) return "";
  const ns3::Ptr<AlgModel> model = Build(info, {});
  std::string names;
  for (const KnobInfo& k : model->Knobs()) names += (names.empty() ? "" : ", ") + k.name;
  return names;
}

ns3::Ptr<AlgModel> CreateAlgModel(const std::string& vendor,
                                  const std::map<std::string, std::string>& knobs) {
  const AlgModelInfo& info = FindVendor(vendor);
  if (info.typeId.empty() && !info.create) {
    if (!knobs.empty()) {
      throw AlgConfigError("model '" + vendor + "' has no knobs (got '" + knobs.begin()->first +
                           "')");
    }
    return nullptr;
  }
  return Build(info, knobs);
}

ns3::Ptr<AlgModel> RecreateAlgModel(const AlgModel& model,
                                    const std::map<std::string, std::string>& knobs) {
  const ns3::Ptr<AlgModel> fresh = model.Fresh();
  if (fresh == nullptr) return nullptr;
  for (const auto& [name, value] : knobs) fresh->SetKnob(name, value);
  return fresh;
}

}  // namespace alglab::alg
