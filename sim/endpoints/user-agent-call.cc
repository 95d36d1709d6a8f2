#include "sim/endpoints/user-agent-call.h"

#include "sim/endpoints/audio-sdp.h"

#include <ns3/simulator.h>

namespace alglab {

UserAgentCall::~UserAgentCall() {
  ns3::Simulator::Cancel(answerTimer);
  ns3::Simulator::Cancel(hangupTimer);
  ns3::Simulator::Cancel(noAnswerTimer);
  ns3::Simulator::Cancel(unmuteTimer);
}

bool UserAgentCall::ApplyRemoteSdp(const std::string& sdp) {
  const auto remote = ReadRemoteAudio(sdp);
  if (!remote) {
    return false;
  }
  media->SetRemote(remote->address);
  direction = AnswerDirection(remote->direction);
  media->SetDirection(direction);
  return true;
}

void UserAgentCall::OnConfirmed(std::function<void()> hangUp) {
  ns3::Simulator::Cancel(noAnswerTimer);
  if (session->GetRole() != InviteSession::Role::Uac) {
    return;
  }
  ApplyRemoteSdp(session->RemoteSdp());
  media->Start();
  hangupTimer = ns3::Simulator::Schedule(duration, std::move(hangUp));
}

}  // namespace alglab
