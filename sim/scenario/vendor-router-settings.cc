#include "sim/scenario/vendor-router-settings.h"

#include "alg-models/contract/composed-model.h"
#include "alg-models/contract/model-file.h"
#include "sim/scenario/scenario-error.h"

#include <map>

namespace alglab::scenario {
namespace {

/// What a model file may name after `router.` or in `router:`: the router rows of the table.
std::string CheckModelRouterKnob(const std::string& name, const std::string* value) {
  const KnobDef* knob = FindKnob("router." + name);
  if (knob == nullptr || knob->target != KnobTarget::Router) {
    std::string valid;
    for (const KnobDef* k : KnobsIn("router")) valid += (valid.empty() ? "" : ", ") + std::string(k->leaf);
    return "unknown router knob '" + name + "' (valid: " + valid + ")";
  }
  if (value == nullptr) return "";
  const KnobCheck check = CheckKnobValue(*knob, *value);
  return check.value ? "" : check.error;
}

const bool g_checkInstalled = [] {
  alg::SetRouterKnobCheck(&CheckModelRouterKnob);
  return true;
}();

/// --set outranks the scenario file.
int Rank(const std::string& origin) { return origin.rfind("--set ", 0) == 0 ? 2 : 1; }

}  // namespace

std::vector<VendorRouterSetting> VendorRouterSettings(const alg::AlgModel* model) {
  (void)g_checkInstalled;
  std::vector<VendorRouterSetting> out;
  const auto* composed = dynamic_cast<const alg::ComposedAlgModel*>(model);
  if (composed == nullptr) return out;
  const auto settings = composed->RouterSettings();
  for (const KnobDef* knob : KnobsIn("router")) {
    const auto it = settings.find(knob->leaf);
    if (it == settings.end()) continue;
    const KnobCheck check = CheckKnobValue(*knob, it->second.value);
    if (!check.value) {
      throw ScenarioError(composed->Spec().file + ": router." + knob->leaf + ": " + check.error);
    }
    out.push_back({knob, *check.value, it->second.knob});
  }
  return out;
}

KnobSettings ResolveRouterKnobs(const RouterSpec& router, const alg::AlgModel* model,
                                std::vector<EffectiveRouterKnob>& effective) {
  KnobSettings knobs = router.knobs;
  std::map<std::string, EffectiveRouterKnob> byLeaf;
  for (const KnobDef* knob : KnobsIn("router")) {
    const auto stated = router.stated.find(knob->leaf);
    byLeaf[knob->leaf] = stated == router.stated.end() ? EffectiveRouterKnob{knob, knob->defaultText, "default"}
                                                        : EffectiveRouterKnob{knob, stated->second.text, "scenario"};
  }
  for (const VendorRouterSetting& s : VendorRouterSettings(model)) {
    const std::string leaf = s.knob->leaf;
    const auto stated = router.stated.find(leaf);
    const auto algOrigin = s.vendorKnob.empty() ? router.algOrigin.end() : router.algOrigin.find(s.vendorKnob);
    if (algOrigin == router.algOrigin.end()) {
      // The vendor's default: only where the scenario states nothing.
      if (stated != router.stated.end()) continue;
      byLeaf[leaf] = {s.knob, s.value.text, s.vendorKnob.empty() ? "vendor" : "vendor knob '" + s.vendorKnob + "'"};
    } else if (stated != router.stated.end()) {
      // The scenario states it twice: as router.<leaf> and through router.alg.<knob>.
      const int algRank = Rank(algOrigin->second), statedRank = Rank(stated->second.origin);
      if (algRank == statedRank) {
        throw ScenarioError(algOrigin->second + ": router.alg." + s.vendorKnob + " sets router." + leaf + ", which " +
                            stated->second.origin + " states too (state one of them)");
      }
      if (algRank < statedRank) continue;
      byLeaf[leaf] = {s.knob, s.value.text, "router.alg." + s.vendorKnob};
    } else {
      byLeaf[leaf] = {s.knob, s.value.text, "router.alg." + s.vendorKnob};
    }
    SetKnob(knobs, s.knob->attribute, s.value.attributeText);
  }
  effective.clear();
  for (const KnobDef* knob : KnobsIn("router")) effective.push_back(byLeaf.at(knob->leaf));
  return knobs;
}

std::vector<std::pair<std::string, std::string>> RouterChangesOf(const alg::AlgModel& model,
                                                                 const std::string& vendorKnob) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const VendorRouterSetting& s : VendorRouterSettings(&model)) {
    if (s.vendorKnob == vendorKnob) out.emplace_back(s.knob->attribute, s.value.attributeText);
  }
  return out;
}

}  // namespace alglab::scenario
