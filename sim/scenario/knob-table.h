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

#include <cstdint>
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
  SipHost,   ///< a host name or IPv4 address per RFC 3261 section 25.1 ("pbx.office.example")
  SipUser,   ///< the user part of a SIP URI per RFC 3261 section 25.1 ("office", "alice.smith")
  Password,  ///< printable ASCII without quote or backslash (it goes into digest quoted strings)
};

/// "duration", "bool", "ratio", "count", "data-rate", "choice", "sip-host", "sip-user",
/// "password".
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
  /// For durations whose 0s means "off" (keepalive intervals): 0s is allowed besides [min, max].
  bool zeroMeansOff = false;

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

/// The range of a scenario seed (`seed:` and `alglab run --seed`): what ns-3's MRG32k3a
/// generator accepts (RngStream refuses 0 and anything at or above its modulus m2).
constexpr std::uint64_t kMinSeed = 1;
constexpr std::uint64_t kMaxSeed = 4294944442ull;

/// Validates a seed written as text: a decimal whole number in [kMinSeed, kMaxSeed]. Returns
/// the seed or an error sentence without a location, like CheckKnobValue.
struct SeedCheck {
  std::optional<std::uint64_t> seed;
  std::string error;
};
SeedCheck CheckSeed(const std::string& text);

/// Durations a scenario's own fields take (duration, timeline at and call lengths): at most a
/// week, far inside what ns-3's Time holds (int64 nanoseconds, about 292 years).
constexpr double kMaxScenarioSeconds = 7 * 86400.0;

/// SIP grammar checks (RFC 3261 section 25.1), shared by the knob types and the loader.
bool IsSipHost(const std::string& text);
bool IsSipUser(const std::string& text);
bool IsPassword(const std::string& text);
/// A DID: 1 to 15 digits (E.164 length) with an optional leading '+'.
bool IsDid(const std::string& text);

}  // namespace alglab::scenario

#endif
