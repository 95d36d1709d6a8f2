#include "alg-models/contract/alg-model.h"

#include "alg-models/contract/alg-config-error.h"

#include "ns3/enum.h"
#include "ns3/object-factory.h"
#include "ns3/string.h"

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace alglab::alg {

NS_OBJECT_ENSURE_REGISTERED(AlgModel);

namespace {

/// Attributes an object declares (its knobs): a model's own and those every model has
/// (AlgModel's), a mechanism's below the Mechanism base; most derived first.
std::vector<ns3::TypeId::AttributeInformation> OwnAttributes(const ns3::Object& object) {
  std::vector<ns3::TypeId::AttributeInformation> out;
  for (ns3::TypeId tid = object.GetInstanceTypeId();
       tid != Mechanism::GetTypeId() && tid != ns3::Object::GetTypeId() && tid != tid.GetParent();
       tid = tid.GetParent()) {
    for (std::size_t i = 0; i < tid.GetAttributeN(); ++i) out.push_back(tid.GetAttribute(i));
  }
  return out;
}

bool FindAttribute(const ns3::Object& object, const std::string& name,
                   ns3::TypeId::AttributeInformation& found) {
  for (const auto& a : OwnAttributes(object)) {
    if (a.name == name) {
      found = a;
      return true;
    }
  }
  return false;
}

/// ns-3 aborts the process on a malformed number instead of reporting it (Debian's 3.37), so
/// numeric knob text is checked here first: false if `value` is not a number of the
/// attribute's kind.
bool PlausibleNumber(const ns3::AttributeChecker& checker, const std::string& value) {
  const std::string type = checker.GetValueTypeName();
  const bool unsignedInt = type == "ns3::UintegerValue";
  const bool signedInt = type == "ns3::IntegerValue";
  const bool real = type == "ns3::DoubleValue";
  if (type == "ns3::TimeValue") {
    static const std::regex kTime(R"([+]?[0-9]+(\.[0-9]+)?(e[+-]?[0-9]+)?(s|ms|us|ns|min|h|d))");
    return value.size() < 40 && std::regex_match(value, kTime);
  }
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

ns3::TypeId AlgModel::GetTypeId() {
  static ns3::TypeId tid =
      ns3::TypeId("alglab::alg::AlgModel")
          .SetParent<ns3::Object>()
          .SetGroupName("Alglab")
          .AddAttribute("tcp_view",
                        "What the chains see of SIP over TCP: each segment as it arrives "
                        "(segment: Linux's helper, which gives up on a segment that ends inside a "
                        "message), or whole messages (message: the router holds a message's "
                        "segments until it is complete, as TCP-normalising firewalls do).",
                        ns3::EnumValue(static_cast<int>(TcpView::Segment)),
                        ns3::MakeEnumAccessor(&AlgModel::SetTcpViewAttribute,
                                              &AlgModel::GetTcpViewAttribute),
                        ns3::MakeEnumChecker(static_cast<int>(TcpView::Segment), "segment",
                                             static_cast<int>(TcpView::Message), "message"));
  return tid;
}

AlgModel::~AlgModel() = default;

void AlgModel::Attach(HookPoint point, int priority, ns3::Ptr<Mechanism> mechanism) {
  std::vector<Link>& chain = m_chains[Index(point)];
  // Insert after every link of the same or a lower priority: stable, attach order for ties.
  const auto at = std::upper_bound(chain.begin(), chain.end(), priority,
                                   [](int p, const Link& l) { return p < l.priority; });
  chain.insert(at, Link{priority, mechanism});
  if (std::find(m_mechanisms.begin(), m_mechanisms.end(), mechanism) == m_mechanisms.end()) {
    m_mechanisms.push_back(mechanism);
  }
}

void AlgModel::Adopt(ns3::Ptr<Mechanism> mechanism) {
  if (std::find(m_mechanisms.begin(), m_mechanisms.end(), mechanism) == m_mechanisms.end()) {
    m_mechanisms.push_back(mechanism);
  }
}

Verdict AlgModel::Run(PacketContext& context) {
  for (const Link& link : m_chains[Index(context.point)]) {
    if (!link.mechanism->Active()) continue;
    context.SetActing(&link.mechanism->Label());
    const Verdict verdict = link.mechanism->Process(context);
    if (!verdict.IsAccept()) {
      context.decidedBy = &link.mechanism->Label();
      context.SetActing(nullptr);
      return verdict;
    }
  }
  context.SetActing(nullptr);
  return Verdict::Accept();
}

std::vector<ns3::Ptr<Mechanism>> AlgModel::Chain(HookPoint point) const {
  std::vector<ns3::Ptr<Mechanism>> out;
  for (const Link& link : m_chains[Index(point)]) out.push_back(link.mechanism);
  return out;
}

void AlgModel::Bind(const RouterServices& services) {
  for (const auto& m : m_mechanisms) m->Bind(services);
}

void AlgModel::NotifyMappingRemoved(const nat::Mapping& mapping, nat::NatTable& nat) {
  for (const auto& m : m_mechanisms) m->OnMappingRemoved(mapping, nat);
}

void AlgModel::NotifyFlush() {
  for (const auto& m : m_mechanisms) m->OnFlush();
}

void AlgModel::NotifyRouterReboot() {
  for (const auto& m : m_mechanisms) m->OnRouterReboot();
}

KnobSemanticsTable AlgModel::KnobSemanticsDeclared() const { return {}; }

std::string AlgModel::Wiring() const { return "code:" + GetInstanceTypeId().GetName(); }

namespace {

/// "name=value;" for every readable attribute of `object`, its TypeId's parents' included.
void AppendAttributes(std::ostringstream& out, const ns3::Ptr<ns3::Object>& object) {
  ns3::TypeId tid = object->GetInstanceTypeId();
  for (;;) {
    for (std::uint32_t i = 0; i < tid.GetAttributeN(); ++i) {
      const ns3::TypeId::AttributeInformation info = tid.GetAttribute(i);
      if ((info.flags & ns3::TypeId::ATTR_GET) == 0 || !info.accessor->HasGetter()) continue;
      const ns3::Ptr<ns3::AttributeValue> value = info.checker->Create();
      if (!info.accessor->Get(ns3::PeekPointer(object), *value)) continue;
      out << info.name << "=" << value->SerializeToString(info.checker) << ";";
    }
    const ns3::TypeId parent = tid.GetParent();
    if (parent == tid) break;
    tid = parent;
  }
}

}  // namespace

std::string AlgModel::BehaviourFingerprint() const {
  std::ostringstream out;
  out << Wiring() << "\ntcp_view=" << static_cast<int>(m_tcpView) << "\nmodel:";
  AppendAttributes(out, ns3::Ptr<ns3::Object>(const_cast<AlgModel*>(this)));
  for (std::size_t i = 0; i < m_mechanisms.size(); ++i) {
    const ns3::Ptr<Mechanism>& m = m_mechanisms[i];
    out << "\nmechanism " << i << " " << m->GetInstanceTypeId().GetName() << " " << m->Label()
        << (m->Active() ? " active " : " inactive ");
    AppendAttributes(out, m);
  }
  for (std::size_t p = 0; p < m_chains.size(); ++p) {
    out << "\nchain " << p << ":";
    for (const Link& link : m_chains[p]) {
      const auto at = std::find(m_mechanisms.begin(), m_mechanisms.end(), link.mechanism);
      out << " " << (at - m_mechanisms.begin()) << "@" << link.priority;
    }
  }
  return out.str();
}

std::vector<ns3::Ptr<ns3::Object>> AlgModel::KnobOwners() const {
  std::vector<ns3::Ptr<ns3::Object>> owners;
  owners.push_back(ns3::Ptr<ns3::Object>(const_cast<AlgModel*>(this)));
  for (const auto& m : m_mechanisms) owners.push_back(m);
  return owners;
}

std::vector<KnobInfo> AlgModel::Knobs() const {
  std::vector<KnobInfo> out;
  for (const auto& owner : KnobOwners()) {
    for (const auto& a : OwnAttributes(*owner)) {
      const bool seen = std::any_of(out.begin(), out.end(),
                                    [&](const KnobInfo& k) { return k.name == a.name; });
      if (!seen) out.push_back(KnobInfo{a.name, a.help, SemanticsOf(a.name)});
    }
  }
  // The knobs every model has (tcp_view) after the vendor's own.
  const ns3::TypeId base = AlgModel::GetTypeId();
  std::stable_partition(out.begin(), out.end(), [&](const KnobInfo& k) {
    ns3::TypeId::AttributeInformation info;
    return !base.LookupAttributeByName(k.name, &info);
  });
  return out;
}

std::vector<KnobTarget> AlgModel::KnobTargets(const std::string& name) const {
  std::vector<KnobTarget> targets;
  ns3::TypeId::AttributeInformation info;
  for (const auto& owner : KnobOwners()) {
    if (FindAttribute(*owner, name, info)) targets.push_back({owner, name});
  }
  return targets;
}

std::string AlgModel::ToAttributeText(const std::string&, const std::string& value) const {
  return value;
}

std::string AlgModel::FromAttributeText(const std::string&, const std::string& text) const {
  return text;
}

std::string AlgModel::ToTargetText(const std::string& name, const std::string& value,
                                   std::size_t) const {
  return ToAttributeText(name, value);
}

bool AlgModel::HasKnob(const std::string& name) const { return !KnobTargets(name).empty(); }

namespace {

/// The attribute information of `target` (its owner has the attribute by construction).
ns3::TypeId::AttributeInformation InfoOf(const KnobTarget& target) {
  ns3::TypeId::AttributeInformation info;
  target.owner->GetInstanceTypeId().LookupAttributeByName(target.attribute, &info);
  return info;
}

}  // namespace

void AlgModel::SetKnob(const std::string& name, const std::string& value) {
  const std::vector<KnobTarget> targets = KnobTargets(name);
  if (targets.empty()) {
    std::string valid;
    for (const KnobInfo& k : Knobs()) valid += (valid.empty() ? "" : ", ") + k.name;
    throw AlgConfigError("model '" + Name() + "' has no knob '" + name + "' (valid: " + valid +
                         ")");
  }
  for (std::size_t index = 0; index < targets.size(); ++index) {
    const KnobTarget& target = targets[index];
    const std::string text = ToTargetText(name, value, index);
    const ns3::TypeId::AttributeInformation info = InfoOf(target);
    const ns3::Ptr<ns3::AttributeValue> parsed =
        PlausibleNumber(*info.checker, text)
            ? info.checker->CreateValidValue(ns3::StringValue(text))
            : nullptr;
    if (parsed == nullptr) {
      throw AlgConfigError("knob " + name + "='" + value + "' is not a valid value (" +
                           info.checker->GetUnderlyingTypeInformation() + ")");
    }
    try {
      target.owner->SetAttribute(target.attribute, *parsed);
    } catch (const std::invalid_argument& e) {
      // Mechanisms validate structured text knobs (lists, addresses) in their setters.
      throw AlgConfigError(std::string("bad knob value: ") + e.what());
    }
  }
}

bool AlgModel::SetKnobValue(const std::string& name, const ns3::AttributeValue& value) {
  const std::vector<KnobTarget> targets = KnobTargets(name);
  for (const KnobTarget& target : targets) {
    if (InfoOf(target).checker->CreateValidValue(value) == nullptr) return false;
  }
  for (const KnobTarget& target : targets) target.owner->SetAttribute(target.attribute, value);
  return !targets.empty();
}

std::string AlgModel::GetKnob(const std::string& name) const {
  const std::vector<KnobTarget> targets = KnobTargets(name);
  if (targets.empty()) throw AlgConfigError("model '" + Name() + "' has no knob '" + name + "'");
  const ns3::TypeId::AttributeInformation info = InfoOf(targets.front());
  ns3::Ptr<ns3::AttributeValue> value = info.checker->Create();
  targets.front().owner->GetAttribute(targets.front().attribute, *value);
  return FromAttributeText(name, value->SerializeToString(info.checker));
}

std::map<std::string, std::string> AlgModel::KnobValues() const {
  std::map<std::string, std::string> out;
  for (const KnobInfo& k : Knobs()) out[k.name] = GetKnob(k.name);
  return out;
}

KnobSemantics AlgModel::SemanticsOf(const std::string& name) const {
  const KnobSemanticsTable own = KnobSemanticsDeclared();
  if (own.count(name) != 0) return own.at(name);
  for (const auto& m : m_mechanisms) {
    const KnobSemanticsTable table = m->KnobSemanticsDeclared();
    if (table.count(name) != 0) return table.at(name);
  }
  return KnobSemantics::Immediate;
}

ns3::Ptr<AlgModel> AlgModel::Fresh() const {
  const ns3::TypeId tid = GetInstanceTypeId();
  if (!tid.HasConstructor()) return nullptr;
  ns3::ObjectFactory factory;
  factory.SetTypeId(tid);
  return factory.Create<AlgModel>();
}

void AlgModel::DoDispose() {
  for (auto& chain : m_chains) chain.clear();
  for (const auto& m : m_mechanisms) m->Dispose();
  m_mechanisms.clear();
  ns3::Object::DoDispose();
}

}  // namespace alglab::alg
