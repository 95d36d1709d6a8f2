#include "alg-models/linux-netfilter/sip-scanner.h"

namespace alglab::linuxnf {

namespace {

/// How a header's value is measured once the scan stands on it.
enum class ValueShape : std::uint8_t {
  Digits,       ///< a decimal number
  Address,      ///< address[:digits]
  UserAddress,  ///< [anything up to '@' on this line '@'] address[:digits]
};

struct HeaderSpec {
  std::string_view name;
  std::string_view compact;  ///< empty: no compact form
  std::string_view needle;   ///< empty: the value starts right after the colon
  ValueShape shape;
};

const HeaderSpec& SpecOf(SipHeaderKind kind) {
  static const HeaderSpec kSpecs[] = {
      {"CSeq", "", "", ValueShape::Digits},
      {"From", "f", "sip:", ValueShape::UserAddress},
      {"To", "t", "sip:", ValueShape::UserAddress},
      {"Contact", "m", "sip:", ValueShape::UserAddress},
      {"Via", "v", "UDP ", ValueShape::Address},
      {"Via", "v", "TCP ", ValueShape::Address},
      {"Expires", "", "", ValueShape::Digits},
      {"Content-Length", "l", "", ValueShape::Digits},
  };
  return kSpecs[static_cast<std::size_t>(kind)];
}

bool IsLineBreak(char c) { return c == '\r' || c == '\n'; }
bool IsBlank(char c) { return c == ' ' || c == '\t'; }

/// A port after an address (the kernel's 2026 port parser): nothing or ':' and 1-5 digits in
/// 1024..65535, and the message must go on after it.
struct PortParse {
  bool ok = false;
  std::uint16_t port = kSipPort;
  std::size_t end = 0;
};

PortParse ParseBoundedPort(std::string_view msg, std::size_t pos, std::size_t limit) {
  PortParse result;
  if (pos >= limit) return result;
  if (msg[pos] != ':') {
    result.ok = true;
    result.end = pos;
    return result;
  }
  std::size_t p = pos + 1;
  std::uint32_t value = 0;
  int digits = 0;
  while (p < limit && KernelIsDigit(msg[p])) {
    value = value * 10 + static_cast<std::uint32_t>(msg[p] - '0');
    ++p;
    if (++digits > 5) return result;
  }
  if (digits == 0 || p >= limit || value < 1024 || value > 65535) return result;
  result.ok = true;
  result.port = static_cast<std::uint16_t>(value);
  result.end = p;
  return result;
}

/// Length of "address[:port]" at `pos`, 0 if no address (or, with bounded rules, no valid
/// port) starts there.
std::size_t AddressLength(std::string_view msg, std::size_t pos, std::size_t limit,
                          NumberRules rules) {
  const DottedQuad quad = ParseDottedQuad(msg, pos, limit);
  if (!quad.ok) return 0;
  if (rules == NumberRules::Bounded) {
    const PortParse port = ParseBoundedPort(msg, quad.end, limit);
    return port.ok ? port.end - pos : 0;
  }
  std::size_t end = quad.end;
  if (ByteAt(msg, end) == ':') {
    ++end;
    end += DigitRunLength(msg, end, limit);
  }
  return end - pos;
}

/// Like AddressLength, but first skips a user part: everything up to an '@' on the same line.
/// `shift` receives how far the address starts after `pos`.
std::size_t UserAddressLength(std::string_view msg, std::size_t pos, std::size_t limit,
                              std::size_t* shift, NumberRules rules) {
  std::size_t p = pos;
  while (p < limit && msg[p] != '@' && !IsLineBreak(msg[p])) ++p;
  if (p < limit && msg[p] == '@') {
    *shift = p + 1 - pos;
  } else {
    *shift = 0;
  }
  return AddressLength(msg, pos + *shift, limit, rules);
}

/// The port after an address ending at `end` (a URI's tail); false: the URI is unparsable.
/// `requestLine`: the legacy request-line parser checked the limit before looking for ':'.
bool ReadUriPort(std::string_view msg, std::size_t limit, NumberRules rules, bool requestLine,
                 UriResult* uri) {
  std::size_t end = uri->end;
  if (rules == NumberRules::Bounded) {
    const PortParse port = ParseBoundedPort(msg, end, limit);
    if (!port.ok) return false;
    uri->port = port.port;
    uri->end = port.end;
    return true;
  }
  uri->port = kSipPort;
  const bool colon = requestLine ? (end < limit && msg[end] == ':') : ByteAt(msg, end) == ':';
  if (colon) {
    const ParsedNumber number = ParseUnsignedLong(msg, end + 1, 10);
    const auto port = static_cast<std::uint32_t>(number.value);  // unsigned long -> unsigned int
    if (port < 1024 || port > 65535) return false;
    uri->port = static_cast<std::uint16_t>(port);
    end = number.end;
  }
  uri->end = end;
  return true;
}

std::size_t MeasureValue(ValueShape shape, std::string_view msg, std::size_t pos,
                         std::size_t limit, std::size_t* shift, NumberRules rules) {
  *shift = 0;
  switch (shape) {
    case ValueShape::Digits:
      return DigitRunLength(msg, pos, limit);
    case ValueShape::Address:
      return AddressLength(msg, pos, limit, rules);
    case ValueShape::UserAddress:
      return UserAddressLength(msg, pos, limit, shift, rules);
  }
  return 0;
}

/// Skips blanks and at most one line break that continues the header; nullopt when a line
/// break ends the header. Returns `limit` when only blanks remain.
std::optional<std::size_t> SkipHeaderBlanks(std::string_view msg, std::size_t pos,
                                            std::size_t limit) {
  for (; pos < limit; ++pos) {
    const char c = msg[pos];
    if (IsBlank(c)) continue;
    if (!IsLineBreak(c)) break;
    return FollowContinuation(msg, pos, limit);
  }
  return pos;
}

/// The position after the comma that ends the current list value, or `limit`.
std::size_t ListValueEnd(std::string_view msg, std::size_t from, std::size_t limit) {
  const std::optional<std::size_t> comma = SearchHeaderValue(msg, from, limit, ",");
  return comma ? *comma : limit;
}

}  // namespace

ParsedNumber ReadNumber(std::string_view msg, std::size_t pos, std::size_t limit,
                        NumberRules rules) {
  if (rules == NumberRules::Bounded) return ParseBoundedUint(msg, pos, limit);
  return ParseUnsignedLong(msg, pos, 10);
}

std::size_t DigitRunLength(std::string_view msg, std::size_t pos, std::size_t limit) {
  std::size_t n = 0;
  while (pos + n < limit && KernelIsDigit(msg[pos + n])) ++n;
  return n;
}

std::size_t LetterRunLength(std::string_view msg, std::size_t pos, std::size_t limit) {
  std::size_t n = 0;
  while (pos + n < limit && KernelIsAlpha(msg[pos + n])) ++n;
  return n;
}

std::optional<std::size_t> FollowContinuation(std::string_view msg, std::size_t pos,
                                              std::size_t limit) {
  if (++pos >= limit) return std::nullopt;
  if (msg[pos - 1] == '\r' && msg[pos] == '\n') {
    if (++pos >= limit) return std::nullopt;
  }
  if (!IsBlank(msg[pos])) return std::nullopt;
  while (pos < limit && IsBlank(msg[pos])) ++pos;
  return pos;
}

std::optional<std::size_t> SearchHeaderValue(std::string_view msg, std::size_t from,
                                             std::size_t limit, std::string_view needle) {
  if (limit < needle.size()) return std::nullopt;
  // The needle must fit before `limit`, and continuation lines are followed only up to there.
  const std::size_t last = limit - needle.size();
  for (std::size_t pos = from; pos < last; ++pos) {
    if (IsLineBreak(msg[pos])) {
      const std::optional<std::size_t> next = FollowContinuation(msg, pos, last);
      if (!next) return std::nullopt;
      // The loop step then moves past the continuation's first byte: like the kernel, a needle
      // never starts there.
      pos = *next;
      continue;
    }
    if (EqualsNoCaseAt(msg, pos, needle)) return pos;
  }
  return std::nullopt;
}

ScanResult FindSipHeader(std::string_view msg, std::size_t from, std::size_t limit,
                         SipHeaderKind kind, NumberRules rules) {
  const HeaderSpec& spec = SpecOf(kind);
  for (std::size_t pos = from; pos < limit; ++pos) {
    if (!IsLineBreak(msg[pos])) continue;
    if (++pos >= limit) break;
    if (msg[pos - 1] == '\r' && msg[pos] == '\n') {
      if (++pos >= limit) break;
    }
    if (IsBlank(msg[pos])) continue;  // a continuation line never starts a header

    if (limit - pos >= spec.name.size() && EqualsNoCaseAt(msg, pos, spec.name)) {
      pos += spec.name.size();
    } else if (!spec.compact.empty() && limit - pos >= spec.compact.size() + 1 &&
               EqualsNoCaseAt(msg, pos, spec.compact) &&
               !KernelIsAlpha(msg[pos + spec.compact.size()])) {
      pos += spec.compact.size();
    } else {
      continue;
    }

    // From here on, anything unexpected ends the whole search, not just this line.
    std::optional<std::size_t> next = SkipHeaderBlanks(msg, pos, limit);
    if (!next) break;
    pos = *next;
    if (ByteAt(msg, pos) != ':' || ++pos >= limit) break;
    next = SkipHeaderBlanks(msg, pos, limit);
    if (!next) break;
    pos = *next;

    const std::size_t valueStart = pos;
    if (!spec.needle.empty()) {
      const std::optional<std::size_t> hit = SearchHeaderValue(msg, pos, limit, spec.needle);
      if (!hit) return ScanResult{-1, valueStart, 0};
      pos = *hit + spec.needle.size();
    }
    std::size_t shift = 0;
    const std::size_t length = MeasureValue(spec.shape, msg, pos, limit, &shift, rules);
    if (length == 0) return ScanResult{-1, valueStart, 0};
    return ScanResult{1, pos + shift, length};
  }
  return ScanResult{};
}

ScanResult FindNextListValue(std::string_view msg, std::size_t from, std::size_t limit,
                             SipHeaderKind kind, NumberRules rules) {
  const HeaderSpec& spec = SpecOf(kind);
  if (spec.needle.empty()) return ScanResult{};
  const std::optional<std::size_t> comma = SearchHeaderValue(msg, from, limit, ",");
  if (!comma) return ScanResult{};
  const std::optional<std::size_t> hit = SearchHeaderValue(msg, *comma, limit, spec.needle);
  if (!hit) return ScanResult{};
  const std::size_t pos = *hit + spec.needle.size();
  std::size_t shift = 0;
  const std::size_t length = MeasureValue(spec.shape, msg, pos, limit, &shift, rules);
  if (length == 0) return ScanResult{-1, pos, 0};
  return ScanResult{1, pos + shift, length};
}

ScanResult WalkSipHeaders(std::string_view msg, std::size_t from, std::size_t limit,
                          SipHeaderKind kind, bool* inList, NumberRules rules) {
  ScanResult result;
  if (inList != nullptr && *inList) {
    while (true) {
      result = FindNextListValue(msg, from, limit, kind, rules);
      if (result.status > 0) return result;
      if (result.status == 0) break;
      from = result.offset;
    }
    *inList = false;
  }
  while (true) {
    result = FindSipHeader(msg, from, limit, kind, rules);
    if (result.status > 0) break;
    if (result.status == 0) return result;
    from = result.offset;
  }
  if (inList != nullptr) *inList = true;
  return result;
}

UriResult ParseSipHeaderUri(std::string_view msg, std::size_t* cursor, std::size_t limit,
                            SipHeaderKind kind, bool* inList, NumberRules rules) {
  const ScanResult found =
      WalkSipHeaders(msg, cursor != nullptr ? *cursor : 0, limit, kind, inList, rules);
  if (found.status <= 0) return UriResult{};
  UriResult uri;
  uri.offset = found.offset;
  uri.length = found.length;
  const DottedQuad quad = ParseDottedQuad(msg, found.offset, limit);
  if (!quad.ok) {
    uri.status = -1;
    return uri;
  }
  uri.address = quad.address;
  uri.end = quad.end;
  if (!ReadUriPort(msg, limit, rules, /*requestLine=*/false, &uri)) {
    uri.status = -1;
    return uri;
  }
  if (cursor != nullptr) *cursor = uri.end;
  uri.status = 1;
  return uri;
}

UriResult ParseRequestUri(std::string_view msg, std::size_t limit, NumberRules rules) {
  UriResult uri;
  const std::size_t methodLength = LetterRunLength(msg, 0, limit);
  if (methodLength == 0) return uri;
  std::size_t pos = methodLength + 1;  // the byte after the method is taken to be the space
  if (pos >= limit) return uri;
  constexpr std::string_view kScheme = "sip:";
  for (; limit >= kScheme.size() && pos < limit - kScheme.size(); ++pos) {
    if (IsLineBreak(msg[pos])) {
      uri.status = -1;
      return uri;
    }
    if (EqualsNoCaseAt(msg, pos, kScheme)) {
      pos += kScheme.size();
      break;
    }
  }
  std::size_t shift = 0;
  if (UserAddressLength(msg, pos, limit, &shift, rules) == 0) return uri;
  pos += shift;
  const DottedQuad quad = ParseDottedQuad(msg, pos, limit);
  if (!quad.ok) {
    uri.status = -1;
    return uri;
  }
  uri.end = quad.end;
  if (!ReadUriPort(msg, limit, rules, /*requestLine=*/true, &uri)) {
    uri.status = -1;
    return uri;
  }
  if (uri.end == pos) return UriResult{};
  uri.status = 1;
  uri.address = quad.address;
  uri.offset = pos;
  uri.length = uri.end - pos;
  return uri;
}

ParamResult FindParam(std::string_view msg, std::size_t from, std::size_t limit,
                      std::string_view name) {
  const std::size_t valueEnd = ListValueEnd(msg, from, limit);
  const std::optional<std::size_t> hit = SearchHeaderValue(msg, from, valueEnd, name);
  if (!hit) return ParamResult{};
  const std::size_t start = *hit + name.size();
  const std::optional<std::size_t> semicolon = SearchHeaderValue(msg, start, valueEnd, ";");
  const std::size_t end = semicolon ? *semicolon : valueEnd;
  ParamResult result;
  result.status = 1;
  result.offset = start;
  result.length = end >= start ? end - start : 0;
  return result;
}

ParamResult FindAddressParam(std::string_view msg, std::size_t from, std::size_t limit,
                             std::string_view name) {
  const std::size_t valueEnd = ListValueEnd(msg, from, limit);
  const std::optional<std::size_t> hit = SearchHeaderValue(msg, from, valueEnd, name);
  if (!hit) return ParamResult{};
  const std::size_t start = *hit + name.size();
  const DottedQuad quad = ParseDottedQuad(msg, start, valueEnd);
  if (!quad.ok) return ParamResult{};
  ParamResult result;
  result.status = 1;
  result.offset = start;
  result.length = quad.end - start;
  result.address = quad.address;
  return result;
}

ParamResult FindNumericParam(std::string_view msg, std::size_t from, std::size_t limit,
                             std::string_view name, NumberRules rules) {
  const std::size_t valueEnd = ListValueEnd(msg, from, limit);
  const std::optional<std::size_t> hit = SearchHeaderValue(msg, from, valueEnd, name);
  if (!hit) return ParamResult{};
  const std::size_t start = *hit + name.size();
  // The bounded parser stops at the end of the list value; the legacy one read on and
  // accepted base prefixes.
  const ParsedNumber number = rules == NumberRules::Bounded
                                  ? ParseBoundedUint(msg, start, valueEnd)
                                  : ParseUnsignedLong(msg, start, 0);
  ParamResult result;
  if (number.end == start) {
    result.status = -1;
    return result;
  }
  result.status = 1;
  result.offset = start;
  result.length = number.end - start;
  result.number = number.value;
  return result;
}

}  // namespace alglab::linuxnf
