#ifndef ALGLAB_ALG_MODELS_CONTRACT_MODEL_FILE_H
#define ALGLAB_ALG_MODELS_CONTRACT_MODEL_FILE_H

/// \file
/// A router model as data (`alg-models/<id>/model.yaml`): which mechanisms, at which hook points
/// and priorities, with which attribute values and connections, and the vendor's knobs by the
/// vendor's own names, each bound to mechanism attributes, with its default, its words for
/// values and how sure we are of it. ComposedAlgModel builds the model; nothing here is C++ a
/// researcher has to write. The format is documented in docs/adding-a-router-model.md.

#include "alg-models/contract/hook-point.h"
#include "alg-models/contract/knob-semantics.h"

#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace alglab::alg {

/// A model file that cannot be used: one line naming the file, the line and what is wrong.
class ModelFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One mechanism instance of a model.
struct MechanismSpec {
  std::string name;  ///< unique within the model; knobs and connections refer to it
  std::string type;  ///< ns-3 TypeId name of an alglab::alg::Mechanism ("alglab::SipDropPolicy")
  std::vector<HookPoint> at;  ///< empty: adopted (bound and notified, called by others only)
  int priority = 0;
  std::map<std::string, std::string> set;      ///< attribute -> value text, set at build
  std::map<std::string, std::string> connect;  ///< role -> name of another mechanism
  /// Selector knob -> the vendor words under which this mechanism runs (`when:`); every
  /// selector named must have one of its words, or the chains pass packets by it. Empty: always.
  std::map<std::string, std::vector<std::string>> when;
  std::string file;  ///< the model file, or the composition file it came from
  std::size_t line = 0;
};

/// One knob in the vendor's vocabulary.
struct VendorKnobSpec {
  std::string name;                          ///< the vendor's own name ("sip-direct-media")
  /// (mechanism name, attribute); the name "model" is the model itself (its tcp_view), the
  /// name "router" the router's plain NAT (a router knob of the scenario schema: "filtering").
  /// Empty: a selector knob (it has `values`): the model keeps its word, and mechanisms whose
  /// `when:` names it run only under the words they list (an engine switch, an on/off status).
  std::vector<std::pair<std::string, std::string>> sets;
  std::optional<std::string> defaultValue;   ///< in the vendor's words; set at build
  std::map<std::string, std::string> values;  ///< vendor word -> attribute text ("yes" -> "true")
  /// Vendor word -> one text per entry of `sets`, for a word that means different values for
  /// the attributes it sets (`values: {word: {router.filtering: ..., timer.sip_timeout: ...}}`).
  std::map<std::string, std::vector<std::string>> targetValues;
  std::string confidence;  ///< "from-code", "from-docs", "unverified"
  std::string help;
  std::optional<KnobSemantics> semantics;  ///< when a change applies (default: the attribute's)
  std::size_t line = 0;

  bool IsSelector() const { return sets.empty(); }
};

/// One plain-NAT default of the vendor's router (`router: {filtering: endpoint-independent}`),
/// by the name of a router knob of the scenario schema, with the value as a scenario writes it.
struct RouterDefaultSpec {
  std::string name;   ///< "filtering", "udp_timeout" (sim/scenario/knob-table.cc, router.*)
  std::string value;  ///< "endpoint-independent", "300s"
  std::size_t line = 0;
};

struct ModelSpec {
  std::string file;         ///< where it was read from, for messages
  std::string id;           ///< vendor id for --vendor; the folder's name
  std::string summary;      ///< one line for `alglab list vendors`
  std::string engine;       ///< what the router runs (e.g. "Linux nf_conntrack_sip")
  std::string remediation;  ///< how the vendor's own UI turns the ALG off
  bool example = false;     ///< `example: true`: a teaching model, no product (left out of the matrix)
  std::string tcpView = "segment";
  std::vector<MechanismSpec> mechanisms;
  std::vector<VendorKnobSpec> knobs;
  /// The vendor's plain-NAT defaults (`router:`), in file order. A scenario's own router
  /// settings win over them (see docs/adding-a-router-model.md).
  std::vector<RouterDefaultSpec> router;
};

/// Checks a router knob a model file names (in `router:` or as `sets: [router.<name>]`):
/// returns "" when `name` is a router knob and `value` (when given) one of its values, else an
/// error sentence without a location. The router knobs are the scenario schema's, so the
/// scenario layer installs this check (sim/scenario/vendor-router-settings.cc); without one,
/// such names and values are read but not checked.
using RouterKnobCheck = std::function<std::string(const std::string& name, const std::string* value)>;
void SetRouterKnobCheck(RouterKnobCheck check);

/// A shared composition (alg-models/contract/compositions/<name>.yaml): its file and text, or
/// nullopt when there is none of that name.
struct CompositionText {
  std::string file;
  std::string text;
};
using CompositionLookup = std::function<std::optional<CompositionText>(const std::string& name)>;

/// Parses a model file's text (`file` names it in errors). `compose: [name, ...]` takes the
/// mechanisms of those compositions first (through `lookup`), then the file's own; an entry
/// `{composition: name, when: {...}}` gives each of them that `when:`. A top-level
/// `set: {mechanism.attribute: value}` adjusts any of them. Checks the structure and the names
/// it can check without building (hook points, confidence, duplicates, references between
/// mechanisms and knobs); types and attributes are checked when the model is built. Throws
/// ModelFileError.
ModelSpec ParseModelFile(const std::string& text, const std::string& file,
                         const CompositionLookup& lookup = {});

/// The compositions the build embedded, by name (RegisterCompositionFile).
std::optional<CompositionText> EmbeddedComposition(const std::string& name);
/// Registers an embedded composition file under its file name without ".yaml"; returns true.
bool RegisterCompositionFile(const char* file, const char* text);

/// The descriptive keys of a model file alone (id, summary, engine, remediation, example), for the
/// vendor list before anything is built. Throws ModelFileError.
ModelSpec ParseModelHeader(const std::string& text, const std::string& file);

}  // namespace alglab::alg

#endif
