#include "sim/remediation/alg-off-exposure.h"

#include "alg-models/contract/alg-config-error.h"
#include "alg-models/contract/alg-factory.h"
#include "alg-models/contract/alg-model.h"
#include "sim/scenario/knob-table.h"
#include "sim/scenario/scenario-error.h"
#include "sim/scenario/vendor-router-settings.h"

namespace alglab::remediation {

namespace {

/// The router knob `leaf` as `vendor`'s router is built without a scenario stating it.
std::string RouterDefault(const std::vector<scenario::VendorRouterSetting>& vendorSettings, const std::string& leaf) {
  for (const auto& s : vendorSettings)
    if (s.knob != nullptr && leaf == s.knob->leaf) return s.value.text;
  const scenario::KnobDef* knob = scenario::FindKnob("router." + leaf);
  return knob != nullptr ? knob->defaultText : "";
}

}  // namespace

nlohmann::ordered_json AlgOffExposure(const std::string& vendor) {
  std::vector<scenario::VendorRouterSetting> settings;
  if (vendor != "none") {
    ns3::Ptr<alg::AlgModel> model;
    try {
      model = alg::CreateAlgModel(vendor, {});
    } catch (const alg::AlgConfigError& e) {
      throw scenario::ScenarioError(e.what());
    }
    settings = scenario::VendorRouterSettings(ns3::PeekPointer(model));
  }
  const std::string timeout = RouterDefault(settings, "udp_timeout");
  const std::string filtering = RouterDefault(settings, "filtering");
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  out.push_back({{"risk", "the ALG no longer writes the public address into Contact and Via: the registrar sees the "
                          "phone's private address"},
                 {"fix", "rport (RFC 3581) and Contact fixing at the registrar: send to the address and port the "
                         "REGISTER came from"}});
  out.push_back({{"risk", "the router closes an idle UDP binding after " + timeout +
                          ", and no ALG timer or pinhole keeps a phone reachable longer"},
                 {"fix", "keepalives (CRLF or OPTIONS, RFC 5626) from the phones or the server more often than every " +
                         timeout + ", or registrations that short"}});
  out.push_back({{"risk", "no pinhole for the media an SDP announces: the far end's RTP is let in only once the phone "
                          "has sent RTP to it"},
                 {"fix", "media latching (symmetric RTP / comedia) at the PBX or provider, or an RTP proxy"}});
  if (filtering != "endpoint-independent") {
    out.push_back({{"risk", "the router filters inbound packets " + filtering +
                            ": a request from another of the provider's addresses (a second edge proxy) is dropped"},
                   {"fix", "the provider sends inbound requests from the address the phone registered to (or the "
                           "phone uses an outbound proxy)"}});
  }
  return out;
}

}  // namespace alglab::remediation
