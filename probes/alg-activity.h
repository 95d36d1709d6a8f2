#ifndef ALGLAB_PROBES_ALG_ACTIVITY_H
#define ALGLAB_PROBES_ALG_ACTIVITY_H

// What the router's ALG did to the messages crossing it: the mechanism side of a diagnosis, to
// set beside the symptoms the devices experienced. Fed from the router's "AlgAction" (every
// inspected packet) and "AlgMessage" (every rewritten or dropped one) traces; plain C++.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace alglab::probes {

class AlgActivity {
 public:
  /// Every packet the ALG inspected (direction "outbound" / "inbound").
  void OnInspected(std::string_view direction);
  /// A packet the ALG rewrote (`after` non-empty) or dropped (`dropped`), with its payloads and
  /// the mechanisms that did it (the router's attribution: "helper", "rewriter+opener").
  void OnMessage(std::string_view direction, bool dropped, std::string_view before,
                 std::string_view after, std::string_view dropReason,
                 std::string_view mechanisms = {});

  /// {"inspected", "rewritten", "dropped", "drop_reasons":{reason:n},
  ///  "messages":{"<outbound|inbound> <METHOD or status>":{"rewritten","dropped",
  ///  "fields":{"Via":n,"Contact":n,"c=":n,...}}},
  ///  "mechanisms":{"<mechanism>":{"<message kind>":{"rewritten","dropped","fields",
  ///  "drop_reasons"}}}}
  nlohmann::json ToJson() const;

  std::uint64_t Inspected() const { return m_inspected; }
  std::uint64_t Rewritten() const { return m_rewritten; }
  std::uint64_t Dropped() const { return m_dropped; }

  /// "INVITE", "REGISTER", "200 INVITE" (a response with its CSeq method), or "non-SIP".
  static std::string MessageKind(std::string_view payload);
  /// Names of the lines that differ between two messages, line by line: the header name
  /// ("Via", "Contact"; compact names as written) or, in a body, the SDP type ("c=", "o=", "m=").
  static std::map<std::string, std::uint64_t> ChangedFields(std::string_view before, std::string_view after);

 private:
  struct Kind {
    std::uint64_t rewritten = 0;
    std::uint64_t dropped = 0;
    std::map<std::string, std::uint64_t> fields;
    std::map<std::string, std::uint64_t> dropReasons;
  };
  static nlohmann::json KindJson(const Kind& k, bool withReasons);
  std::uint64_t m_inspected = 0;
  std::uint64_t m_rewritten = 0;
  std::uint64_t m_dropped = 0;
  std::map<std::string, std::uint64_t> m_dropReasons;
  std::map<std::string, Kind> m_kinds;
  std::map<std::string, std::map<std::string, Kind>> m_byMechanism;
};

}  // namespace alglab::probes

#endif
