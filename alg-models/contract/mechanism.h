#ifndef ALGLAB_ALG_MODELS_CONTRACT_MECHANISM_H
#define ALGLAB_ALG_MODELS_CONTRACT_MECHANISM_H

/// \file
/// One ALG mechanism: a unit of behaviour a router model places at one or more hook points
/// (rewrite SIP/SDP, open pinholes, answer requests itself). Mechanisms are ns-3 Objects so
/// their knobs are TypeId attributes, reusable by several models.

#include "alg-models/contract/knob-semantics.h"
#include "alg-models/contract/packet-context.h"
#include "alg-models/contract/packet-emitter.h"
#include "alg-models/contract/router-view.h"
#include "alg-models/contract/verdict.h"
#include "sim/nat/nat-table.h"

#include "ns3/object.h"

#include <string>

namespace alglab::alg {

/// What the router offers a mechanism outside packet processing (timers emitting packets).
/// Bound by AlgModel::Bind before the first packet; the view is kept up to date by the router.
struct RouterServices {
  const RouterView* view = nullptr;
  PacketEmitter* emitter = nullptr;
  nat::NatTable* nat = nullptr;
};

class Mechanism : public ns3::Object {
 public:
  static ns3::TypeId GetTypeId();
  ~Mechanism() override;

  /// Decides about one packet at `context.point`. Accept lets the chain go on; Drop and Stolen
  /// end it.
  virtual Verdict Process(PacketContext& context) = 0;

  /// `mapping` is leaving the table (expired, removed, cleared by a reboot or a flush); it is
  /// readable during the call. The mechanism may remove expectations from `nat`, not mappings.
  virtual void OnMappingRemoved(const nat::Mapping& mapping, nat::NatTable& nat);
  /// The router's connection state was flushed (mappings and expectations are gone already):
  /// forget per-connection state. Configuration stays.
  virtual void OnFlush();
  /// The router is rebooting (its tables are empty): forget everything that lived in RAM.
  virtual void OnRouterReboot();

  /// When a change of each of this mechanism's knobs takes effect (default: Immediate).
  virtual KnobSemanticsTable KnobSemanticsDeclared() const;

  /// Wires this mechanism to `other` in `role` (a timer to the opener whose pinholes it
  /// re-times, a timer to the classifier that tells SIP connections): what a model file's
  /// `connect:` asks. False when this mechanism has no such role or `other` cannot fill it.
  /// `other` belongs to the same model, which keeps both alive.
  virtual bool Connect(const std::string& role, const ns3::Ptr<Mechanism>& other);

  /// Short name of the mechanism's kind for reports ("sip-rewrite").
  virtual std::string Name() const = 0;

  /// The name a model gave this instance ("helper", "rewriter": a model file's `name:`), which
  /// is what reports attribute a rewrite or drop to; Name() where the model gave none.
  const std::string& Label() const;
  void SetLabel(std::string label) { m_label = std::move(label); }

  /// Called by AlgModel::Bind.
  void Bind(const RouterServices& services) { m_services = services; }

  /// False while the model leaves this mechanism out (a model file's `when:` over selector
  /// knobs, e.g. the engine a router runs): its chains pass packets by it. It is still bound
  /// and notified, so state it keeps stays consistent.
  bool Active() const { return m_active; }
  void SetActive(bool active) { m_active = active; }

 protected:
  /// Valid after Bind (nullptr fields before).
  const RouterServices& Services() const { return m_services; }

 private:
  RouterServices m_services;
  mutable std::string m_label;
  bool m_active = true;
};

}  // namespace alglab::alg

#endif
