#ifndef ALGLAB_TESTS_PROBES_DETECT_FAKE_ALGS_H
#define ALGLAB_TESTS_PROBES_DETECT_FAKE_ALGS_H

// Fake ALGs for FakeDetectNetwork, each the smallest behaviour that pins one conclusion of
// the analysis.

#include "fake-detect-network.h"

namespace alglab::detect::testing {

struct KernelLikeOptions {
  bool directMedia = true;       ///< media expectations admit the SDP peer only
  bool directSignalling = true;  ///< signalling expectations admit the registrar only
  bool tcp = true;               ///< also acts on TCP 5060 (else UDP only)
};
/// Rewrites the LAN address in the top Via, Contact and SDP o=/c= of requests to port 5060
/// (leaving Call-ID, bodies and ports alone), the Request-URI of inbound requests, and opens
/// expectations for media (from the SDP) and for signalling (from REGISTER), like Linux's
/// nf_nat_sip.
AlgHook KernelLikeAlg(KernelLikeOptions options = {});
/// A device that re-originates requests to 5060: its own Via on top, a new Contact.
AlgHook ReOriginatingAlg();
/// Drops INVITEs to UDP 5060, passes everything else untouched.
AlgHook InviteDroppingAlg();
/// No ALG: loses the first datagram that starts with `start` (e.g. "INVITE "), like a lossy link.
AlgHook LoseFirst(const std::string& start);
/// Replaces the LAN address everywhere in requests to 5060 (Call-ID included) and fixes the
/// Content-Length: an in-place rewrite that touches the Call-ID.
AlgHook EverywhereAlg();

}  // namespace alglab::detect::testing

#endif
