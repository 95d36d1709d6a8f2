#include "alg-models/contract/hook-point.h"

namespace alglab::alg {

const char* ToString(HookPoint point) {
  switch (point) {
    case HookPoint::InboundPreFilter:
      return "inbound-pre-filter";
    case HookPoint::InboundPostDnat:
      return "inbound-post-dnat";
    case HookPoint::OutboundPostSnat:
      return "outbound-post-snat";
    case HookPoint::LocalIn:
      break;
  }
  return "local-in";
}

}  // namespace alglab::alg
