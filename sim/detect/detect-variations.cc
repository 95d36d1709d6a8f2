#include "sim/detect/detect-variations.h"

#include "alg-models/contract/alg-factory.h"
#include "alg-models/contract/alg-model-registry.h"
#include "alg-models/contract/composed-model.h"

#include <cctype>

namespace alglab::detect {

namespace {

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool NamesATimer(const std::string& text) {
  const std::string lower = Lower(text);
  for (const char* word : {"timeout", "ttl", "timer", "expire"})
    if (lower.find(word) != std::string::npos) return true;
  return false;
}

bool IsTimerKnob(const alg::VendorKnobSpec& knob) {
  if (NamesATimer(knob.name)) return true;
  for (const auto& [mechanism, attribute] : knob.sets)
    if (NamesATimer(attribute)) return true;
  return false;
}

/// A whole number of at least 2 (so half of it is still a timer), or 0.
unsigned long WholeNumber(const std::string& text) {
  if (text.empty() || text.size() > 9) return 0;
  for (char c : text)
    if (!std::isdigit(static_cast<unsigned char>(c))) return 0;
  const unsigned long n = std::stoul(text);
  return n >= 2 ? n : 0;
}

/// A vendor knob as a scenario override; vendor knob names may contain spaces, which the
/// override syntax keeps (everything before the first '=' is the key).
std::string AlgSet(const std::string& knob, const std::string& value) { return "router.alg." + knob + "=" + value; }

}  // namespace

std::vector<std::string> DefaultDetectVendors() {
  std::vector<std::string> vendors;
  for (const alg::AlgModelInfo& info : alg::AlgModelRegistry::Instance().All())
    if (!info.example) vendors.push_back(info.vendor);
  return vendors;
}

std::vector<DetectVariant> DetectVariants(const std::vector<std::string>& vendors, bool plainNat) {
  std::vector<DetectVariant> variants;
  for (const std::string& vendor : vendors) {
    variants.push_back({vendor, {}, "defaults", false});
    if (vendor == "none") continue;  // plain NAT's variations come below
    auto composed = ns3::DynamicCast<alg::ComposedAlgModel>(alg::CreateAlgModel(vendor, {}));
    if (!composed) continue;
    std::size_t n = 0;
    const auto add = [&](const std::string& knob, const std::string& value) {
      variants.push_back({vendor, {AlgSet(knob, value)}, knob + "=" + value, n++ % 2 == 1});
    };
    for (const alg::VendorKnobSpec& knob : composed->Spec().knobs) {
      const std::string def = knob.defaultValue.value_or("");
      if (!knob.values.empty() || !knob.targetValues.empty()) {
        // Both maps are sorted by word: a fixed order.
        for (const auto& [word, text] : knob.values)
          if (word != def) add(knob.name, word);
        for (const auto& [word, texts] : knob.targetValues)
          if (word != def && !knob.values.count(word)) add(knob.name, word);
      } else if (IsTimerKnob(knob)) {
        if (const unsigned long seconds = WholeNumber(def)) {
          add(knob.name, std::to_string(seconds / 2));
          add(knob.name, std::to_string(seconds * 2));
        }
      }
    }
  }
  if (plainNat) {
    static const char* const kBehaviours[] = {"endpoint-independent", "address-dependent", "address-port-dependent"};
    std::size_t n = 0;
    for (const char* mapping : kBehaviours)
      for (const char* filtering : kBehaviours)
        variants.push_back({"none",
                            {std::string("router.mapping=") + mapping, std::string("router.filtering=") + filtering},
                            std::string("mapping=") + mapping + ",filtering=" + filtering, n++ % 2 == 1});
  }
  return variants;
}

std::vector<std::pair<std::string, std::string>> VendorKnobsOf(const DetectVariant& variant) {
  std::vector<std::pair<std::string, std::string>> knobs;
  const std::string prefix = "router.alg.";
  for (const std::string& set : variant.sets) {
    if (set.rfind(prefix, 0) != 0) continue;
    const auto eq = set.find('=');
    knobs.emplace_back(set.substr(prefix.size(), eq - prefix.size()), set.substr(eq + 1));
  }
  return knobs;
}

}  // namespace alglab::detect
