// FortiOS `show` / `show full-configuration`: nested `config` tables and `edit` entries,
// closed by `end` and `next`. Every open block must be closed: a file cut short leaves one
// open, and reading it anyway would take missing settings for defaults.
#include "sim/config-check/config-statements.h"
#include "sim/config-check/config-text.h"

#include <set>

namespace alglab::configcheck {

namespace {

struct OpenBlock {
  std::string header;  ///< "config system settings", "edit \"default\""
  std::size_t line;
  bool edit;
};

std::string Path(const std::vector<OpenBlock>& stack) {
  std::string path;
  for (const OpenBlock& b : stack) path += (path.empty() ? "" : " > ") + b.header;
  return path;
}

}  // namespace

std::vector<Statement> ParseFortiOs(const std::vector<std::string>& lines) {
  static const std::set<std::string> settings = {"set",      "unset",  "append", "select", "unselect",
                                                 "delete",   "rename", "purge",  "move",   "clone"};
  std::vector<Statement> out;
  std::vector<OpenBlock> stack;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::size_t lineNo = i + 1;
    std::string t = Trim(lines[i]);
    if (t.empty() || t[0] == '#' || IsFortiOsPrompt(t)) continue;
    // A quoted value may span lines (certificates, comments); it ends where its quote closes.
    // Each added line flips the quote as often as it holds quotes: linear in the value's size.
    for (bool open = LeavesQuoteOpen(t, '"', true); open;) {
      if (++i >= lines.size()) throw SyntaxError(lineNo, "a quoted value opened here is never closed (truncated file?)");
      const std::string next = Trim(lines[i]);
      t += " " + next;
      if (LeavesQuoteOpen(next, '"', true)) open = false;
    }
    const std::string word = FirstWord(t);
    const std::string path = Path(stack);
    if (word == "config") {
      stack.push_back({t, lineNo, false});
      out.push_back({lineNo, Path(stack)});
    } else if (word == "edit") {
      if (stack.empty() || stack.back().edit) throw SyntaxError(lineNo, "'edit' outside a config table");
      stack.push_back({t, lineNo, true});
      out.push_back({lineNo, Path(stack)});
    } else if (word == "next") {
      if (stack.empty() || !stack.back().edit) throw SyntaxError(lineNo, "'next' without an open 'edit'");
      stack.pop_back();
    } else if (word == "end") {
      if (!stack.empty() && stack.back().edit) stack.pop_back();  // `end` closes an entry too
      if (stack.empty()) throw SyntaxError(lineNo, "'end' without an open 'config'");
      stack.pop_back();
    } else if (settings.count(word) != 0) {
      if (stack.empty()) throw SyntaxError(lineNo, "'" + word + "' outside any 'config' block");
      out.push_back({lineNo, path + " > " + t});
    } else {
      throw SyntaxError(lineNo, "not a FortiOS configuration line: '" + t.substr(0, 60) + "'");
    }
  }
  if (!stack.empty()) {
    const OpenBlock& open = stack.back();
    throw SyntaxError(open.line, "'" + open.header + "' is never closed by '" + (open.edit ? "next" : "end") +
                                     "' (truncated file?)");
  }
  return out;
}

}  // namespace alglab::configcheck
