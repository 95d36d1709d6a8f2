#include "sim/config-check/config-text.h"

#include "sim/config-check/bounded-regex.h"

#include <regex>

namespace alglab::configcheck {

std::string Trim(const std::string& s) {
  const std::size_t first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  const std::size_t last = s.find_last_not_of(" \t");
  return s.substr(first, last - first + 1);
}

std::string FirstWord(const std::string& s) { return s.substr(0, s.find_first_of(" \t")); }

bool LeavesQuoteOpen(const std::string& s, char quote, bool backslashEscapes) {
  bool open = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (backslashEscapes && s[i] == '\\') {
      ++i;
      continue;
    }
    if (s[i] == quote) open = !open;
  }
  return open;
}

bool IsFortiOsPrompt(const std::string& s) {
  static const std::regex prompt(R"(^[A-Za-z0-9._-]+( \([^)]*\))? [#$]( .*)?$)");
  return BoundedMatch(s, prompt);
}

std::size_t Indent(const std::string& s) {
  std::size_t n = 0;
  while (n < s.size() && (s[n] == ' ' || s[n] == '\t')) ++n;
  return n;
}

}  // namespace alglab::configcheck
