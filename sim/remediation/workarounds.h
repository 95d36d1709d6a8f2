#ifndef ALGLAB_REMEDIATION_WORKAROUNDS_H
#define ALGLAB_REMEDIATION_WORKAROUNDS_H

// What users try when they cannot switch the router's SIP ALG off (the router is the ISP's,
// or its menu has no such switch): move SIP where the ALG does not look, hide it from the ALG,
// keep the NAT's bindings fresher, or let the servers cope with the NAT. Each workaround is
// a set of scenario overrides, written as `alglab run --set` takes them, so `--workaround`
// and the matrix's workaround table apply exactly what a user could type.

#include <string>
#include <vector>

namespace alglab::remediation {

struct Workaround {
  std::string name;
  std::string description;            ///< one line
  std::vector<std::string> settings;  ///< key=value, as --set takes them, applied in order
  /// The matrix judges a workaround against a cell's defaults (the servers' NAT traversal on);
  /// one that *is* server-side NAT traversal is judged against the same cell with the servers'
  /// traversal off, which the matrix runs anyway (matrix-plan.h).
  bool judgedWithoutServerTraversal = false;
};

/// Every workaround, in the order the matrix's table lists them.
const std::vector<Workaround>& AllWorkarounds();

/// The workaround called `name`, or null.
const Workaround* FindWorkaround(const std::string& name);

/// "a, b, c": every name, for messages.
std::string WorkaroundNames();

/// "a,b" -> those workarounds in the order given. Throws scenario::ScenarioError (one line
/// naming the option and the bad item, with the valid names) for an unknown, empty or
/// repeated name.
std::vector<const Workaround*> ParseWorkaroundList(const std::string& text,
                                                 const std::string& option = "--workaround");

/// The settings of `workarounds`, in order (a later one wins where two set the same key).
std::vector<std::string> SettingsOf(const std::vector<const Workaround*>& workarounds);

}  // namespace alglab::remediation

#endif
