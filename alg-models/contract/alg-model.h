#ifndef ALGLAB_ALG_MODELS_CONTRACT_ALG_MODEL_H
#define ALGLAB_ALG_MODELS_CONTRACT_ALG_MODEL_H

/// \file
/// A router's ALG as a whole: the mechanisms a vendor model places at each hook point, in
/// priority order (lower first, ties in attach order), and the model's knobs. This is what the
/// vendor registry names and the NAT router installs; the router calls Run() at each hook
/// point whose chain is not empty, and nothing else about the model is special to it.

#include "alg-models/contract/hook-point.h"
#include "alg-models/contract/knob-semantics.h"
#include "alg-models/contract/mechanism.h"
#include "alg-models/contract/packet-context.h"
#include "alg-models/contract/verdict.h"
#include "sim/nat/nat-table.h"

#include "ns3/object.h"
#include "ns3/ptr.h"

#include <array>
#include <map>
#include <string>
#include <vector>

namespace alglab::alg {

/// One ALG knob: an attribute of the model or of one of its mechanisms.
struct KnobInfo {
  std::string name;
  std::string help;
  KnobSemantics semantics = KnobSemantics::Immediate;
};

/// Where a knob's value goes: one attribute of one object (the model or a mechanism).
struct KnobTarget {
  ns3::Ptr<ns3::Object> owner;
  std::string attribute;
};

/// What a model's chains see of SIP over TCP (the `tcp_view` knob every model has).
enum class TcpView {
  Segment,  ///< each segment's payload as it arrives
  Message,  ///< whole SIP messages: the router holds segments until a message is complete
};

class AlgModel : public ns3::Object {
 public:
  static ns3::TypeId GetTypeId();
  ~AlgModel() override;

  /// Runs the chain of `context.point`: each active mechanism in order until one drops or
  /// steals the packet. Returns that verdict, or Accept when all accepted (also for an empty chain).
  Verdict Run(PacketContext& context);
  /// True when no mechanism sits at `point` (the router then skips the hook point entirely,
  /// without copying the payload).
  bool Empty(HookPoint point) const { return m_chains[Index(point)].empty(); }
  /// The mechanisms of `point`, in the order Run() calls them.
  std::vector<ns3::Ptr<Mechanism>> Chain(HookPoint point) const;
  /// Every distinct mechanism, in attach order.
  const std::vector<ns3::Ptr<Mechanism>>& Mechanisms() const { return m_mechanisms; }

  /// Hands every mechanism the router's services (view, emitter, table).
  void Bind(const RouterServices& services);
  /// Fan-outs of the router's notifications to every mechanism.
  void NotifyMappingRemoved(const nat::Mapping& mapping, nat::NatTable& nat);
  void NotifyFlush();
  void NotifyRouterReboot();

  /// Short model name for reports, e.g. "linux-netfilter".
  virtual std::string Name() const = 0;

  /// How the router feeds SIP over TCP to the chains (see TcpView). A model whose vendor
  /// reassembles sets its default in its constructor (the factory value is what a fresh model
  /// has).
  TcpView GetTcpView() const { return m_tcpView; }
  void SetTcpView(TcpView view) { m_tcpView = view; }

  // ---- Knobs --------------------------------------------------------------------------

  /// Every knob: the model's own attributes, then its mechanisms' (a name shared by several
  /// mechanisms is listed once and set on all of them). A model with knobs of its own naming
  /// (ComposedAlgModel: the vendor's vocabulary) overrides this and KnobTargets.
  virtual std::vector<KnobInfo> Knobs() const;
  /// True when `name` is a knob of this model.
  bool HasKnob(const std::string& name) const;
  /// Sets a knob from text on every object that has it. Throws AlgConfigError (one line naming
  /// the knob, the value and what is valid) for an unknown knob or a bad value.
  void SetKnob(const std::string& name, const std::string& value);
  /// Sets a knob from an attribute value on every object that has it. False (nothing set) for
  /// an unknown knob or a value its checker rejects.
  bool SetKnobValue(const std::string& name, const ns3::AttributeValue& value);
  /// The knob's current value as text. Throws AlgConfigError for an unknown knob.
  std::string GetKnob(const std::string& name) const;
  /// Every knob's value (name -> text).
  std::map<std::string, std::string> KnobValues() const;
  /// The declared semantics of a change of `name` (Immediate if undeclared).
  virtual KnobSemantics SemanticsOf(const std::string& name) const;

  /// A fresh model with the factory configuration (what a factory reset brings back), or
  /// nullptr when the model cannot be rebuilt. Default: a new object of the same TypeId.
  virtual ns3::Ptr<AlgModel> Fresh() const;

  /// Everything a simulation sees of this model as it is configured now: its wiring, each
  /// mechanism's kind, label, activity and attribute values, the chains and tcp_view. Two models
  /// with equal fingerprints process every packet alike, so a run with one is a run with the
  /// other (alglab matrix runs such vendors' simulations once). A model whose wiring is not
  /// data (a C++ model) is unique to itself.
  std::string BehaviourFingerprint() const;

 protected:
  /// Places `mechanism` at `point`. Lower priorities run first; equal ones in attach order.
  /// A mechanism may sit at several points.
  void Attach(HookPoint point, int priority, ns3::Ptr<Mechanism> mechanism);
  /// Makes `mechanism` part of the model without a hook point: it is bound, notified and its
  /// knobs are the model's, but only other mechanisms call it (a pinhole mirror, a timer).
  void Adopt(ns3::Ptr<Mechanism> mechanism);
  /// Semantics of the model's own attributes (default: all Immediate).
  virtual KnobSemanticsTable KnobSemanticsDeclared() const;
  /// How the mechanisms are connected to each other, as text (for BehaviourFingerprint).
  /// Default: the model's TypeId name, so models whose wiring is code never compare equal.
  virtual std::string Wiring() const;
  /// The attributes knob `name` sets (empty: no such knob). Default: every knob owner (the
  /// model, its mechanisms) with an attribute of that name.
  virtual std::vector<KnobTarget> KnobTargets(const std::string& name) const;
  /// Knob text as the vendor writes it -> attribute text, and back (default: the same).
  virtual std::string ToAttributeText(const std::string& name, const std::string& value) const;
  virtual std::string FromAttributeText(const std::string& name, const std::string& text) const;
  /// The text for the `index`th of KnobTargets(name), for knobs whose vendor word means a
  /// different value for each attribute they set (default: ToAttributeText for all of them).
  virtual std::string ToTargetText(const std::string& name, const std::string& value,
                                   std::size_t index) const;

  void DoDispose() override;

 private:
  struct Link {
    int priority = 0;
    ns3::Ptr<Mechanism> mechanism;
  };
  /// Objects that may carry knobs: the model itself, then its mechanisms.
  std::vector<ns3::Ptr<ns3::Object>> KnobOwners() const;

  void SetTcpViewAttribute(int value) { m_tcpView = static_cast<TcpView>(value); }
  int GetTcpViewAttribute() const { return static_cast<int>(m_tcpView); }

  TcpView m_tcpView = TcpView::Segment;
  std::array<std::vector<Link>, kHookPointCount> m_chains;
  std::vector<ns3::Ptr<Mechanism>> m_mechanisms;
};

}  // namespace alglab::alg

#endif
