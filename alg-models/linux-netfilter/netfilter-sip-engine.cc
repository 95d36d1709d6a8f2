#include "alg-models/linux-netfilter/netfilter-sip-engine.h"

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

void NetfilterSipEngine::ForgetConnection(std::uint64_t id) {
  m_table.RemoveMaster(id);
  m_connections.erase(id);
}

void NetfilterSipEngine::Reset() {
  m_table.Clear();
  m_connections.clear();
}

}  // namespace alglab::linuxnf
