#include "alg-models/linux-netfilter/netfilter-sip-engine.h"

#include "alg-models/linux-netfilter/sip-scanner.h"

#include <string_view>

namespace alglab::linuxnf {


NetfilterSipEngine::NetfilterSipEngine(HelperConfig config, ExpectPolicy policy)
    : m_config(std::move(config)), m_table(policy), m_helper(m_table, m_config) {}

MasterState& NetfilterSipEngine::Connection(std::uint64_t id, const ConntrackTuples& tuples,
                                            bool expected) {
  auto [it, inserted] = m_connections.try_emplace(id);
  MasterState& state = it->second;
  if (inserted) {
    state.id = id;
    state.tuples = tuples;
    state.expected = expected;
    state.publicAddress = expected ? tuples.Dst(CtDirection::Original).address
                                   : tuples.Dst(CtDirection::Reply).address;
  }
  return state;
}

MasterState* NetfilterSipEngine::FindConnection(std::uint64_t id) {
  auto it = m_connections.find(id);
  return it == m_connections.end() ? nullptr : &it->second;
}

Verdict NetfilterSipEngine::Process(MasterState& connection, CtDirection dir,
                                    std::string& payload, ns3::Time now) {
  Verdict verdict;
  if (payload.empty()) return verdict;  // no data: not even the timeout is touched
  verdict.refreshesConnection = true;
  PacketContext ctx{connection, dir, payload, now};
  verdict.accept = m_helper.Process(ctx);
  verdict.dropReason = verdict.accept ? nullptr : ctx.dropReason;
  verdict.redirectPort = verdict.accept ? ctx.redirectPort : 0;
  return verdict;
}

Verdict NetfilterSipEngine::ProcessTcpSegment(MasterState& connection, CtDirection dir,
                                              std::string& payload, ns3::Time now) {
  Verdict verdict;
  if (payload.empty()) return verdict;
  verdict.refreshesConnection = true;
  if (payload.size() < kMinSipBytes) return verdict;
  constexpr std::string_view kEndOfHeaders = "\r\n\r\n";
  std::size_t start = 0;       // the current message's first byte
  std::int32_t totalDelta = 0;
  while (start < payload.size()) {
    const std::string_view rest = std::string_view(payload).substr(start);
    // The kernel looks for Content-Length over all the bytes left in the segment (its header
    // search does not stop at the blank line), then for the end of headers after its value.
    const ScanResult length =
        FindSipHeader(rest, 0, rest.size(), SipHeaderKind::ContentLength, m_config.numberRules);
    if (length.status <= 0) break;
    const ParsedNumber clen = ReadNumber(rest, length.offset, rest.size(), m_config.numberRules);
    if (clen.end == length.offset) break;
    // A length larger than the segment cannot be a message in it (the CVE-2026 bound).
    if (clen.value > rest.size()) break;
    const std::size_t headersEnd = rest.find(kEndOfHeaders, clen.end);
    if (headersEnd == std::string_view::npos) break;
    const std::size_t messageLength = headersEnd + kEndOfHeaders.size() + clen.value;
    if (messageLength > rest.size()) {
      // Accepted as is, and the length changes of the messages before it are never recorded.
      verdict.sequenceDelta = 0;
      return verdict;
    }
    std::string message(rest.substr(0, messageLength));
    PacketContext ctx{connection, dir, message, now};
    if (!m_helper.Process(ctx)) {
      verdict.accept = false;
      verdict.dropReason = ctx.dropReason;
      verdict.sequenceDelta = 0;
      return verdict;
    }
    totalDelta += static_cast<std::int32_t>(message.size()) -
                  static_cast<std::int32_t>(messageLength);
    payload.replace(start, messageLength, message);
    start += message.size();
  }
  verdict.sequenceDelta = connection.tuples.IsNatted() ? totalDelta : 0;
  return verdict;
}

void NetfilterSipEngine::ForgetConnection(std::uint64_t id) {
  m_table.RemoveMaster(id);
  m_connections.erase(id);
}

void NetfilterSipEngine::Reset() {
  m_table.Clear();
  m_connections.clear();
}

}  // namespace alglab::linuxnf
