#ifndef ALGLAB_REPORT_RUN_EVIDENCE_H
#define ALGLAB_REPORT_RUN_EVIDENCE_H

// One run's evidence for the report: what the probes measured over time and the SIP ladder at
// the router. Written only with --out (DIR/evidence.json, the matrix's
// runs/V/S/<variant>.evidence.json), so the --json outputs stay as they are.
//
// {"end": seconds,
//  "hosts": {"address": "name"},
//  "rtp": [{"device","call_id","sent":[packets per second...],"received":[...]}],
//  "rtp_omitted": N,
//  "registrations": [{"t","device","success","status"}],
//  "calls": [{"t","device","call_id","event","detail"}],
//  "blf": {"truth":[{"t","extension","state"}],"lamps":[{"t","watcher","extension","state"}]},
//  "reboots": [t...],
//  "ladder": SipLadder::Select(...)}

#include "probes/observation-log.h"
#include "probes/sip-ladder.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace alglab::report {

/// Bounds of one run's evidence, so a large office still gives a page a browser opens.
struct EvidenceLimits {
  std::size_t streams = 64;         ///< RTP streams with a per-second series
  std::size_t records = 4000;       ///< registration, call and BLF records, each
  std::size_t dialogs = 8;          ///< dialogs in the ladder
  std::size_t messagesPerDialog = 60;
};

/// `symptoms`: the run's "symptoms" object; the Call-IDs its present symptoms name come first
/// in the ladder. `hosts`: a name for each address the ladder may show.
nlohmann::ordered_json BuildRunEvidence(const probes::ObservationLog& log, const probes::SipLadder& ladder,
                                        const nlohmann::ordered_json& symptoms,
                                        const std::map<std::string, std::string>& hosts,
                                        const EvidenceLimits& limits = {});

}  // namespace alglab::report

#endif
