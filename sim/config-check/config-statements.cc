// What the four syntaxes share: lines, the choice of parser, and the first look that tells
// which syntax a file could be in before a vendor's signatures decide.
#include "sim/config-check/config-statements.h"

#include "sim/config-check/config-text.h"

#include <set>

namespace alglab::configcheck {

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
    start = end + 1;
  }
  // A final newline ends the last line; it does not start another.
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

bool LooksLike(const std::string& syntax, const std::vector<std::string>& lines) {
  static const std::set<std::string> fortios = {"config", "edit",    "set",  "unset",  "next",   "end",
                                                "append", "unselect", "select", "delete", "rename", "purge"};
  static const std::set<std::string> routerosCommands = {"set", "add", "remove", "disable", "enable", "unset"};
  std::size_t meaningful = 0, accepted = 0;
  bool continued = false;
  bool inQuote = false;  // FortiOS: inside a quoted value that spans lines (a certificate)
  for (const std::string& raw : lines) {
    const std::string t = Trim(raw);
    const bool continuation = continued || inQuote;
    continued = syntax == "routeros" && !t.empty() && t.back() == '\\';
    if (syntax == "fortios" && LeavesQuoteOpen(t, '"', true)) inQuote = !inQuote;
    if (t.empty() || continuation) continue;
    const std::string word = FirstWord(t);
    if (syntax == "fortios") {
      if (t[0] == '#' || IsFortiOsPrompt(t)) continue;
      ++meaningful;
      accepted += fortios.count(word);
    } else if (syntax == "routeros") {
      if (t[0] == '#') continue;
      ++meaningful;
      accepted += (t[0] == '/' || routerosCommands.count(word) != 0) ? 1 : 0;
    } else if (syntax == "set-commands") {
      if (t[0] == '#') continue;
      ++meaningful;
      accepted += (word == "set") ? 1 : 0;
    } else if (syntax == "indented") {
      // Cisco's configurations hold almost any words; what marks them is the `!` separator
      // lines (IOS, ASA) or ASA's `:` header lines, and a closing `end`.
      ++meaningful;
      accepted += (t[0] == '!' || t[0] == ':' || word == "hostname" || word == "end") ? 1 : 0;
    }
  }
  if (meaningful == 0) return false;
  if (syntax == "indented") return accepted >= 2;
  // A few lines of another kind (a pasted prompt) may be refused later with their line.
  return accepted * 10 >= meaningful * 8;
}

std::vector<Statement> ParseStatements(const std::string& syntax, const std::vector<std::string>& lines) {
  if (syntax == "fortios") return ParseFortiOs(lines);
  if (syntax == "routeros") return ParseRouterOs(lines);
  if (syntax == "set-commands") return ParseSetCommands(lines);
  if (syntax == "indented") return ParseIndented(lines);
  throw std::logic_error("config syntax '" + syntax + "' has no parser");
}

}  // namespace alglab::configcheck
