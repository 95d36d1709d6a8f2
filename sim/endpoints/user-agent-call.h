#ifndef ALGLAB_ENDPOINTS_USER_AGENT_CALL_H
#define ALGLAB_ENDPOINTS_USER_AGENT_CALL_H

// One call as an endpoint that is itself a party to it holds it: the phone's current call and
// each of the provider's calls (the PBX, a B2BUA, holds legs instead: pbx-call.h). Both parties
// are automatic, so besides the INVITE session and the RTP stream a call carries the timers
// that stand in for the person: answer after ringing, hang up after the talk time, give up on
// an unanswered call.

#include "sim/endpoints/invite-session.h"
#include "sim/endpoints/media-session.h"
#include "sim/sip/sdp.h"

#include <ns3/event-id.h>
#include <ns3/nstime.h>

#include <functional>
#include <memory>
#include <string>

namespace alglab {

struct UserAgentCall {
  std::shared_ptr<InviteSession> session;
  std::unique_ptr<MediaSession> media;
  /// Our side of the offer/answer (what we answered to the peer's last SDP).
  sip::MediaDirection direction = sip::MediaDirection::SendRecv;
  /// Talk time before we hang up, counted from the answer (calls we place).
  ns3::Time duration;
  ns3::EventId answerTimer;
  ns3::EventId hangupTimer;
  ns3::EventId noAnswerTimer;
  ns3::EventId unmuteTimer;

  UserAgentCall() = default;
  UserAgentCall(const UserAgentCall&) = delete;
  UserAgentCall& operator=(const UserAgentCall&) = delete;
  /// Cancels the timers: none may fire for a call that is gone.
  ~UserAgentCall();

  /// Points our RTP at the peer's audio in `sdp` and takes the answering direction.
  /// False, and nothing changed, when `sdp` describes no audio stream.
  bool ApplyRemoteSdp(const std::string& sdp);

  /// The dialog was confirmed. Stops the no-answer timer; when we placed the call, also takes
  /// the answer's SDP, starts sending and arms `hangUp` after `duration` (a callee starts its
  /// media as it answers, and waits for the caller to hang up).
  void OnConfirmed(std::function<void()> hangUp);
};

}  // namespace alglab

#endif
