#ifndef ALGLAB_SIP_URI_H
#define ALGLAB_SIP_URI_H

#include "sim/sip/parse-error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace alglab::sip {

/// Ordered name/value parameters (";name=value" or ";flag"). Names compare case-insensitively.
/// A flag parameter has an empty value and hasValue=false.
struct Parameter {
  std::string name;
  std::string value;
  bool hasValue = true;
};

class ParameterList {
 public:
  std::optional<std::string> Get(std::string_view name) const;
  bool Has(std::string_view name) const;
  /// Replaces the first parameter of that name, or appends one.
  void Set(std::string_view name, std::string_view value);
  void SetFlag(std::string_view name);
  void Remove(std::string_view name);
  const std::vector<Parameter>& Items() const { return m_items; }
  /// ";a=b;c" form; empty string when there are none.
  std::string ToString() const;
  /// Parses ";a=b;c=d" (leading ';' optional). Values may be quoted strings (kept with quotes).
  static ParseResult<ParameterList> Parse(std::string_view text);

 private:
  std::vector<Parameter> m_items;
};

/// sip:/sips:/tel: URI (RFC 3261 section 19.1). IPv6 hosts keep their brackets. The scheme is
/// stored in lower case; everything else as written (escapes are not decoded). For tel: the
/// number is in `user` and `host` is empty.
struct Uri {
  std::string scheme = "sip";
  std::string user;
  std::string password;
  std::string host;
  std::optional<std::uint16_t> port;
  ParameterList params;   ///< ";transport=udp;lr"
  std::string headers;    ///< "?a=b&c=d", kept verbatim without the '?'
  /// Schemes other than sip/sips/tel (urn:, http:, mailto: ...): everything after the ':'
  /// verbatim; user/host/params stay empty for them.
  std::string opaque;

  static ParseResult<Uri> Parse(std::string_view text);
  std::string ToString() const;
  /// "host:port" or "host" when no port.
  std::string HostPort() const;
};

}  // namespace alglab::sip

#endif
