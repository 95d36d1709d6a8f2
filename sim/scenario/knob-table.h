#ifndef ALGLAB_SCENARIO_KNOB_TABLE_H
#define ALGLAB_SCENARIO_KNOB_TABLE_H

/// \file
/// The one definition of every scenario knob. Each row maps a dotted scenario name
/// ("router.udp_timeout", "phones.defaults.keepalive_interval", "network.wan_rate") to the
/// ns-3 object kind and the TypeId attribute it sets, with the type, unit, range and default
/// the loader validates against. The schema takes its knob keys from here, the loader reads and
/// validates every knob through here (our syntax first, then the attribute's own checker), and
/// the runner applies the values with SetAttribute by attribute name, so a new knob is one row.

#include <ns3/type-id.h>

#include <optional>
#include <string>
#include <vector>

namespace alglab::scenario {

/// Which simulated object a knob configures.
enum class KnobTarget {
  Network,   ///< links of the office network (applied by BuildOfficeNetwork)
  Router,    ///< the NAT router (alglab::NatRoutingProtocol)
  Pbx,       ///< the PBX (alglab::SipPbx)
  Provider,  ///< the SIP provider (alglab::SipProvider)
  Phone,     ///< every handset (alglab::SipPhone); per extension under phones.overrides
};

/// How a knob's value is written in a scenario file.
enum class KnobType {
  Duration,  ///< "30s", "500ms", "2min": unit mandatory
  Bool,      ///< true / false (yes/no, on/off)
  Ratio,     ///< "0.01" or "1%", within [0, 1]
  Count,     ///< a whole number
  DataRate,  ///< "100Mbps", "1Gbps"
  Choice,    ///< one of KnobDef::choices
  Text,      ///< free text (passwords, domains, user names)
};

/// "duration", "bool", "ratio", "count", "data-rate", "choice", "text".
const char* ToString(KnobType type);

/// One knob. Ranges are in the knob's unit (seconds for durations).
struct KnobDef {
  KnobTarget target;
  const char* section;    ///< the scenario map that holds it: "router", "pbx.trunk", "phones"
  const char* leaf;       ///< its key in that map: "udp_timeout"
  ns3::TypeId (*typeId)();  ///< the TypeId whose attribute it sets, e.g. &SipPhone::GetTypeId
  const char* attribute;  ///< "UdpTimeout"
  KnobType type;
  const char* unit;       ///< "s", "bit/s", "ratio", "port", "" for none
  std::optional<double> min;
  std::optional<double> max;
  std::vector<std::string> choices;  ///< for Choice, in the order error messages list them
  const char* defaultText;  ///< the value when the scenario says nothing, as a file writes it
  const char* help;
  /// False for knobs a model reads only when it starts (a socket's port): a timeline `set`
  /// of them is refused instead of silently doing nothing.
  bool changesDuringRun = true;

  /// "router.udp_timeout"; phone knobs are named "phones.defaults.<leaf>" (and per phone
  /// "phones.overrides.<ext>.<leaf>").
  std::string Name() const;
};

/// Every knob, in a fixed order (the order they are applied in).
const std::vector<KnobDef>& Knobs();

/// The knobs of one scenario map ("network", "router", "pbx", "pbx.trunk", "provider",
/// "phones"), in table order.
std::vector<const KnobDef*> KnobsIn(const std::string& section);

/// The knob a dotted name means: "router.udp_timeout", "pbx.trunk.expiry",
/// "phones.defaults.rport" or "phones.overrides.<ext>.rport". nullptr if none.
const KnobDef* FindKnob(const std::string& dottedName);

/// The leaf keys of a section, sorted (what the schema allows there besides structure).
std::vector<std::string> KnobLeaves(const std::string& section);

/// A knob value after validation.
struct KnobValue {
  std::string attributeText;  ///< what the attribute accepts (StringValue(attributeText))
  double number = 0;          ///< Duration (s), Ratio, Count: the parsed number
  std::string text;           ///< the value as written (DataRate normalised)
};

/// Validates `text` for `knob`: syntax of its type, the table's range and choices, and finally
/// the TypeId attribute's own checker. Returns the value or an error sentence without a
/// location ("'soon' is not a duration (use e.g. 30s, 500ms, 2min, 1h)"); the caller adds
/// file:line or the --set text.
struct KnobCheck {
  std::optional<KnobValue> value;
  std::string error;
};
KnobCheck CheckKnobValue(const KnobDef& knob, const std::string& text);

}  // namespace alglab::scenario

#endif
