#ifndef ALGLAB_ALG_MODELS_CONTRACT_COMPOSED_MODEL_H
#define ALGLAB_ALG_MODELS_CONTRACT_COMPOSED_MODEL_H

/// \file
/// A router model built from a model file (model-file.h): the mechanisms it names, set,
/// connected and placed in its chains, and the vendor's knobs by the vendor's names. Every knob
/// sets the mechanism attributes it is bound to, translating the vendor's words for values
/// ("yes", "enable") into the attributes' own; `tcp_view` is there as in every model. A selector
/// knob (no `sets`) keeps its word in the model, and every mechanism whose `when:` names it is
/// active (Mechanism::Active) only while each selector it names has one of its words. A factory
/// reset rebuilds the model from the same file.

#include "alg-models/contract/alg-model.h"
#include "alg-models/contract/model-file.h"

#include "ns3/ptr.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace alglab::alg {

class ComposedAlgModel : public AlgModel {
 public:
  static ns3::TypeId GetTypeId();

  /// The model `spec` describes, with every knob at its default. Throws ModelFileError naming
  /// the file and line for a type that is not a mechanism, an attribute a mechanism does not
  /// have, a value it refuses, or a connection it cannot make.
  static ns3::Ptr<ComposedAlgModel> Build(std::shared_ptr<const ModelSpec> spec);

  std::string Name() const override { return m_spec->id; }
  std::vector<KnobInfo> Knobs() const override;
  KnobSemantics SemanticsOf(const std::string& name) const override;
  ns3::Ptr<AlgModel> Fresh() const override { return Build(m_spec); }

  const ModelSpec& Spec() const { return *m_spec; }
  /// The knob of the vendor's vocabulary named `name`, or nullptr.
  const VendorKnobSpec* FindKnob(const std::string& name) const;
  /// The mechanism the file named `name`, or nullptr.
  ns3::Ptr<Mechanism> Find(const std::string& name) const;

  /// One router knob this model states: its value as a scenario writes it ("300s") and the
  /// vendor knob that set it ("" for the file's `router:` section).
  struct RouterSetting {
    std::string value;
    std::string knob;
  };
  /// The router's plain NAT as this model states it, by router knob name ("filtering"): the
  /// file's `router:` defaults and the current values of its knobs that set router knobs.
  /// The router applies them where the scenario states nothing (sim/scenario).
  std::map<std::string, RouterSetting> RouterSettings() const;

 protected:
  std::vector<KnobTarget> KnobTargets(const std::string& name) const override;
  /// The mechanisms' names and connections as the file states them.
  std::string Wiring() const override;
  std::string ToAttributeText(const std::string& name, const std::string& value) const override;
  std::string FromAttributeText(const std::string& name, const std::string& text) const override;
  std::string ToTargetText(const std::string& name, const std::string& value,
                           std::size_t index) const override;
  void DoDispose() override;

 private:
  /// The object a knob's `sets` names: a mechanism, or "model" for the model itself.
  ns3::Ptr<ns3::Object> Owner(const std::string& name) const;
  /// Sets every mechanism with a `when:` active or not from the selectors' current words.
  void ApplySelectors();
  std::shared_ptr<const ModelSpec> m_spec;
  std::map<std::string, ns3::Ptr<Mechanism>> m_byName;
  /// The value of each router knob a vendor knob sets ("router.<name>" targets), by name.
  std::map<std::string, ns3::Ptr<ns3::Object>> m_routerValues;
  /// Selector knob -> the object holding its value (attribute "value").
  std::map<std::string, ns3::Ptr<ns3::Object>> m_selectors;
};

}  // namespace alglab::alg

#endif
