#include "sim/nat/nat-config.h"

namespace alglab::nat {

namespace {
constexpr const char* kEndpointIndependent = "endpoint-independent";
constexpr const char* kAddressDependent = "address-dependent";
constexpr const char* kAddressPortDependent = "address-port-dependent";
}  // namespace

const char* ToString(MappingBehaviour behaviour) {
  switch (behaviour) {
    case MappingBehaviour::EndpointIndependent:
      return kEndpointIndependent;
    case MappingBehaviour::AddressDependent:
      return kAddressDependent;
    case MappingBehaviour::AddressAndPortDependent:
      return kAddressPortDependent;
  }
  return "unknown";
}

const char* ToString(FilteringBehaviour behaviour) {
  switch (behaviour) {
    case FilteringBehaviour::EndpointIndependent:
      return kEndpointIndependent;
    case FilteringBehaviour::AddressDependent:
      return kAddressDependent;
    case FilteringBehaviour::AddressAndPortDependent:
      return kAddressPortDependent;
  }
  return "unknown";
}

const char* ToString(PortAllocation allocation) {
  return allocation == PortAllocation::Sequential ? "sequential" : "random";
}

std::optional<MappingBehaviour> ParseMappingBehaviour(std::string_view name) {
  if (name == kEndpointIndependent) return MappingBehaviour::EndpointIndependent;
  if (name == kAddressDependent) return MappingBehaviour::AddressDependent;
  if (name == kAddressPortDependent) return MappingBehaviour::AddressAndPortDependent;
  return std::nullopt;
}

std::optional<FilteringBehaviour> ParseFilteringBehaviour(std::string_view name) {
  if (name == kEndpointIndependent) return FilteringBehaviour::EndpointIndependent;
  if (name == kAddressDependent) return FilteringBehaviour::AddressDependent;
  if (name == kAddressPortDependent) return FilteringBehaviour::AddressAndPortDependent;
  return std::nullopt;
}

std::optional<PortAllocation> ParsePortAllocation(std::string_view name) {
  if (name == "sequential") return PortAllocation::Sequential;
  if (name == "random") return PortAllocation::Random;
  return std::nullopt;
}

const char* ToString(EvictionPolicy policy) {
  switch (policy) {
    case EvictionPolicy::RefuseNew:
      return "refuse-new";
    case EvictionPolicy::EvictOldest:
      return "evict-oldest";
    case EvictionPolicy::EvictLeastRecentlyUsed:
      break;
  }
  return "evict-least-recently-used";
}

std::optional<EvictionPolicy> ParseEvictionPolicy(std::string_view name) {
  for (EvictionPolicy p : {EvictionPolicy::RefuseNew, EvictionPolicy::EvictOldest,
                           EvictionPolicy::EvictLeastRecentlyUsed}) {
    if (name == ToString(p)) return p;
  }
  return std::nullopt;
}

std::optional<std::string> NatConfig::Validate() const {
  if (portRangeMax == 0 || portRangeMin > portRangeMax) {
    return "empty external port range " + std::to_string(portRangeMin) + "-" +
           std::to_string(portRangeMax);
  }
  if (!udpTimeout.IsStrictlyPositive()) return std::string("UDP timeout must be positive");
  if (udpUnrepliedTimeout.IsStrictlyNegative()) {
    return std::string("UDP unreplied timeout must not be negative");
  }
  if (!tcpEstablishedTimeout.IsStrictlyPositive() || !tcpTransitoryTimeout.IsStrictlyPositive()) {
    return std::string("TCP timeouts must be positive");
  }
  return std::nullopt;
}

}  // namespace alglab::nat
