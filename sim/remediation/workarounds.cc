#include "sim/remediation/workarounds.h"

#include "sim/scenario/scenario-error.h"

#include <set>
#include <sstream>

namespace alglab::remediation {

namespace {

std::vector<Workaround> Build() {
  std::vector<Workaround> w;
  // Every vendor's ALG classifies SIP by port 5060 (alg-models/*: ports knobs); servers that
  // listen elsewhere take their traffic out of its view.
  w.push_back({"sip-port-5080",
               "the PBX and the provider listen for SIP on 5080; handsets and trunk register there",
               {"pbx.sip_port=5080", "provider.sip_port=5080"}});
  // Handsets, PBX and provider originate their requests over TCP (the servers answer on the
  // connections they came on); an ALG that reads TCP on 5060 still sees it.
  w.push_back({"tcp",
               "SIP over TCP from the handsets, the PBX (trunk) and the provider",
               {"phones.defaults.transport=tcp", "pbx.transport=tcp", "provider.transport=tcp"}});
  // RFC 3261 section 26.2: SIP over TLS to 5061. No ALG can read it.
  w.push_back({"tls",
               "SIP over TLS to port 5061 from the handsets, the PBX (trunk) and the provider",
               {"phones.defaults.transport=tls", "pbx.transport=tls", "provider.transport=tls"}});
  // What handset and PBX admin pages offer: a NAT keepalive interval well under any UDP timeout.
  w.push_back({"short-keepalives",
               "NAT keepalives every 10 s from the handsets and the trunk (where keepalives are on)",
               {"phones.defaults.keepalive_interval=10s", "pbx.trunk.keepalive_interval=10s"}});
  // A provider (or hosted PBX) that copes with NAT itself: rport, binding at the packet source,
  // comedia, OPTIONS pings (what `alglab matrix` switches off for its no-traversal runs).
  Workaround traversal{"server-nat-traversal",
                       "a PBX and provider with server-side NAT traversal (rport, fixed Contact, comedia, "
                       "OPTIONS pings every 30 s)",
                       {},
                       true};
  for (const char* side : {"pbx", "provider"}) {
    const std::string s = side;
    traversal.settings.push_back(s + ".honour_rport=true");
    traversal.settings.push_back(s + ".fix_contact=true");
    traversal.settings.push_back(s + ".latch_media=true");
    traversal.settings.push_back(s + ".nat_keepalive=30s");
  }
  w.push_back(traversal);
  return w;
}

}  // namespace

const std::vector<Workaround>& AllWorkarounds() {
  static const std::vector<Workaround> kAll = Build();
  return kAll;
}

const Workaround* FindWorkaround(const std::string& name) {
  for (const Workaround& w : AllWorkarounds())
    if (w.name == name) return &w;
  return nullptr;
}

std::string WorkaroundNames() {
  std::string out;
  for (const Workaround& w : AllWorkarounds()) out += (out.empty() ? "" : ", ") + w.name;
  return out;
}

std::vector<const Workaround*> ParseWorkaroundList(const std::string& text, const std::string& option) {
  const std::string where = option + " '" + text + "': ";
  std::vector<const Workaround*> out;
  std::set<std::string> seen;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item.empty()) throw scenario::ScenarioError(where + "an empty name in the list (valid: " + WorkaroundNames() + ")");
    const Workaround* w = FindWorkaround(item);
    if (w == nullptr)
      throw scenario::ScenarioError(where + "unknown workaround '" + item + "' (valid: " + WorkaroundNames() + ")");
    if (!seen.insert(item).second) throw scenario::ScenarioError(where + "'" + item + "' named twice");
    out.push_back(w);
  }
  if (out.empty() || text.back() == ',')
    throw scenario::ScenarioError(where + "an empty name in the list (valid: " + WorkaroundNames() + ")");
  return out;
}

std::vector<std::string> SettingsOf(const std::vector<const Workaround*>& workarounds) {
  std::vector<std::string> out;
  for (const Workaround* w : workarounds) out.insert(out.end(), w->settings.begin(), w->settings.end());
  return out;
}

}  // namespace alglab::remediation
