#include "alg-models/contract/composed-model.h"

#include "alg-models/contract/alg-config-error.h"

#include "ns3/object-factory.h"
#include "ns3/string.h"

#include <functional>

namespace alglab::alg {

namespace {

/// Where a selector knob keeps its value: one string attribute, so the knob machinery
/// (SetKnob, GetKnob, running/saved/factory configurations) treats it like any other knob. A
/// change tells the model, which re-applies every `when:`.
class SelectorValue : public ns3::Object {
 public:
  static ns3::TypeId GetTypeId() {
    static ns3::TypeId tid =
        ns3::TypeId("alglab::alg::SelectorValue")
            .SetParent<ns3::Object>()
            .SetGroupName("Alglab")
            .AddConstructor<SelectorValue>()
            .AddAttribute("value", "The selector knob's value (attribute text of one of its words).",
                          ns3::StringValue(""),
                          ns3::MakeStringAccessor(&SelectorValue::Set, &SelectorValue::Get),
                          ns3::MakeStringChecker());
    return tid;
  }
  std::string Get() const { return m_value; }
  void Set(std::string value) {
    m_value = std::move(value);
    if (m_changed) m_changed();
  }
  void OnChange(std::function<void()> changed) { m_changed = std::move(changed); }

 private:
  std::string m_value;
  std::function<void()> m_changed;
};

NS_OBJECT_ENSURE_REGISTERED(SelectorValue);

}  // namespace

NS_OBJECT_ENSURE_REGISTERED(ComposedAlgModel);

namespace {

/// The value of one router knob a vendor knob sets, as a scenario writes it ("" = not set):
/// the router is not the model's to change, so the model keeps the value and the scenario
/// layer hands it to the router (ComposedAlgModel::RouterSettings).
class RouterKnobValue : public ns3::Object {
 public:
  static ns3::TypeId GetTypeId() {
    static ns3::TypeId tid = ns3::TypeId("alglab::alg::RouterKnobValue")
                                 .SetParent<ns3::Object>()
                                 .SetGroupName("Alglab")
                                 .AddConstructor<RouterKnobValue>()
                                 .AddAttribute("Value", "the router knob's value as a scenario writes it",
                                               ns3::StringValue(""),
                                               ns3::MakeStringAccessor(&RouterKnobValue::m_value),
                                               ns3::MakeStringChecker());
    return tid;
  }
  std::string Get() const { return m_value; }

