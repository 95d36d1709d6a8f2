#ifndef ALGLAB_CONFIG_CHECK_BOUNDED_REGEX_H
#define ALGLAB_CONFIG_CHECK_BOUNDED_REGEX_H

// libstdc++'s regex engine recurses once per character it consumes, so a pattern with `.*`
// on a line tens of kilobytes long (a RouterOS comment, a FortiOS certificate) overflows the
// stack; sanitizer builds, with larger frames, overflowed at 2048 characters. Every regex of
// config-check therefore sees at most kRegexCharacters of a line: a search looks at its start
// (every setting it reads sits there), and a whole-line match refuses a longer line (no
// prompt, banner or value is that long).

#include <algorithm>
#include <cstddef>
#include <regex>
#include <string>

namespace alglab::configcheck {

inline constexpr std::size_t kRegexCharacters = 512;

inline bool BoundedSearch(const std::string& text, const std::regex& re, std::smatch* groups = nullptr) {
  const auto end = text.begin() + static_cast<std::ptrdiff_t>(std::min(text.size(), kRegexCharacters));
  if (groups != nullptr) return std::regex_search(text.begin(), end, *groups, re);
  return std::regex_search(text.begin(), end, re);
}

inline bool BoundedMatch(const std::string& text, const std::regex& re, std::smatch* groups = nullptr) {
  if (text.size() > kRegexCharacters) return false;
  if (groups != nullptr) return std::regex_match(text, *groups, re);
  return std::regex_match(text, re);
}

}  // namespace alglab::configcheck

#endif
