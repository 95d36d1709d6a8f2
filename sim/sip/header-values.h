#ifndef ALGLAB_SIP_HEADER_VALUES_H
#define ALGLAB_SIP_HEADER_VALUES_H

#include "sim/sip/parse-error.h"
#include "sim/sip/uri.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace alglab::sip {

/// One Via entry: "SIP/2.0/UDP host:port;branch=z9hG4bK..;rport;received=..".
struct Via {
  std::string transport = "UDP";
  std::string host;
  std::optional<std::uint16_t> port;
  ParameterList params;

  static ParseResult<Via> Parse(std::string_view text);
  std::string ToString() const;
  std::optional<std::string> Branch() const { return params.Get("branch"); }
};

/// name-addr or addr-spec with header parameters: From, To, Contact, Route, Record-Route.
/// Contact "*" parses with isWildcard=true.
struct NameAddress {
  std::string displayName;  ///< without quotes
  Uri uri;
  ParameterList params;     ///< header params after the URI (tag, expires, q, ...)
  bool isWildcard = false;

  static ParseResult<NameAddress> Parse(std::string_view text);
  /// Always writes the angle-bracket form "\"Name\" <uri>;params" (or "<uri>;params").
  std::string ToString() const;
  std::optional<std::string> Tag() const { return params.Get("tag"); }
};

struct CSeq {
  std::uint32_t sequence = 0;
  std::string method;

  static ParseResult<CSeq> Parse(std::string_view text);
  std::string ToString() const;
};

/// Splits a header value at top-level commas (not inside quotes or <...>), trimming each part.
std::vector<std::string> SplitHeaderList(std::string_view value);

}  // namespace alglab::sip

#endif
