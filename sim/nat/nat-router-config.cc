// The router's configuration as an administrator sees it: the running configuration, the saved
// (startup) one a reboot restores, and the factory defaults a reset restores; ChangeKnob applies
// a change with the semantics the knob's owner declares (alg::KnobSemantics).

#include "sim/nat/nat-router.h"

#include "alg-models/contract/alg-config-error.h"
#include "alg-models/contract/alg-factory.h"

#include "ns3/string.h"

#include <algorithm>
#include <regex>
#include <stdexcept>

namespace alglab::nat {

namespace {

const std::string kAlgPrefix = "alg.";

/// When router knob changes take effect. Mapping behaviour changes the lookup key of every
/// binding, so routers apply it at boot; port allocation knobs only shape new mappings by their
/// nature; timeouts, filtering and limits apply at once.
alg::KnobSemantics RouterSemantics(const std::string& name) {
  static const alg::KnobSemanticsTable kTable{
      {"Mapping", alg::KnobSemantics::AfterReboot},
      {"PortPreservation", alg::KnobSemantics::NewSessions},
      {"PortParity", alg::KnobSemantics::NewSessions},
      {"PortAllocation", alg::KnobSemantics::NewSessions},
      {"PortRangeMin", alg::KnobSemantics::NewSessions},
      {"PortRangeMax", alg::KnobSemantics::NewSessions},
  };
  return alg::SemanticsOf(kTable, name);
}

/// ns-3 aborts on malformed numbers and times instead of reporting them, so their text is
/// checked first.
bool PlausibleText(const ns3::AttributeChecker& checker, const std::string& value) {
  const std::string type = checker.GetValueTypeName();
  if (type == "ns3::UintegerValue") {
    return !value.empty() && value.size() < 20 &&
           value.find_first_not_of("0123456789") == std::string::npos;
  }
  if (type == "ns3::TimeValue") {
    static const std::regex kTime(R"([+]?[0-9]+(\.[0-9]+)?(e[+-]?[0-9]+)?(s|ms|us|ns|min|h|d))");
    return value.size() < 40 && std::regex_match(value, kTime);
  }
  return true;
}

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

const std::vector<std::string>& NatRoutingProtocol::ConfigKnobNames() {
  // Wiring (WanInterface), hardware (BootTime), firmware behaviour (ResetConfigOnReboot) and
  // simulation bookkeeping (SweepInterval) are not configuration.
  static const std::vector<std::string> kNames{
      "Mapping",          "Filtering",         "UdpTimeout",
      "UdpUnrepliedTimeout", "TcpEstablishedTimeout", "TcpTransitoryTimeout",
      "PortPreservation", "PortParity",        "PortAllocation",
      "PortRangeMin",     "PortRangeMax",      "RefreshOnInbound",
      "MaxMappings",      "MaxExpectations",   "MaxExpectationsPerMapping",
      "EvictionPolicy"};
  return kNames;
}

ns3::Ptr<ns3::AttributeValue> NatRoutingProtocol::ParseRouterKnob(const std::string& name,
                                                                 const std::string& value) const {
  const auto& names = ConfigKnobNames();
  ns3::TypeId::AttributeInformation info;
  if (std::find(names.begin(), names.end(), name) == names.end() ||
      !GetInstanceTypeId().LookupAttributeByName(name, &info)) {
    throw std::invalid_argument("unknown router knob '" + name + "' (valid: " + Join(names) +
                                ", alg.<knob>)");
  }
  ns3::Ptr<ns3::AttributeValue> parsed =
      PlausibleText(*info.checker, value)
          ? info.checker->CreateValidValue(ns3::StringValue(value))
          : nullptr;
  if (parsed == nullptr) {
    throw std::invalid_argument("router knob " + name + "='" + value +
                                "' is not a valid value (" +
                                info.checker->GetUnderlyingTypeInformation() + ")");
  }
  return parsed;
}

alg::KnobSemantics NatRoutingProtocol::KnobSemanticsOf(const std::string& name) const {
  if (name.rfind(kAlgPrefix, 0) == 0) {
    const std::string knob = name.substr(kAlgPrefix.size());
    if (m_alg == nullptr || !m_alg->HasKnob(knob)) {
      throw std::invalid_argument("unknown ALG knob '" + name + "'");
    }
    return m_alg->SemanticsOf(knob);
  }
  const auto& names = ConfigKnobNames();
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    throw std::invalid_argument("unknown router knob '" + name + "' (valid: " + Join(names) +
                                ", alg.<knob>)");
  }
  return RouterSemantics(name);
}

void NatRoutingProtocol::ChangeKnob(const std::string& name, const std::string& value) {
  EnsureStartupConfig();
  alg::KnobSemantics semantics = alg::KnobSemantics::Immediate;
  if (name.rfind(kAlgPrefix, 0) == 0) {
    const std::string knob = name.substr(kAlgPrefix.size());
    if (m_alg == nullptr) {
      throw std::invalid_argument("unknown knob '" + name + "': the router has no ALG");
    }
    if (!m_alg->HasKnob(knob)) {
      std::vector<std::string> valid;
      for (const alg::KnobInfo& k : m_alg->Knobs()) valid.push_back(kAlgPrefix + k.name);
      throw std::invalid_argument("unknown knob '" + name + "' (valid: " + Join(valid) + ")");
    }
    semantics = m_alg->SemanticsOf(knob);
    try {
      switch (semantics) {
        case alg::KnobSemantics::Immediate:
          m_alg->SetKnob(knob, value);
          for (const Generation& g : m_olderGenerations) g.model->SetKnob(knob, value);
          break;
        case alg::KnobSemantics::NewSessions: {
          // A new generation of the model serves connections from now on; the current one keeps
          // the mappings that exist, with the configuration they started with.
          std::map<std::string, std::string> values = m_alg->KnobValues();
          values[knob] = value;
          const ns3::Ptr<alg::AlgModel> fresh = alg::RecreateAlgModel(*m_alg, values);
          if (fresh == nullptr) {
            throw std::invalid_argument("knob '" + name + "' applies to new sessions, but model " +
                                        m_alg->Name() + " cannot be re-created");
          }
          Generation older{m_alg, {}};
          for (const Mapping* m : m_table.Mappings()) older.mappings.insert(m->id);
          if (!older.mappings.empty()) m_olderGenerations.push_back(std::move(older));
          m_alg = fresh;
          BindModel(*m_alg);
          break;
        }
        case alg::KnobSemantics::AfterReboot: {
          // Validated on a scratch model: the running one must not change now.
          std::map<std::string, std::string> values = m_alg->KnobValues();
          values[knob] = value;
          if (alg::RecreateAlgModel(*m_alg, values) == nullptr) m_alg->GetKnob(knob);
          m_staged[name] = value;
          break;
        }
      }
    } catch (const alg::AlgConfigError& e) {
      throw std::invalid_argument(e.what());
    }
  } else {
    const ns3::Ptr<ns3::AttributeValue> parsed = ParseRouterKnob(name, value);
    semantics = RouterSemantics(name);
    if (semantics == alg::KnobSemantics::AfterReboot) {
      m_staged[name] = value;
    } else {
      // NewSessions router knobs (port allocation) only ever shape new mappings.
      SetAttribute(name, *parsed);
    }
  }
  m_knobChangedTrace(name, value, alg::ToString(semantics));
}

void NatRoutingProtocol::SaveConfig() { m_startup = RunningConfig(); }

void NatRoutingProtocol::EnsureStartupConfig() {
  if (m_startup) return;
  m_startup = RunningConfig();
  // The NAT behaviour the router was built with is its firmware's; only the ALG knobs have
  // shipped defaults of their own (the model's).
  m_builtRouterKnobs = RouterConfig{};
  for (const auto& [name, value] : *m_startup) {
    if (name.rfind(kAlgPrefix, 0) != 0) (*m_builtRouterKnobs)[name] = value;
  }
}

RouterConfig NatRoutingProtocol::RunningConfig() const {
  RouterConfig config;
  for (const std::string& name : ConfigKnobNames()) {
    ns3::TypeId::AttributeInformation info;
    GetInstanceTypeId().LookupAttributeByName(name, &info);
    const ns3::Ptr<ns3::AttributeValue> value = info.checker->Create();
    GetAttribute(name, *value);
    config[name] = value->SerializeToString(info.checker);
  }
  if (m_alg != nullptr) {
    for (const auto& [knob, value] : m_alg->KnobValues()) config[kAlgPrefix + knob] = value;
  }
  for (const auto& [name, value] : m_staged) config[name] = value;
  return config;
}

RouterConfig NatRoutingProtocol::StartupConfig() const {
  return m_startup ? *m_startup : RunningConfig();
}

RouterConfig NatRoutingProtocol::FactoryConfig() const {
  RouterConfig config;
  if (m_builtRouterKnobs) {
    config = *m_builtRouterKnobs;
  } else {
    for (const auto& [name, value] : RunningConfig()) {
      if (name.rfind(kAlgPrefix, 0) != 0) config[name] = value;
    }
  }
  if (m_alg != nullptr) {
    const ns3::Ptr<alg::AlgModel> shipped = alg::RecreateAlgModel(*m_alg, {});
    const std::map<std::string, std::string> values =
        shipped != nullptr ? shipped->KnobValues() : m_alg->KnobValues();
    for (const auto& [knob, value] : values) config[kAlgPrefix + knob] = value;
  }
  return config;
}

void NatRoutingProtocol::ApplyConfig(const RouterConfig& config, bool freshAlg) {
  std::map<std::string, std::string> algKnobs;
  for (const auto& [name, value] : config) {
    if (name.rfind(kAlgPrefix, 0) == 0) {
      algKnobs[name.substr(kAlgPrefix.size())] = value;
    } else {
      SetAttribute(name, ns3::StringValue(value));
    }
  }
  m_staged.clear();
  if (m_alg == nullptr) return;
  if (freshAlg) {
    if (const ns3::Ptr<alg::AlgModel> fresh = alg::RecreateAlgModel(*m_alg, algKnobs)) {
      m_alg = fresh;
      BindModel(*m_alg);
      return;
    }
  }
  for (const auto& [knob, value] : algKnobs) m_alg->SetKnob(knob, value);
}

}  // namespace alglab::nat
