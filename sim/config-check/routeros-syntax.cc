// RouterOS `/export`: a `/menu path` line, then commands that act in it; a command may also
// follow the path on the same line. A trailing backslash continues a line.
#include "sim/config-check/config-statements.h"
#include "sim/config-check/config-text.h"

#include <set>

namespace alglab::configcheck {

std::vector<Statement> ParseRouterOs(const std::vector<std::string>& lines) {
  static const std::set<std::string> commands = {"set", "add", "remove", "disable", "enable", "unset", "edit"};
  std::vector<Statement> out;
  std::string path;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::size_t lineNo = i + 1;
    std::string t = Trim(lines[i]);
    while (!t.empty() && t.back() == '\\') {
      t.pop_back();
      if (++i >= lines.size()) throw SyntaxError(lineNo, "a line continued with '\\' has no next line (truncated file?)");
      t += Trim(lines[i]);
    }
    t = Trim(t);
    if (t.empty() || t[0] == '#') continue;
    if (LeavesQuoteOpen(t, '"', true)) throw SyntaxError(lineNo, "a quoted value is never closed");
    std::string command = t;
    if (t[0] == '/') {
      // "/ip firewall service-port" or "/ip firewall service-port set sip disabled=yes".
      std::size_t at = 0;
      std::string words;
      while (at < t.size()) {
        const std::size_t end = t.find(' ', at);
        const std::string word = t.substr(at, end == std::string::npos ? std::string::npos : end - at);
        if (commands.count(word) != 0) break;
        words += (words.empty() ? "" : " ") + word;
        at = end == std::string::npos ? t.size() : end + 1;
      }
      path = words;
      out.push_back({lineNo, path});
      command = Trim(t.substr(at < t.size() ? at : t.size()));
      if (command.empty()) continue;
    }
    if (path.empty()) throw SyntaxError(lineNo, "a command before any /menu path: '" + t.substr(0, 60) + "'");
    if (commands.count(FirstWord(command)) == 0)
      throw SyntaxError(lineNo, "not a RouterOS export command: '" + command.substr(0, 60) + "'");
    out.push_back({lineNo, path + " > " + command});
  }
  return out;
}

}  // namespace alglab::configcheck
