#include "probes/sip-ladder.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace alglab::probes {

namespace {

/// How many received payloads are remembered to find the one an ALG verdict is about. The ALG
/// runs on a packet right after the router received it, so the last one nearly always matches.
constexpr std::size_t kRecent = 16;

std::string Trim(const std::string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r')) --e;
  return s.substr(b, e - b);
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string FirstLine(const std::string& text) {
  const std::size_t end = text.find_first_of("\r\n");
  return text.substr(0, end == std::string::npos ? text.size() : end);
}

/// A request line ("INVITE sip:x SIP/2.0") or a status line ("SIP/2.0 200 OK").
bool LooksLikeSip(const std::string& payload) {
  if (payload.size() < 12) return false;
  const std::string line = FirstLine(payload);
  if (line.rfind("SIP/2.0 ", 0) == 0) return true;
  const std::size_t space = line.find(' ');
  if (space == std::string::npos || space == 0) return false;
  for (std::size_t i = 0; i < space; ++i)
    if (!std::isupper(static_cast<unsigned char>(line[i]))) return false;
  return line.size() >= 8 && line.compare(line.size() - 8, 8, " SIP/2.0") == 0;
}

const char* SideName(LadderSide side) { return side == LadderSide::Lan ? "lan" : "wan"; }

/// The method of a CSeq value ("2 INVITE" -> "INVITE").
std::string CseqMethod(const std::string& cseq) {
  const std::size_t space = cseq.find(' ');
  return space == std::string::npos ? std::string() : Trim(cseq.substr(space + 1));
}

}  // namespace

SipLadder::SipLadder(std::size_t maxMessages) : m_maxMessages(maxMessages) {}

void SipLadder::Summarise(const std::string& text, std::string& firstLine, std::string& callId, std::string& cseq) {
  firstLine = Trim(FirstLine(text));
  callId.clear();
  cseq.clear();
  std::size_t pos = text.find('\n');
  while (pos != std::string::npos && pos + 1 < text.size()) {
    const std::size_t start = pos + 1;
    std::size_t end = text.find('\n', start);
    const std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (Trim(line).empty()) break;  // end of the headers
    const std::size_t colon = line.find(':');
    if (colon != std::string::npos) {
      const std::string name = Lower(Trim(line.substr(0, colon)));
      if ((name == "call-id" || name == "i") && callId.empty()) callId = Trim(line.substr(colon + 1));
      if (name == "cseq" && cseq.empty()) cseq = Trim(line.substr(colon + 1));
    }
    pos = end;
  }
}

void SipLadder::OnSighting(double t, LadderSide side, bool received, const std::string& src, const std::string& dst,
                           const std::string& transport, const std::string& payload) {
  if (!LooksLikeSip(payload)) return;
  if (m_messages.size() >= m_maxMessages) {
    ++m_notKept;
    return;
  }
  LadderMessage m;
  m.t = t;
  m.side = side;
  m.received = received;
  m.src = src;
  m.dst = dst;
  m.transport = transport;
  Summarise(payload, m.firstLine, m.callId, m.cseq);
  if (received) {
    m_recentReceived.push_back({m_messages.size(), payload});
    if (m_recentReceived.size() > kRecent) m_recentReceived.pop_front();
  } else {
    // A sent message that is the "after" of a rewrite the ALG just reported.
    for (auto it = m_pending.begin(); it != m_pending.end(); ++it) {
      if (it->after != payload) continue;
      m.alg = "rewrote";
      m.before = it->before;
      m.after = it->after;
      m.mechanisms = it->mechanisms;
      m_pending.erase(it);
      break;
    }
  }
  m_messages.push_back(std::move(m));
}

void SipLadder::OnAlgMessage(const std::string& verdict, const std::string& before, const std::string& after,
                             const std::string& reason, const std::string& mechanisms) {
  if (verdict == "rewrote") {
    m_pending.push_back({before, after, mechanisms});
    if (m_pending.size() > kRecent) m_pending.pop_front();
    return;
  }
  for (auto it = m_recentReceived.rbegin(); it != m_recentReceived.rend(); ++it) {
    if (it->payload != before) continue;
    LadderMessage& m = m_messages[it->index];
    m.alg = verdict;
    m.before = before;
    m.reason = reason;
    m.mechanisms = mechanisms;
    return;
  }
}

nlohmann::ordered_json SipLadder::Select(const std::vector<std::string>& preferred, std::size_t maxDialogs,
                                         std::size_t maxPerDialog) const {
  // Dialogs in order of first sighting, with what makes them interesting.
  std::vector<std::string> order;
  std::map<std::string, std::vector<std::size_t>> byCallId;
  std::set<std::string> dropped, rewrote;
  for (std::size_t i = 0; i < m_messages.size(); ++i) {
    const LadderMessage& m = m_messages[i];
    if (m.callId.empty()) continue;
    auto& list = byCallId[m.callId];
    if (list.empty()) order.push_back(m.callId);
    list.push_back(i);
    if (m.alg == "dropped" || m.alg == "stolen") dropped.insert(m.callId);
    if (m.alg == "rewrote") rewrote.insert(m.callId);
  }
  std::vector<std::pair<std::string, std::string>> chosen;  // (Call-ID, why)
  std::set<std::string> taken;
  const auto take = [&](const std::string& id, const std::string& why) {
    if (chosen.size() >= maxDialogs || byCallId.count(id) == 0 || !taken.insert(id).second) return;
    chosen.emplace_back(id, why);
  };
  for (const auto& id : preferred) take(id, "named by a present symptom");
  for (const auto& id : order)
    if (dropped.count(id)) take(id, "the ALG dropped a message");
  for (const auto& id : order)
    if (rewrote.count(id)) take(id, "the ALG rewrote a message");
  for (const auto& id : order) {
    if (CseqMethod(m_messages[byCallId[id].front()].cseq) != "REGISTER") continue;
    bool haveRegister = false;
    for (const auto& [c, why] : chosen)
      haveRegister = haveRegister || CseqMethod(m_messages[byCallId.at(c).front()].cseq) == "REGISTER";
    if (!haveRegister) take(id, "a registration");
    break;
  }
  for (const auto& id : order) take(id, "other");

  nlohmann::ordered_json out;
  out["dialogs"] = nlohmann::ordered_json::array();
  std::vector<std::size_t> indices;
  std::uint64_t omitted = 0;
  for (const auto& [id, why] : chosen) {
    const auto& list = byCallId.at(id);
    out["dialogs"].push_back({{"call_id", id}, {"method", CseqMethod(m_messages[list.front()].cseq)}, {"why", why}});
    for (std::size_t k = 0; k < list.size(); ++k) {
      if (k < maxPerDialog) indices.push_back(list[k]);
      else ++omitted;
    }
  }
  std::sort(indices.begin(), indices.end());
  out["messages"] = nlohmann::ordered_json::array();
  for (std::size_t i : indices) {
    const LadderMessage& m = m_messages[i];
    nlohmann::ordered_json j;
    j["t"] = m.t;
    j["side"] = SideName(m.side);
    j["dir"] = m.received ? "in" : "out";
    j["src"] = m.src;
    j["dst"] = m.dst;
    j["transport"] = m.transport;
    j["first_line"] = m.firstLine;
    j["call_id"] = m.callId;
    j["cseq"] = m.cseq;
    if (!m.alg.empty()) {
      j["alg"] = m.alg;
      j["mechanisms"] = m.mechanisms;
      if (!m.reason.empty()) j["reason"] = m.reason;
      j["before"] = m.before;
      if (m.alg == "rewrote") j["after"] = m.after;
    }
    out["messages"].push_back(j);
  }
  out["omitted"] = omitted + m_notKept;
  return out;
}

}  // namespace alglab::probes