 private:
  std::string m_value;
};

NS_OBJECT_ENSURE_REGISTERED(RouterKnobValue);

constexpr const char* kRouter = "router";

}  // namespace

ns3::TypeId ComposedAlgModel::GetTypeId() {
  // No constructor: a composed model only exists built from its file.
  static ns3::TypeId tid =
      ns3::TypeId("alglab::alg::ComposedAlgModel").SetParent<AlgModel>().SetGroupName("Alglab");
  return tid;
}

namespace {

[[noreturn]] void Fail(const std::string& file, std::size_t line, const std::string& what) {
  throw ModelFileError(file + (line > 0 ? ":" + std::to_string(line) : "") + ": " + what);
}

/// The mechanism type `name` names ("SipDropPolicy" or "alglab::SipDropPolicy").
ns3::TypeId MechanismType(const ModelSpec& spec, const MechanismSpec& m) {
  ns3::TypeId tid;
  const bool found = ns3::TypeId::LookupByNameFailSafe(m.type, &tid) ||
                     ns3::TypeId::LookupByNameFailSafe("alglab::" + m.type, &tid);
  if (!found || !tid.IsChildOf(Mechanism::GetTypeId()) || !tid.HasConstructor()) {
    Fail(m.file, m.line, "mechanism '" + m.name + "': '" + m.type + "' is not a mechanism type");
  }
  return tid;
}

}  // namespace

ns3::Ptr<ComposedAlgModel> ComposedAlgModel::Build(std::shared_ptr<const ModelSpec> spec) {
  ns3::Ptr<ComposedAlgModel> model = ns3::CreateObject<ComposedAlgModel>();
  model->m_spec = spec;
  for (const MechanismSpec& m : spec->mechanisms) {
    ns3::ObjectFactory factory;
    factory.SetTypeId(MechanismType(*spec, m));
    const ns3::Ptr<Mechanism> mechanism = factory.Create<Mechanism>();
    mechanism->SetLabel(m.name);
    model->m_byName[m.name] = mechanism;
    if (m.at.empty()) model->Adopt(mechanism);
    for (HookPoint point : m.at) model->Attach(point, m.priority, mechanism);
  }
  for (const MechanismSpec& m : spec->mechanisms) {
    const ns3::Ptr<Mechanism> mechanism = model->m_byName.at(m.name);
    for (const auto& [attribute, value] : m.set) {
      ns3::TypeId::AttributeInformation info;
      if (!mechanism->GetInstanceTypeId().LookupAttributeByName(attribute, &info)) {
        Fail(m.file, m.line, "mechanism '" + m.name + "' (" + m.type + ") has no attribute '" + attribute + "'");
      }
      try {
        if (!mechanism->SetAttributeFailSafe(attribute, ns3::StringValue(value))) {
          Fail(m.file, m.line, "mechanism '" + m.name + "': " + attribute + "='" + value + "' is not a valid value (" +
                                   info.checker->GetUnderlyingTypeInformation() + ")");
        }
      } catch (const std::invalid_argument& e) {
        Fail(m.file, m.line, "mechanism '" + m.name + "': " + e.what());
      }
    }
    for (const auto& [role, other] : m.connect) {
      if (!mechanism->Connect(role, model->m_byName.at(other))) {
        Fail(m.file, m.line, "mechanism '" + m.name + "' cannot take '" + other + "' as its " + role);
      }
    }
  }
  model->SetTcpView(spec->tcpView == "message" ? TcpView::Message : TcpView::Segment);
  for (const VendorKnobSpec& k : spec->knobs) {
    if (!k.IsSelector()) continue;
    const ns3::Ptr<SelectorValue> selector = ns3::CreateObject<SelectorValue>();
    ComposedAlgModel* raw = ns3::PeekPointer(model);
    selector->OnChange([raw]() { raw->ApplySelectors(); });
    model->m_selectors[k.name] = selector;
  }
  model->ApplySelectors();
  for (const VendorKnobSpec& k : spec->knobs) {
    for (const auto& [mechanism, attribute] : k.sets) {
      if (mechanism == kRouter) {
        // The file check (model-file.cc) has named it a router knob.
        if (model->m_routerValues.count(attribute) == 0) {
          model->m_routerValues[attribute] = ns3::CreateObject<RouterKnobValue>();
        }
        continue;
      }
      ns3::TypeId::AttributeInformation info;
      if (!model->Owner(mechanism)->GetInstanceTypeId().LookupAttributeByName(attribute, &info)) {
        Fail(spec->file, k.line, "knob '" + k.name + "': mechanism '" + mechanism + "' has no attribute '" + attribute + "'");
      }
    }
    if (k.defaultValue) {
      try {
        model->SetKnob(k.name, *k.defaultValue);
      } catch (const AlgConfigError& e) {
        Fail(spec->file, k.line, std::string("default of knob '") + k.name + "': " + e.what());
      }
    }
  }
  return model;
}

const VendorKnobSpec* ComposedAlgModel::FindKnob(const std::string& name) const {
  for (const VendorKnobSpec& k : m_spec->knobs) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

ns3::Ptr<ns3::Object> ComposedAlgModel::Owner(const std::string& name) const {
  if (name == "model") return ns3::Ptr<ns3::Object>(const_cast<ComposedAlgModel*>(this));
  return m_byName.at(name);
}

ns3::Ptr<Mechanism> ComposedAlgModel::Find(const std::string& name) const {
  const auto it = m_byName.find(name);
  return it == m_byName.end() ? nullptr : it->second;
}

std::map<std::string, ComposedAlgModel::RouterSetting> ComposedAlgModel::RouterSettings() const {
  std::map<std::string, RouterSetting> out;
  for (const RouterDefaultSpec& d : m_spec->router) out[d.name] = {d.value, ""};
  for (const VendorKnobSpec& k : m_spec->knobs) {
    for (const auto& [owner, name] : k.sets) {
      if (owner != kRouter) continue;
      const std::string value = ns3::DynamicCast<RouterKnobValue>(m_routerValues.at(name))->Get();
      if (!value.empty()) out[name] = {value, k.name};
    }
  }
  return out;
}

std::vector<KnobInfo> ComposedAlgModel::Knobs() const {
  std::vector<KnobInfo> out;
  for (const VendorKnobSpec& k : m_spec->knobs) {
    out.push_back({k.name, k.help + (k.help.empty() ? "" : " ") + "[" + k.confidence + "]", SemanticsOf(k.name)});
  }
  for (const KnobInfo& base : AlgModel::Knobs()) {
    if (base.name == "tcp_view") out.push_back(base);
  }
  return out;
}

void ComposedAlgModel::ApplySelectors() {
  for (const MechanismSpec& m : m_spec->mechanisms) {
    if (m.when.empty()) continue;
    bool active = true;
    for (const auto& [knob, words] : m.when) {
      const auto selector = m_selectors.find(knob);
      if (selector == m_selectors.end()) {
        active = false;
        break;
      }
      const std::string value = static_cast<SelectorValue&>(*selector->second).Get();
      bool any = false;
      for (const std::string& word : words) any = any || ToAttributeText(knob, word) == value;
      active = active && any;
    }
    m_byName.at(m.name)->SetActive(active);
  }
}

std::vector<KnobTarget> ComposedAlgModel::KnobTargets(const std::string& name) const {
  if (name == "tcp_view") return AlgModel::KnobTargets(name);
  const VendorKnobSpec* knob = FindKnob(name);
  std::vector<KnobTarget> targets;
  if (knob == nullptr) return targets;
  if (knob->IsSelector()) {
    const auto selector = m_selectors.find(name);
    if (selector != m_selectors.end()) targets.push_back({selector->second, "value"});
    return targets;
  }
  for (const auto& [mechanism, attribute] : knob->sets) {
    if (mechanism == kRouter) {
      targets.push_back({m_routerValues.at(attribute), "Value"});
    } else {
      targets.push_back({Owner(mechanism), attribute});
    }
  }
  return targets;
}

KnobSemantics ComposedAlgModel::SemanticsOf(const std::string& name) const {
  const VendorKnobSpec* knob = FindKnob(name);
  if (knob == nullptr) return AlgModel::SemanticsOf(name);
  if (knob->semantics) return *knob->semantics;
  if (knob->IsSelector()) return KnobSemantics::Immediate;
  // The first bound attribute's own declared semantics.
  const auto& [mechanism, attribute] = knob->sets.front();
  if (mechanism == kRouter) return KnobSemantics::Immediate;  // the router applies its own
  if (mechanism == "model") return AlgModel::SemanticsOf(attribute);
  const KnobSemanticsTable table = m_byName.at(mechanism)->KnobSemanticsDeclared();
  const auto it = table.find(attribute);
  return it == table.end() ? KnobSemantics::Immediate : it->second;
}

std::string ComposedAlgModel::ToAttributeText(const std::string& name, const std::string& value) const {
  const VendorKnobSpec* knob = FindKnob(name);
  if (knob == nullptr || knob->values.empty()) return value;
  const auto it = knob->values.find(value);
  if (it != knob->values.end()) return it->second;
  std::string valid;
  for (const auto& [word, text] : knob->values) valid += (valid.empty() ? "" : ", ") + word;
  throw AlgConfigError("knob " + name + "='" + value + "' is not a valid value (valid: " + valid + ")");
}

std::string ComposedAlgModel::ToTargetText(const std::string& name, const std::string& value,
                                           std::size_t index) const {
  const VendorKnobSpec* knob = FindKnob(name);
  if (knob == nullptr || knob->targetValues.empty()) return ToAttributeText(name, value);
  const auto it = knob->targetValues.find(value);
  if (it != knob->targetValues.end()) return it->second.at(index);
  std::string valid;
  for (const auto& [word, texts] : knob->targetValues) valid += (valid.empty() ? "" : ", ") + word;
  throw AlgConfigError("knob " + name + "='" + value + "' is not a valid value (valid: " + valid + ")");
}

std::string ComposedAlgModel::FromAttributeText(const std::string& name, const std::string& text) const {
  const VendorKnobSpec* knob = FindKnob(name);
  if (knob == nullptr) return text;
  for (const auto& [word, texts] : knob->targetValues) {
    if (texts.front() == text) return word;
  }
  for (const auto& [word, attributeText] : knob->values) {
    if (attributeText == text) return word;
  }
  return text;
}

void ComposedAlgModel::DoDispose() {
  for (const auto& [name, selector] : m_selectors) static_cast<SelectorValue&>(*selector).OnChange({});
  m_selectors.clear();
  m_byName.clear();
  m_routerValues.clear();
  AlgModel::DoDispose();
}

std::string ComposedAlgModel::Wiring() const {
  std::string out = "file";
  for (const MechanismSpec& m : m_spec->mechanisms) {
    out += "|" + m.name + ":" + m.type;
    for (const auto& [role, other] : m.connect) out += " " + role + "=" + other;
  }
  return out;
}

}  // namespace alglab::alg
