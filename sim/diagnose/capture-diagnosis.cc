#include "sim/diagnose/capture-diagnosis.h"

#include "sim/diagnose/alg-fingerprints.h"

#include "sim/sip/sdp.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace alglab::diagnose {

using nlohmann::json;

namespace {

/// A request and what came back for it, keyed by Call-ID, CSeq number and method.
struct Transaction {
  std::vector<const SipRecord*> requests;   ///< the first and its retransmissions
  std::vector<const SipRecord*> responses;
  bool HasStatus(int lo, int hi) const {
    for (auto* r : responses)
      if (r->message.StatusCode() >= lo && r->message.StatusCode() <= hi) return true;
    return false;
  }
  const SipRecord* FinalResponse() const {
    for (auto* r : responses)
      if (r->message.StatusCode() >= 200) return r;
    return nullptr;
  }
};

using TransactionKey = std::tuple<std::string, std::uint32_t, std::string>;


json Frames(const std::vector<const SipRecord*>& records, std::size_t limit = 8) {
  json out = json::array();
  for (auto* r : records) {
    if (out.size() >= limit) break;
    out.push_back(r->frame);
  }
  return out;
}

struct MediaEndpoint {
  std::uint32_t ip = 0;
  std::uint16_t port = 0;
};

std::optional<MediaEndpoint> SdpAudio(const sip::SipMessage& m) {
  if (m.Body().empty() || !m.BodyIsSdp()) return std::nullopt;
  auto sdp = sip::SessionDescription::Parse(m.Body());
  if (!sdp) return std::nullopt;
  const auto& d = sdp.Value();
  for (std::size_t i = 0; i < d.media.size(); ++i) {
    if (d.media[i].type != "audio" || d.media[i].port == 0) continue;
    MediaEndpoint e;
    e.port = d.media[i].port;
    const auto address = d.MediaAddress(i);
    if (address) ParseIpv4(*address, e.ip);
    return e;
  }
  return std::nullopt;
}

/// Packets of a flow with times in [from, to].
std::size_t CountBetween(const std::vector<double>& times, double from, double to) {
  const auto lo = std::lower_bound(times.begin(), times.end(), from);
  const auto hi = std::upper_bound(times.begin(), times.end(), to);
  return hi > lo ? std::size_t(hi - lo) : 0;
}

json Symptom(const std::string& name, const std::string& what, const std::string& callId,
             const std::vector<const SipRecord*>& evidence, const std::string& mechanism) {
  json s = {{"symptom", name}, {"what", what}, {"call_id", callId}, {"frames", Frames(evidence)},
            {"mechanism", mechanism}};
  s["time"] = evidence.empty() ? json(nullptr) : json(evidence.front()->time);
  return s;
}

}  // namespace

std::string MessageKind(const sip::SipMessage& m) {
  if (m.IsRequest()) return m.Method();
  const auto cseq = m.GetCSeq();
  return fmt::format("{} {}", m.StatusCode(), cseq ? cseq->method : std::string("?"));
}

