// Cisco IOS and ASA `show running-config`: a line indented deeper than the one before it is
// a command of that line's sub-mode (`policy-map global_policy` > ` class inspection_default`
// > `  inspect sip`). The listing ends with `end` (ASA: `: end`); a copy without it was cut.
#include "sim/config-check/config-statements.h"

#include "sim/config-check/bounded-regex.h"
#include "sim/config-check/config-text.h"

#include <regex>

namespace alglab::configcheck {

std::vector<Statement> ParseIndented(const std::vector<std::string>& lines) {
  static const std::regex banner(R"(^banner \S+ (\^C|\S).*$)");
  std::vector<Statement> out;
  std::vector<std::pair<std::size_t, std::string>> modes;  // (indent, text) of open sub-modes
  bool ended = false;
  std::size_t lastLine = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::size_t lineNo = i + 1;
    const std::string t = Trim(lines[i]);
    if (t.empty()) continue;
    lastLine = lineNo;
    if (t == "end" || t == ": end") {
      ended = true;
      modes.clear();
      continue;
    }
    if (t[0] == '!' || t[0] == ':') continue;
    ended = false;
    std::smatch m;
    if (BoundedMatch(t, banner, &m)) {
      // A banner's text runs to the next occurrence of its delimiter, whatever it holds.
      const std::string delimiter = m[1];
      const std::size_t first = t.find(delimiter, t.find(' ', 7));
      bool closed = t.find(delimiter, first + delimiter.size()) != std::string::npos;
      while (!closed) {
        if (++i >= lines.size()) throw SyntaxError(lineNo, "a banner opened here is never closed (truncated file?)");
        closed = lines[i].find(delimiter) != std::string::npos;
      }
      modes.clear();
      out.push_back({lineNo, FirstWord(t) + " " + t.substr(7, t.find(' ', 7) - 7)});
      continue;
    }
    const std::size_t indent = Indent(lines[i]);
    while (!modes.empty() && modes.back().first >= indent) modes.pop_back();
    std::string text;
    for (const auto& mode : modes) text += mode.second + " > ";
    text += t;
    out.push_back({lineNo, text});
    modes.emplace_back(indent, t);
  }
  if (!ended) {
    throw SyntaxError(lastLine == 0 ? 1 : lastLine,
                      "the configuration does not end with 'end' (truncated copy of show running-config?)");
  }
  return out;
}

}  // namespace alglab::configcheck
