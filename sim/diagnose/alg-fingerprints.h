#ifndef ALGLAB_DIAGNOSE_ALG_FINGERPRINTS_H
#define ALGLAB_DIAGNOSE_ALG_FINGERPRINTS_H

// The marks an ALG (or a NAT without one) leaves in the SIP of one capture: addresses a sender
// wrote about itself that disagree with the packet (a private one on the public side, some
// translated and some not), a Via the phone did not add or that changed on the way back, a
// received= no public server can have written, FortiOS's i= trace, a Content-Length that does
// not match the body. Each names its mechanism (the project's names: helper, rewriter,
// SipDialogProxy, SdpNatTrace; nat:no-alg for a plain NAT's leak) and its evidence.

#include "sim/diagnose/capture-extract.h"

#include <nlohmann/json.hpp>

#include <vector>

namespace alglab::diagnose {

struct AlgFingerprints {
  nlohmann::json listed;  ///< at most kFingerprintsPerKind of each kind, in capture order
  nlohmann::json counts;  ///< {kind: every one found}
};

constexpr std::size_t kFingerprintsPerKind = 20;

AlgFingerprints FindAlgFingerprints(const std::vector<SipRecord>& records);

}  // namespace alglab::diagnose

#endif
