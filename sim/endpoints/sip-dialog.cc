#include "sim/endpoints/sip-dialog.h"

#include "sim/endpoints/sip-message-helpers.h"

namespace alglab {

SipDialog SipDialog::FromRequest(const sip::SipMessage& request, const std::string& localTag) {
  SipDialog d;
  d.callId = request.CallId().value_or("");
  if (auto from = request.From()) {
    d.remote = *from;
  }
  if (auto to = request.To()) {
    d.local = *to;
  }
  d.local.params.Set("tag", localTag);
  const auto contacts = request.Contacts();
  d.remoteTarget = contacts.empty() ? d.remote.uri : contacts.front().uri;
  if (auto cseq = request.GetCSeq()) {
    d.remoteCseq = cseq->sequence;
  }
  return d;
}

void SipDialog::UpdateFromResponse(const sip::SipMessage& response) {
  if (auto to = response.To(); to && to->Tag()) {
    remote.params.Set("tag", *to->Tag());
  }
  const auto contacts = response.Contacts();
  if (!contacts.empty() && !contacts.front().isWildcard) {
    remoteTarget = contacts.front().uri;
  }
}

sip::SipMessage SipDialog::MakeRequest(const std::string& method, const sip::NameAddress& contact) {
  auto m = sip::SipMessage::Request(method, remoteTarget);
  m.Add("Max-Forwards", "70");
  m.Add("From", local.ToString());
  m.Add("To", remote.ToString());
  m.Add("Call-ID", callId);
  m.Add("CSeq", std::to_string(++localCseq) + " " + method);
  if (method != "BYE") {
    m.Add("Contact", contact.ToString());
  }
  return m;
}

bool SipDialog::AcceptRemoteCseq(std::uint32_t cseq) {
  if (remoteCseq && cseq <= *remoteCseq) {
    return false;
  }
  remoteCseq = cseq;
  return true;
}

bool SipDialog::MatchesIncoming(const sip::SipMessage& m) const {
  if (m.CallId().value_or("") != callId) {
    return false;
  }
  if (ToTag(m).value_or("") != LocalTag()) {
    return false;
  }
  const std::string theirs = RemoteTag();
  return theirs.empty() || FromTag(m).value_or("") == theirs;
}

}  // namespace alglab
