#ifndef ALGLAB_ENDPOINTS_SIP_ENDPOINT_HELPER_H
#define ALGLAB_ENDPOINTS_SIP_ENDPOINT_HELPER_H

// ns-3 style helper: creates SIP endpoint applications by TypeId name with attributes set by
// name, so a scenario can say "alglab::SipPhone" + {"Extension": "101", ...} without knowing
// the C++ types.
//
//   SipEndpointHelper phones("alglab::SipPhone");
//   phones.SetAttribute("RegistrarAddress", Ipv4AddressValue(pbxIp));
//   auto phone = DynamicCast<SipPhone>(phones.Install(node));

#include "sim/endpoints/sip-endpoint.h"

#include <ns3/application-container.h>
#include <ns3/attribute.h>
#include <ns3/node-container.h>
#include <ns3/object-factory.h>

#include <string>

namespace alglab {

class SipEndpointHelper {
 public:
  /// `typeId`: "alglab::SipPhone", "alglab::SipPbx" or "alglab::SipProvider" (or any subclass
  /// of alglab::SipEndpoint). Aborts on an unknown name (a scenario typo).
  explicit SipEndpointHelper(const std::string& typeId);

  /// Attribute for every endpoint installed from now on.
  void SetAttribute(const std::string& name, const ns3::AttributeValue& value);
  /// Like SetAttribute, but false instead of aborting for an unknown name or a value the
  /// attribute's checker rejects (out of range). Note: ns-3 3.37 itself aborts on some
  /// unparsable strings (e.g. "abc" for an integer), so scenarios should validate text first.
  bool SetAttributeFailSafe(const std::string& name, const ns3::AttributeValue& value);

  /// Creates one endpoint and adds it to `node`.
  ns3::Ptr<SipEndpoint> Install(ns3::Ptr<ns3::Node> node) const;
  ns3::ApplicationContainer Install(const ns3::NodeContainer& nodes) const;

 private:
  ns3::ObjectFactory m_factory;
};

}  // namespace alglab

#endif
