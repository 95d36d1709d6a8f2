#ifndef ALGLAB_PROBES_SIP_LADDER_H
#define ALGLAB_PROBES_SIP_LADDER_H

// The SIP messages that crossed the router, as its LAN side and its WAN side saw them: what the
// report's ladder diagram draws (router in the middle). Plain C++: SipLadderSink feeds it from
// the router's device traces (the frames its pcaps hold) and its "AlgMessage" trace, which
// says which messages the ALG changed or dropped and what they looked like before and after.
//
// A message the ALG rewrote is received on one side with the "before" text and sent on the
// other with the "after" text; the sent sighting carries both, so the report shows the diff.
// A message the ALG dropped is received and never sent; its received sighting says so.
//
// Bounded: at most `maxMessages` sightings are kept (later ones are only counted), and message
// text is kept only for the messages the ALG touched.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace alglab::probes {

enum class LadderSide { Lan, Wan };

struct LadderMessage {
  double t = 0.0;
  LadderSide side = LadderSide::Lan;
  bool received = false;  ///< the router received it (true) or sent it (false)
  std::string src;        ///< "address:port"
  std::string dst;
  std::string transport;  ///< "udp" | "tcp"
  std::string firstLine;
  std::string callId;     ///< "" when the message has none (or is cut, as a fragment)
  std::string cseq;
  /// What the ALG did to this message: "" (nothing seen), "rewrote", "dropped", "stolen".
  std::string alg;
  std::string mechanisms;  ///< the model's labels, joined by '+'
  std::string reason;      ///< the drop reason
  std::string before;      ///< the text before the ALG (rewrote / dropped / stolen)
  std::string after;       ///< the text after it (rewrote)
};

class SipLadder {
 public:
  explicit SipLadder(std::size_t maxMessages = 20000);

  /// The router received (`received`) or sent a transport payload on `side` at `t`. Payloads
  /// that do not start like a SIP message (RTP, keepalive CRLFs) are ignored.
  void OnSighting(double t, LadderSide side, bool received, const std::string& src, const std::string& dst,
                  const std::string& transport, const std::string& payload);
  /// The ALG changed (`verdict` "rewrote"), dropped or stole a payload it had just received.
  /// Call between the received sighting and the sent one, as the router does.
  void OnAlgMessage(const std::string& verdict, const std::string& before, const std::string& after,
                    const std::string& reason, const std::string& mechanisms);

  const std::vector<LadderMessage>& Messages() const { return m_messages; }
  /// SIP sightings past the cap, not kept.
  std::uint64_t NotKept() const { return m_notKept; }

  /// The ladder of a few dialogs as JSON: {"dialogs":[{"call_id","method","why"}],
  /// "messages":[...], "omitted":N}. Dialogs are taken in this order until `maxDialogs`:
  /// `preferred` Call-IDs (e.g. those a present symptom names), dialogs the ALG dropped a
  /// message of, dialogs it rewrote, then one REGISTER dialog, then any other. Each dialog
  /// contributes at most `maxPerDialog` messages, in time order.
  nlohmann::ordered_json Select(const std::vector<std::string>& preferred, std::size_t maxDialogs,
                                std::size_t maxPerDialog) const;

  /// Just the first line, the Call-ID and the CSeq of a SIP message's text ("" for each missing).
  static void Summarise(const std::string& text, std::string& firstLine, std::string& callId, std::string& cseq);

 private:
  struct Recent {
    std::size_t index;
    std::string payload;
  };
  /// A rewrite whose sent sighting has not been seen yet.
  struct PendingRewrite {
    std::string before;
    std::string after;
    std::string mechanisms;
  };

  std::size_t m_maxMessages;
  std::vector<LadderMessage> m_messages;
  std::uint64_t m_notKept = 0;
  std::deque<Recent> m_recentReceived;  ///< the last few received payloads, to find "before"
  std::deque<PendingRewrite> m_pending;
};

}  // namespace alglab::probes

#endif
