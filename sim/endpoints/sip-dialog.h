#ifndef ALGLAB_ENDPOINTS_SIP_DIALOG_H
#define ALGLAB_ENDPOINTS_SIP_DIALOG_H

// Dialog state (RFC 3261 section 12) shared by INVITE sessions and subscriptions: identifiers,
// CSeq spaces, remote target, plus where in-dialog requests are physically sent (`nextHop`).
// The next hop is a NAT-traversal decision made by the owner: a handset sends everything to its
// outbound proxy, a server either follows the remote Contact or (FixContact) the address the
// peer's messages really came from. No Record-Route: every server here is a B2BUA.

#include "sim/endpoints/transport-address.h"
#include "sim/sip/sip-message.h"

#include <cstdint>
#include <optional>
#include <string>

namespace alglab {

struct SipDialog {
  std::string callId;
  sip::NameAddress local;   ///< our party, with our tag
  sip::NameAddress remote;  ///< their party, with their tag once known
  sip::Uri remoteTarget;    ///< their Contact URI: Request-URI of in-dialog requests
  std::uint32_t localCseq = 0;
  std::optional<std::uint32_t> remoteCseq;
  TransportAddress nextHop;

  std::string LocalTag() const { return local.Tag().value_or(""); }
  std::string RemoteTag() const { return remote.Tag().value_or(""); }

  /// UAS side, from the dialog-creating request: remote = From, local = To + `localTag`,
  /// remote target = Contact (Request-URI if none), remote CSeq.
  static SipDialog FromRequest(const sip::SipMessage& request, const std::string& localTag);

  /// UAC side: adopt the remote tag and target from a response (1xx with tag or 2xx).
  void UpdateFromResponse(const sip::SipMessage& response);

  /// A new in-dialog request with the next local CSeq (Call-ID, From, To, CSeq, Request-URI,
  /// Max-Forwards and `contact` set; no Via: the transaction layer adds it).
  sip::SipMessage MakeRequest(const std::string& method, const sip::NameAddress& contact);

  /// Out-of-order protection for requests received in this dialog: false (respond 500) when the
  /// CSeq is lower than or equal to the last one seen; ACK/CANCEL are not checked by callers.
  bool AcceptRemoteCseq(std::uint32_t cseq);

  /// True when `m` belongs to this dialog as a request sent to us (To tag = ours, From tag =
  /// theirs; the remote tag may still be unknown, e.g. a NOTIFY racing the SUBSCRIBE's 200).
  bool MatchesIncoming(const sip::SipMessage& m) const;
};

}  // namespace alglab

#endif
