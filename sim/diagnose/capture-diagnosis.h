#ifndef ALGLAB_DIAGNOSE_CAPTURE_DIAGNOSIS_H
#define ALGLAB_DIAGNOSE_CAPTURE_DIAGNOSIS_H

// What one capture shows: the symptoms visible in its SIP and RTP (each with its evidence:
// frames, times, Call-ID, and the likely mechanism) and the fingerprints an ALG (or a NAT
// without one) leaves in the SIP it carried. Plain C++ over CaptureExtractor's records.

#include "sim/diagnose/capture-extract.h"

#include <nlohmann/json.hpp>

namespace alglab::diagnose {

/// {"side","symptoms":[...],"fingerprints":[...],"not_visible":[...],"calls":N,...}: see
/// docs/schemas/diagnose.schema.json (the "capture" object's analysis part).
nlohmann::json DiagnoseCapture(const CaptureExtractor& capture);

/// "INVITE" or "200 INVITE": a message's kind as the project names it.
std::string MessageKind(const sip::SipMessage& message);

}  // namespace alglab::diagnose

#endif
