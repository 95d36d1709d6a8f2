#ifndef ALGLAB_CONFIG_CHECK_CONFIG_TEXT_H
#define ALGLAB_CONFIG_CHECK_CONFIG_TEXT_H

/// \file
/// Small text helpers the configuration parsers share.

#include <string>

namespace alglab::configcheck {

/// `s` without leading and trailing spaces and tabs.
std::string Trim(const std::string& s);

/// The first space-separated word of `s` (already trimmed).
std::string FirstWord(const std::string& s);

/// True when `s` leaves a `quote` open (a backslash escapes the next character when
/// `backslashEscapes`).
bool LeavesQuoteOpen(const std::string& s, char quote, bool backslashEscapes);

/// True for a FortiOS CLI prompt copied with the output ("FGT60E # show full-configuration",
/// "FGT60E (root) # ", the bare prompt after the last `end`); `s` already trimmed.
bool IsFortiOsPrompt(const std::string& s);

/// Leading spaces of `s` (a tab counts as one).
std::size_t Indent(const std::string& s);

}  // namespace alglab::configcheck

#endif
