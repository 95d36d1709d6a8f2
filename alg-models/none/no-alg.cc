// Vendor "none": a router with NAT and no SIP ALG at all (or one whose ALG is switched off).
// It is the control every other model is compared against.
#include "alg-models/contract/alg-model-registry.h"

ALGLAB_REGISTER_ALG_MODEL("none", "", "plain NAT router, no SIP ALG: the control case",
                          "nothing to disable");
