#ifndef ALGLAB_DIAGNOSE_ROUTER_PAIRING_H
#define ALGLAB_DIAGNOSE_ROUTER_PAIRING_H

// The same messages seen on both sides of a router: paired by Call-ID, CSeq, method or status,
// direction and order within a time window, then compared field by field. What differs is
// what the router's ALG rewrote; what is on one side only, it dropped or added.

#include "sim/diagnose/capture-extract.h"

#include <nlohmann/json.hpp>

namespace alglab::diagnose {

/// {"router_wan_address","paired","rewrites":[{"frame_lan","frame_wan","direction","message",
/// "call_id","field","before","after"}],"dropped":[...],"added":[...],"media_dropped":[...],
/// "damage":{"alg":N,"plain_nat":N}}. `lan` is the phone side, `wan` the provider side.
nlohmann::json PairAcrossRouter(const CaptureExtractor& lan, const CaptureExtractor& wan, double window = 2.0);

}  // namespace alglab::diagnose

#endif
