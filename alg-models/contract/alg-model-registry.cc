#include "alg-models/contract/alg-model-registry.h"

#include <algorithm>
#include <stdexcept>

namespace alglab::alg {

AlgModelRegistry& AlgModelRegistry::Instance() {
  static AlgModelRegistry registry;  // function-local: safe during static initialisation
  return registry;
}

bool AlgModelRegistry::Register(AlgModelInfo info) {
  if (Find(info.vendor)) throw std::logic_error("ALG model registered twice: " + info.vendor);
  m_models.push_back(std::move(info));
  std::sort(m_models.begin(), m_models.end(),
            [](const AlgModelInfo& a, const AlgModelInfo& b) { return a.vendor < b.vendor; });
  return true;
}

const AlgModelInfo* AlgModelRegistry::Find(const std::string& vendor) const {
  for (const auto& m : m_models)
    if (m.vendor == vendor) return &m;
  return nullptr;
}

std::vector<AlgModelInfo> AlgModelRegistry::All() const { return m_models; }

std::vector<std::string> AlgModelRegistry::Names() const {
  std::vector<std::string> out;
  for (const auto& m : m_models) out.push_back(m.vendor);
  return out;
}

}  // namespace alglab::alg
