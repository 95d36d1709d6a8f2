#ifndef ALGLAB_SCENARIO_LINK_OUTAGE_ERROR_MODEL_H
#define ALGLAB_SCENARIO_LINK_OUTAGE_ERROR_MODEL_H

// A link that can go down: the receive error model of each end of a point-to-point link. While
// down it loses every frame in both directions (a cable pulled, a DSL line retraining); while
// up it defers to the link's own loss model (network.wan_loss), if any, so a link with no
// outage draws exactly the random numbers it drew before.

#include <ns3/error-model.h>
#include <ns3/ptr.h>

namespace alglab::scenario {

class LinkOutageErrorModel : public ns3::ErrorModel {
 public:
  static ns3::TypeId GetTypeId();
  LinkOutageErrorModel() = default;

  void SetDown(bool down) { m_down = down; }
  bool IsDown() const { return m_down; }
  /// The loss model of the link when it is up (nullptr: no loss).
  void SetInner(ns3::Ptr<ns3::ErrorModel> inner) { m_inner = inner; }
  ns3::Ptr<ns3::ErrorModel> GetInner() const { return m_inner; }

 private:
  bool DoCorrupt(ns3::Ptr<ns3::Packet> p) override;
  void DoReset() override;

  bool m_down = false;
  ns3::Ptr<ns3::ErrorModel> m_inner;
};

}  // namespace alglab::scenario

#endif