json DiagnoseCapture(const CaptureExtractor& capture) {
  const auto& records = capture.Sip();
  const double end = capture.LastTime();

  // --- which side of a NAT this capture is on --------------------------------------------
  std::size_t privateEnds = 0, publicOnly = 0;
  for (const auto& r : records) {
    if (IsPrivateIpv4(r.srcIp) || IsPrivateIpv4(r.dstIp))
      ++privateEnds;
    else
      ++publicOnly;
  }
  const std::string side = records.empty() ? "unknown" : privateEnds >= publicOnly ? "lan" : "wan";

  // --- transactions -------------------------------------------------------------------------
  std::map<TransactionKey, Transaction> transactions;
  std::vector<TransactionKey> order;
  for (const auto& r : records) {
    const auto cseq = r.message.GetCSeq();
    const auto callId = r.message.CallId();
    if (!cseq || !callId) continue;
    TransactionKey key{*callId, cseq->sequence, cseq->method};
    auto [it, inserted] = transactions.try_emplace(key);
    if (inserted) order.push_back(key);
    (r.message.IsRequest() ? it->second.requests : it->second.responses).push_back(&r);
  }
  // Where user agents registered from: an INVITE sent there is an incoming call.
  std::set<std::pair<std::uint32_t, std::uint16_t>> registeredFrom;
  for (const auto& r : records)
    if (r.message.IsRequest() && r.message.Method() == "REGISTER") registeredFrom.insert({r.srcIp, r.srcPort});

  json symptoms = json::array();
  // A transaction whose request is this recent may still be answered after the capture ends.
  const double kTimerB = 32.0;

  // --- registration_failure ------------------------------------------------------------------
  {
    // Per address-of-record and registering address: each REGISTER transaction, in order.
    struct Aor {
      std::vector<const Transaction*> tx;
    };
    std::map<std::string, Aor> aors;
    std::vector<std::string> aorOrder;
    for (const auto& key : order) {
      const auto& t = transactions.at(key);
      if (std::get<2>(key) != "REGISTER" || t.requests.empty()) continue;
      const auto* first = t.requests.front();
      const auto to = first->message.To();
      // By address-of-record only: after a router reboot the same handset may come from
      // another public port.
      const std::string aor = to ? to->uri.user + "@" + to->uri.host : std::string("?");
      if (!aors.count(aor)) aorOrder.push_back(aor);
      aors[aor].tx.push_back(&t);
    }
    for (const auto& aor : aorOrder) {
      const auto& list = aors[aor].tx;
      for (std::size_t i = 0; i < list.size(); ++i) {
        const auto& t = *list[i];
        const auto* first = t.requests.front();
        const auto* final = t.FinalResponse();
        const bool retried = i + 1 < list.size();
        const std::string callId = first->message.CallId().value_or("");
        if (final && final->message.StatusCode() >= 300) {
          const int code = final->message.StatusCode();
          if ((code == 401 || code == 407) && retried) continue;  // a challenge, answered
          auto evidence = t.requests;
          evidence.push_back(final);
          symptoms.push_back(Symptom("registration_failure",
                                     fmt::format("REGISTER for {} answered {} {}", aor, code, final->message.Reason()),
                                     callId, evidence,
                                     code == 403 || code == 401 || code == 407
                                         ? "the registrar refused the credentials or the address it saw (a rewritten Contact or Via can cause this)"
                                         : "the registrar refused the request"));
        } else if (!final && (first->time + kTimerB <= end || t.requests.back()->time - first->time >= kTimerB / 2)) {
          symptoms.push_back(Symptom(
              "registration_failure",
              fmt::format("REGISTER for {} never answered ({} transmissions)", aor, t.requests.size()), callId,
              t.requests,
              side == "lan" ? "the request or its answer was lost beyond this capture point (an ALG drop, or the NAT filtered the answer)"
                            : "the registrar did not answer, or the answer was lost"));
        }
      }
      // Refreshes that stop: the last accepted registration lapses before the capture ends.
      const Transaction* lastOk = nullptr;
      for (auto* t : list)
        if (t->HasStatus(200, 299)) lastOk = t;
      if (lastOk && lastOk == list.back()) {
        const auto* ok = lastOk->FinalResponse();
        std::uint32_t expires = 3600;
        if (auto e = ok->message.Expires()) expires = *e;
        else if (auto e2 = lastOk->requests.front()->message.Expires()) expires = *e2;
        for (const auto& c : ok->message.Contacts())
          if (auto e3 = c.params.Get("expires")) expires = static_cast<std::uint32_t>(std::atoi(e3->c_str()));
        if (expires > 0 && ok->time + expires + 5 < end) {
          symptoms.push_back(Symptom(
              "registration_failure",
              fmt::format("registration of {} lapsed: accepted for {} s at {:.3f}, no refresh before the capture ended at {:.3f}",
                          aor, expires, ok->time, end),
              ok->message.CallId().value_or(""), {ok},
              "refreshes stopped: the handset lost its binding or its refreshes never crossed this capture point"));
        }
      }
    }
  }

  // --- INVITEs: not ringing, not connecting ----------------------------------------------
  std::size_t calls = 0;
  struct Call {
    std::string callId;
    const SipRecord* invite = nullptr;
    const SipRecord* ok = nullptr;
    double until = 0;
    std::vector<MediaEndpoint> media;
  };
  std::vector<Call> established;
  for (const auto& key : order) {
    const auto& t = transactions.at(key);
    if (std::get<2>(key) != "INVITE" || t.requests.empty()) continue;
    const auto* first = t.requests.front();
    const auto to = first->message.To();
    if (!to || to->Tag()) continue;  // a re-INVITE
    ++calls;
    const bool incoming = registeredFrom.count({first->dstIp, first->dstPort}) > 0;
    const std::string& callId = std::get<0>(key);
    const auto* final = t.FinalResponse();
    const bool rang = t.HasStatus(180, 183) || t.HasStatus(200, 299);
    // Too recent to judge, unless its retransmissions already ran for half of timer B.
    const bool late = first->time + kTimerB > end && t.requests.back()->time - first->time < kTimerB / 2;
    // Busy and decline are the handset's answer, not a failure to ring.
    const int finalCode = final ? final->message.StatusCode() : 0;
    const bool refusedByUser = finalCode == 486 || finalCode == 600 || finalCode == 603;
    if (incoming && !rang && !late && !refusedByUser) {
      auto evidence = t.requests;
      if (final) evidence.push_back(final);
      symptoms.push_back(Symptom(
          "incoming_calls_not_ringing",
          fmt::format("incoming INVITE to {} never rang ({} transmissions{})", FormatEndpoint(first->dstIp, first->dstPort),
                      t.requests.size(), final ? fmt::format(", answered {}", final->message.StatusCode()) : ""),
          callId, evidence,
          final ? "the handset refused it (its Request-URI or SDP may have been rewritten)"
                : "the INVITE reached this capture point but no answer came back: the handset ignored it or its answer was dropped"));
    }
    if (!incoming && !late && (!final || final->message.StatusCode() >= 300)) {
      const int code = final ? final->message.StatusCode() : 0;
      if (code != 401 && code != 407 && code != 486 && code != 487 && code != 480 && code != 603) {
        auto evidence = t.requests;
        if (final) evidence.push_back(final);
        symptoms.push_back(Symptom(
            "calls_not_connecting",
            final ? fmt::format("INVITE answered {} {}", code, final->message.Reason())
                  : fmt::format("INVITE never answered finally ({} transmissions{})", t.requests.size(),
                                rang ? ", it rang" : ""),
            callId, evidence,
            final ? "the far end refused the call"
                  : "the INVITE or its final answer was lost beyond this capture point (an ALG drop, an oversized rewrite, or NAT filtering)"));
      }
    }
    if (final && final->message.StatusCode() < 300) {
      // A 2xx retransmitted without an ACK: the ACK never arrived.
      std::vector<const SipRecord*> oks;
      for (auto* r : t.responses)
        if (r->message.StatusCode() >= 200 && r->message.StatusCode() < 300) oks.push_back(r);
      bool acked = false;
      for (const auto& r : records)
        if (r.message.IsRequest() && r.message.Method() == "ACK" && r.message.CallId() == callId) acked = true;
      if (!acked && oks.size() >= 3) {
        // The answerer is in the call (it may already send media) until it gives up waiting for
        // the ACK and hangs up: for the caller the call never connected, for the answerer it
        // was cut.
        symptoms.push_back(Symptom("calls_not_connecting",
                                   fmt::format("200 INVITE sent {} times, never acknowledged", oks.size()), callId, oks,
                                   "the 200 or its ACK was lost beyond this capture point (an ALG drop of the answer's SDP, "
                                   "or an ACK sent where a rewritten Contact pointed)"));
        symptoms.push_back(Symptom("audio_drop_midcall",
                                   fmt::format("answered call cut: its 200 INVITE was retransmitted {} times and never "
                                               "acknowledged, so the answerer hangs up",
                                               oks.size()),
                                   callId, oks, "the answer never reached the caller, or the caller's ACK never came back"));
        continue;
      }
      Call call;
      call.callId = callId;
      call.invite = first;
      call.ok = final;
      call.until = end;
      for (const auto& r : records)
        if (r.message.IsRequest() && r.message.Method() == "BYE" && r.message.CallId() == callId && r.time > final->time) {
          call.until = r.time;
          break;
        }
      for (const auto& r : records) {
        if (r.message.CallId() != callId) continue;
        if (auto m = SdpAudio(r.message)) {
          bool known = false;
          for (const auto& e : call.media) known = known || (e.ip == m->ip && e.port == m->port);
          if (!known) call.media.push_back(*m);
        }
      }
      established.push_back(std::move(call));
    }
  }

  // --- RTP: one-way audio and mid-call gaps -------------------------------------------------
  // Everything that came in from the public side toward a private host, in time order: when
  // all of it stops at once the router (or its line) stopped, not one pinhole.
  std::vector<std::pair<double, FlowKey>> inbound;
  for (const auto& [key, flow] : capture.Rtp())
    if (!IsPrivateIpv4(key.srcIp) && IsPrivateIpv4(key.dstIp))
      for (double t : flow.times) inbound.push_back({t, key});
  for (const auto& r : records)
    if (!IsPrivateIpv4(r.srcIp) && IsPrivateIpv4(r.dstIp))
      inbound.push_back({r.time, FlowKey{r.srcIp, r.dstIp, r.srcPort, r.dstPort}});
  std::sort(inbound.begin(), inbound.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });
  // True when nothing else came in during the gap, while other inbound traffic exists around
  // it (with nothing else to compare, a lone flow's gap stays a drop).
  auto inboundSilent = [&](const FlowKey& gapped, double from, double to) {
    bool otherBefore = false, otherAfter = false;
    for (const auto& [t, key] : inbound) {
      if (key.srcIp == gapped.srcIp && key.srcPort == gapped.srcPort && key.dstIp == gapped.dstIp &&
          key.dstPort == gapped.dstPort)
        continue;
      if (t > from + 0.1 && t < to - 0.1) return false;
      if (t <= from && t > from - 30) otherBefore = true;
      if (t >= to && t < to + 30) otherAfter = true;
    }
    return otherBefore && otherAfter;
  };
  // Silences phone-side senders chose (mute, hold, a handset with nothing to send): the
  // capture sees them before any router. A relay or peer then has nothing to send back.
  std::vector<std::pair<double, double>> senderSilences;
  for (const auto& [key, flow] : capture.Rtp())
    if (IsPrivateIpv4(key.srcIp) && !IsPrivateIpv4(key.dstIp))
      for (std::size_t i = 1; i < flow.times.size(); ++i)
        if (flow.times[i] - flow.times[i - 1] >= 0.5) senderSilences.push_back({flow.times[i - 1], flow.times[i]});
  auto senderWasSilent = [&](double from, double to) {
    for (const auto& [a, b] : senderSilences)
      if (a <= from + 1.0 && b >= to - 1.0) return true;
    return false;
  };
  struct Outage {
    double from, to;
    std::string callId;
    std::uint64_t frame;
  };
  std::vector<Outage> outages;
  // Hold: a re-INVITE or UPDATE whose SDP is not sendrecv (or c=0.0.0.0), until one that is;
  // true when the call was held when the gap began or was put on hold during it.
  auto Held = [&](const std::string& callId, double from, double to) {
    bool held = false;
    for (const auto& r : records) {
      if (r.time > to) break;
      if (!r.message.IsRequest() || r.message.CallId() != callId) continue;
      if (r.message.Method() != "INVITE" && r.message.Method() != "UPDATE") continue;
      const auto to_ = r.message.To();
      if (!to_ || !to_->Tag() || r.message.Body().empty()) continue;
      auto sdp = sip::SessionDescription::Parse(r.message.Body());
      if (!sdp) continue;
      const auto& d = sdp.Value();
      bool thisHeld = d.connection && d.connection->address == "0.0.0.0";
      for (const auto& m : d.media)
        thisHeld = thisHeld || m.Direction(d.SessionDirection()) != sip::MediaDirection::SendRecv ||
                   (m.connection && m.connection->address == "0.0.0.0");
      if (r.time < from)
        held = thisHeld;  // the state when the gap began
      else if (thisHeld)
        return true;      // put on hold during the gap
    }
    return held;
  };

  std::set<std::uint16_t> negotiatedPorts;
  for (const auto& c : established)
    for (const auto& e : c.media) negotiatedPorts.insert(e.port);
  std::size_t negotiatedRtp = 0, heuristicRtp = 0;
  for (const auto& [key, flow] : capture.Rtp())
    (negotiatedPorts.count(key.srcPort) || negotiatedPorts.count(key.dstPort) ? negotiatedRtp : heuristicRtp) +=
        flow.times.size();

  for (const auto& call : established) {
    // A second is enough: a ring group's extra answerers are hung up within two, and one that
    // sent 50 packets into silence heard nothing.
    if (call.media.size() < 2 || call.until - call.ok->time < 1.0) continue;
    // The two sides: the offer's and the answer's media endpoint. A flow belongs to the side it
    // is sent to (by port, the address may have been translated on the way).
    const MediaEndpoint a = call.media[0], b = call.media[1];
    struct Direction {
      std::vector<const RtpFlow*> flows;
      std::size_t packets = 0;
    } toA, toB;
    for (const auto& [key, flow] : capture.Rtp()) {
      const std::size_t n = CountBetween(flow.times, call.ok->time, call.until);
      if (n == 0) continue;
      // By an end that matches a negotiated address and port exactly: the side that was not
      // translated on the way (a relay's several legs share its address, so a port alone would
      // mix calls up).
      bool towardA;
      const bool dstA = key.dstIp == a.ip && key.dstPort == a.port, srcA = key.srcIp == a.ip && key.srcPort == a.port;
      const bool dstB = key.dstIp == b.ip && key.dstPort == b.port, srcB = key.srcIp == b.ip && key.srcPort == b.port;
      if (dstA || srcB) towardA = true;
      else if (dstB || srcA) towardA = false;
      else continue;
      auto& dir = towardA ? toA : toB;
      dir.flows.push_back(&flow), dir.packets += n;
    }
    const double seconds = call.until - call.ok->time;
    const std::size_t expected = static_cast<std::size_t>(seconds * 10);  // a fifth of 50 packets/s
    auto describe = [](const MediaEndpoint& e) { return FormatEndpoint(e.ip, e.port); };
    if ((toA.packets >= expected) != (toB.packets >= expected) && std::max(toA.packets, toB.packets) >= 50) {
      const bool aHears = toA.packets >= expected;
      symptoms.push_back(Symptom(
          "one_way_audio",
          fmt::format("RTP toward {} {} packets, toward {} {} packets in {:.1f} s of call", describe(a), toA.packets,
                      describe(b), toB.packets, seconds),
          call.callId, {call.invite, call.ok},
          fmt::format("media toward {} never crossed this capture point: a media pinhole missing or closed, SDP c= naming an "
                      "address that does not route, or NAT filtering",
                      aHears ? describe(b) : describe(a))));
    }
    // Gaps in media coming through the router toward a phone while the phone kept sending.
    // Only inbound flows count: the capture sees what a phone-side sender sent before any
    // router, so a gap in its own packets is its choice (mute, hold), not a loss.
    for (const auto* dir : {&toA, &toB}) {
      const auto* other = dir == &toA ? &toB : &toA;
      if (other->packets == 0) continue;
      for (const auto* flow : dir->flows) {
        if (IsPrivateIpv4(flow->key.srcIp) || !IsPrivateIpv4(flow->key.dstIp)) continue;
        const auto lo = std::lower_bound(flow->times.begin(), flow->times.end(), call.ok->time);
        const auto hi = std::upper_bound(flow->times.begin(), flow->times.end(), call.until);
        for (auto it = lo; it != hi && it + 1 != hi; ++it) {
          const double from = *it, to = *(it + 1);
          if (to - from < 0.5) continue;
          std::size_t otherDuring = 0;
          for (const auto* o : other->flows) otherDuring += CountBetween(o->times, from + 0.1, to - 0.1);
          if (otherDuring < 5) continue;  // both silent: the end, not a drop
          if (Held(call.callId, from, to) || senderWasSilent(from, to)) continue;
          if (inboundSilent(flow->key, from, to)) {
            outages.push_back({from, to, call.callId, flow->lastFrame});
            break;
          }
          symptoms.push_back(Symptom(
              "audio_drop_midcall",
              fmt::format("RTP {} -> {} silent for {:.2f} s from {:.3f} while {} packets flowed the other way",
                          FormatEndpoint(flow->key.srcIp, flow->key.srcPort), FormatEndpoint(flow->key.dstIp, flow->key.dstPort),
                          to - from, from, otherDuring),
              call.callId, {call.ok},
              "media toward the phone lost beyond this capture point mid-call while other traffic still came in: a "
              "binding or media pinhole that expired or was flushed"));
          break;  // one gap per flow is evidence enough
        }
      }
    }
  }

  // --- BLF: subscriptions and their NOTIFYs ---------------------------------------------------
  for (const auto& key : order) {
    const auto& t = transactions.at(key);
    const std::string& method = std::get<2>(key);
    if ((method != "SUBSCRIBE" && method != "NOTIFY") || t.requests.empty()) continue;
    const auto* first = t.requests.front();
    if (first->time + kTimerB > end) continue;
    const auto* final = t.FinalResponse();
    if (final && final->message.StatusCode() < 300) continue;
    if (final && (final->message.StatusCode() == 401 || final->message.StatusCode() == 407)) continue;
    auto evidence = t.requests;
    if (final) evidence.push_back(final);
    const std::string outcome =
        final ? fmt::format("answered {} {}", final->message.StatusCode(), final->message.Reason())
              : fmt::format("never answered ({} transmissions)", t.requests.size());
    symptoms.push_back(Symptom(
        "blf_not_updating", fmt::format("{} {}", method, outcome), std::get<0>(key), evidence,
        method == "NOTIFY"
            ? (final && final->message.StatusCode() == 481
                   ? "the watcher no longer knows the subscription: its NOTIFYs reach the wrong handset (a NAT port reused after a reboot, a rewritten Contact)"
                   : "the NOTIFY did not reach the watcher: the subscription's inbound path is closed (binding or pinhole expired, NAT filtering, ALG drop)")
            : "the subscription was refused or lost, so the lamp stops updating"));
  }

  // --- fingerprints ---------------------------------------------------------------------------
  const AlgFingerprints found = FindAlgFingerprints(records);

  json outageList = json::array();
  for (const auto& o : outages)
    outageList.push_back({{"from", o.from}, {"to", o.to}, {"call_id", o.callId}, {"frame", o.frame},
                          {"why", "nothing at all came in from the public side meanwhile: the router was not forwarding "
                                  "(a reboot, the line down); not counted as a mid-call drop"}});

  json notVisible = json::array();
  notVisible.push_back({{"symptom", "fails_after_reboot"},
                        {"why", "a router reboot is not in a capture; only its effects (a gap, a new public port) are"}});
  if (side == "lan")
    notVisible.push_back({{"symptom", "incoming_calls_not_ringing"},
                          {"why", "an INVITE the router dropped never reaches the phone side: give the WAN capture (--wan) to see it"}});
  else
    notVisible.push_back({{"symptom", "one_way_audio"},
                          {"why", "on the WAN side only the router's translations are seen; whether the phone heard the media needs the LAN capture"}});

  std::set<std::string> callIds;
  for (const auto& r : records)
    if (auto id = r.message.CallId()) callIds.insert(*id);
  const auto& counts = capture.Counts();
  return json{{"side", side},
              {"sip_messages", counts.sipMessages},
              {"sip_call_ids", callIds.size()},
              {"sip_defects", counts.sipDefects},
              {"keepalives", counts.keepalives},
              {"rtp_packets", counts.rtpPackets},
              {"rtp_negotiated", negotiatedRtp},
              {"rtp_heuristic", heuristicRtp},
              {"calls", calls},
              {"calls_established", established.size()},
              {"symptoms", symptoms},
              {"fingerprints", found.listed},
              {"fingerprint_counts", found.counts},
              {"outages", outageList},
              {"not_visible", notVisible}};
}

}  // namespace alglab::diagnose
