#include "probes/alg-activity.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace alglab::probes {

namespace {

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    start = end + 1;
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// The field a line belongs to: "Name" for a header, "x=" for an SDP line, "" otherwise.
std::string FieldOf(std::string_view line, bool inBody) {
  if (inBody) {
    return line.size() >= 2 && line[1] == '=' ? std::string(line.substr(0, 2)) : std::string("body");
  }
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return "start-line";
  return std::string(Trim(line.substr(0, colon)));
}

}  // namespace

void AlgActivity::OnInspected(std::string_view) { ++m_inspected; }

void AlgActivity::OnMessage(std::string_view direction, bool dropped, std::string_view before,
                            std::string_view after, std::string_view dropReason,
                            std::string_view mechanisms) {
  const std::string kindName = std::string(direction) + " " + MessageKind(before);
  Kind& kind = m_kinds[kindName];
  Kind& mine = m_byMechanism[mechanisms.empty() ? std::string("unattributed") : std::string(mechanisms)][kindName];
  if (dropped) {
    const std::string reason = dropReason.empty() ? std::string("unspecified") : std::string(dropReason);
    ++m_dropped;
    ++kind.dropped;
    ++mine.dropped;
    ++m_dropReasons[reason];
    ++mine.dropReasons[reason];
    return;
  }
  ++m_rewritten;
  ++kind.rewritten;
  ++mine.rewritten;
  for (const auto& [field, n] : ChangedFields(before, after)) {
    kind.fields[field] += n;
    mine.fields[field] += n;
  }
}

std::string AlgActivity::MessageKind(std::string_view payload) {
  const std::size_t eol = payload.find_first_of("\r\n");
  const std::string_view first = payload.substr(0, eol);
  if (first.rfind("SIP/2.0 ", 0) == 0) {
    std::string code(first.substr(8, 3));
    // A response is named by its CSeq method: "200 INVITE".
    for (std::string_view line : Lines(payload)) {
      const std::size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      std::string name(Trim(line.substr(0, colon)));
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
      if (name == "cseq") {
        std::string_view value = Trim(line.substr(colon + 1));
        const std::size_t space = value.find(' ');
        if (space != std::string_view::npos) return code + " " + std::string(Trim(value.substr(space)));
      }
    }
    return code;
  }
  const std::size_t space = first.find(' ');
  if (space == std::string_view::npos || first.find("SIP/2.0") == std::string_view::npos) return "non-SIP";
  return std::string(first.substr(0, space));
}

std::map<std::string, std::uint64_t> AlgActivity::ChangedFields(std::string_view before, std::string_view after) {
  const auto a = Lines(before);
  const auto b = Lines(after);
  // Lines both messages keep, in order (a longest common subsequence): an ALG that inserts a
  // line (a proxy's own Via, an SDP i= line) or removes one shifts every later line, which a
  // position-by-position comparison would count as rewritten. Messages are tens of lines.
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::uint32_t>> lcs(n + 1, std::vector<std::uint32_t>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;)
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  std::map<std::string, std::uint64_t> out;
  // Between two kept lines, the removed and the added lines pair up as rewritten lines (named
  // by the field of the line before), the rest are "removed" or "added".
  std::vector<std::size_t> removed, added;
  auto flush = [&] {
    const std::size_t pairs = std::min(removed.size(), added.size());
    for (std::size_t k = 0; k < pairs; ++k) {
      const std::size_t line = removed[k];
      bool inBody = false;
      for (std::size_t x = 0; x < line; ++x) inBody = inBody || a[x].empty();
      ++out[line == 0 ? std::string(a[0].rfind("SIP/2.0", 0) == 0 ? "Status-Line" : "Request-URI")
                      : FieldOf(a[line], inBody)];
    }
    if (removed.size() > pairs) out["removed"] += removed.size() - pairs;
    if (added.size() > pairs) out["added"] += added.size() - pairs;
    removed.clear();
    added.clear();
  };
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      flush();
      ++i;
      ++j;
    } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
      added.push_back(j++);
    } else {
      removed.push_back(i++);
    }
  }
  flush();
  return out;
}

nlohmann::json AlgActivity::KindJson(const Kind& k, bool withReasons) {
  nlohmann::json j = {{"rewritten", k.rewritten}, {"dropped", k.dropped}, {"fields", k.fields}};
  if (withReasons) j["drop_reasons"] = k.dropReasons;
  return j;
}

nlohmann::json AlgActivity::ToJson() const {
  nlohmann::json kinds = nlohmann::json::object();
  for (const auto& [name, k] : m_kinds) kinds[name] = KindJson(k, false);
  nlohmann::json mechanisms = nlohmann::json::object();
  for (const auto& [mechanism, byKind] : m_byMechanism)
    for (const auto& [name, k] : byKind) mechanisms[mechanism][name] = KindJson(k, true);
  return {{"inspected", m_inspected},
          {"rewritten", m_rewritten},
          {"dropped", m_dropped},
          {"drop_reasons", m_dropReasons},
          {"messages", kinds},
          {"mechanisms", mechanisms}};
}

}  // namespace alglab::probes
