#ifndef ALGLAB_ALG_MODELS_CONTRACT_SAMPLE_FLOWS_H
#define ALGLAB_ALG_MODELS_CONTRACT_SAMPLE_FLOWS_H

/// \file
/// Flow-file text (sim/flow/README.md) that models' own tests replay through `alglab mangle`'s
/// engine: one phone's INVITE with an SDP offer naming its private address, as most ALG
/// behaviour shows on it.

#include <string>

namespace alglab::alg::samples {

/// The phone's (10.0.0.2) INVITE to `requestUser`@203.0.113.2 with SDP o= naming the phone and
/// c= naming `connection`, media on port 4000; `{CL}` is filled in by the flow parser.
inline std::string InviteWithSdpFlow(const std::string& requestUser = "200",
                                     const std::string& connection = "10.0.0.2") {
  return ">>> out\n"
         "INVITE sip:" + requestUser + "@203.0.113.2 SIP/2.0\n"
         "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK1\n"
         "From: <sip:100@10.0.0.2>;tag=1\n"
         "To: <sip:" + requestUser + "@203.0.113.2>\n"
         "Call-ID: c1@10.0.0.2\n"
         "CSeq: 1 INVITE\n"
         "Contact: <sip:100@10.0.0.2:5060>\n"
         "Content-Type: application/sdp\n"
         "Content-Length: {CL}\n"
         "\n"
         "v=0\n"
         "o=- 1 1 IN IP4 10.0.0.2\n"
         "s=-\n"
         "c=IN IP4 " + connection + "\n"
         "t=0 0\n"
         "m=audio 4000 RTP/AVP 0\n";
}

}  // namespace alglab::alg::samples

#endif
