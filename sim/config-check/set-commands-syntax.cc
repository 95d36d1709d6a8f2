// EdgeOS / Vyatta `show configuration commands`: one `set` command per line, values in single
// quotes. The quotes are removed from the statement so rules need not spell them.
#include "sim/config-check/config-statements.h"
#include "sim/config-check/config-text.h"

namespace alglab::configcheck {

std::vector<Statement> ParseSetCommands(const std::vector<std::string>& lines) {
  std::vector<Statement> out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::size_t lineNo = i + 1;
    const std::string t = Trim(lines[i]);
    if (t.empty() || t[0] == '#') continue;
    if (FirstWord(t) != "set") throw SyntaxError(lineNo, "not a 'set' command: '" + t.substr(0, 60) + "'");
    if (LeavesQuoteOpen(t, '\'', false)) throw SyntaxError(lineNo, "a quoted value is never closed (truncated file?)");
    std::string text;
    for (const char c : t)
      if (c != '\'') text += c;
    out.push_back({lineNo, text});
  }
  return out;
}

}  // namespace alglab::configcheck
