#ifndef ALGLAB_CONFIG_CHECK_CONFIG_STATEMENTS_H
#define ALGLAB_CONFIG_CHECK_CONFIG_STATEMENTS_H

/// \file
/// A router configuration cut into statements by its syntax, so one rule engine
/// (config-evaluation.h) reads every vendor: each statement is one line of text naming its
/// enclosing blocks, joined by " > ", with the file line it starts on:
///   fortios       config system settings > set default-voip-alg-mode kernel-helper-based
///                 config voip profile > edit "default" > config sip > set status disable
///   routeros      /ip firewall service-port > set sip disabled=yes
///   set-commands  set system conntrack modules sip disable       (single quotes removed)
///   indented      policy-map global_policy > class inspection_default > inspect sip
/// Block headers are statements of their own (`config system session-helper`), so a rule can
/// tell a table that is shown from one that is left out.

#include <stdexcept>
#include <string>
#include <vector>

namespace alglab::configcheck {

struct Statement {
  std::size_t line = 0;  ///< 1-based line in the file
  std::string text;
};

/// A configuration that is not what its syntax allows: the line and what is wrong (the caller
/// adds the file's name).
class SyntaxError : public std::runtime_error {
 public:
  SyntaxError(std::size_t line, const std::string& what) : std::runtime_error(what), m_line(line) {}
  std::size_t Line() const { return m_line; }

 private:
  std::size_t m_line;
};

/// The file's lines, split on \n with a trailing \r dropped.
std::vector<std::string> SplitLines(const std::string& text);

/// FortiOS `show` / `show full-configuration`: config/edit/set/unset/next/end blocks. Throws
/// SyntaxError for a block left open at the end (a truncated file), a stray next/end, or a
/// quote left open.
std::vector<Statement> ParseFortiOs(const std::vector<std::string>& lines);

/// RouterOS `/export`: /menu paths, commands under them, `\` continuations. Throws SyntaxError
/// for a continuation at the end of the file or a command before any path.
std::vector<Statement> ParseRouterOs(const std::vector<std::string>& lines);

/// EdgeOS/Vyatta `show configuration commands`: `set ...` lines. Throws SyntaxError for any
/// other line or an unbalanced quote.
std::vector<Statement> ParseSetCommands(const std::vector<std::string>& lines);

/// Cisco IOS / ASA `show running-config`: indentation makes sub-modes; `!` and `:` lines are
/// comments; banners are skipped. Throws SyntaxError for an unterminated banner or a file
/// without its closing `end` (a truncated copy).
std::vector<Statement> ParseIndented(const std::vector<std::string>& lines);

/// Whether the lines look like the syntax at all (before signatures pick the vendor): the
/// share of meaningful lines the syntax accepts.
bool LooksLike(const std::string& syntax, const std::vector<std::string>& lines);

/// The parser for `syntax` (fortios, routeros, set-commands, indented).
std::vector<Statement> ParseStatements(const std::string& syntax, const std::vector<std::string>& lines);

}  // namespace alglab::configcheck

#endif
