#ifndef ALGLAB_SIP_DETAIL_MINI_XML_H
#define ALGLAB_SIP_DETAIL_MINI_XML_H

// A deliberately small, strict XML reader: enough for RFC 4235 dialog-info bodies, nothing more.
// No DTDs, no external entities, no namespace resolution (prefixes are only stripped), nesting
// bounded so hostile input cannot exhaust the stack. Internal.

#include "sim/sip/parse-error.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace alglab::sip::detail {

struct XmlElement {
  std::string name;       ///< qualified name as written ("d:dialog")
  std::string localName;  ///< without prefix ("dialog")
  /// Names as written, values with entities decoded.
  std::vector<std::pair<std::string, std::string>> attributes;
  std::vector<XmlElement> children;
  std::string text;  ///< character data directly inside, entities decoded
  std::size_t line = 1;
  std::size_t column = 1;

  /// Attribute by exact name, else by local name (prefix ignored); nullptr when absent.
  const std::string* Attribute(std::string_view name) const;
};

/// Maximum element nesting accepted.
constexpr std::size_t kMaxXmlDepth = 64;

/// Parses a document (optional declaration, comments, PIs) and returns its root element.
/// Errors are BadXml with the line and column of the defect.
ParseResult<XmlElement> ParseXml(std::string_view text);

/// Escapes &, <, >, " and ' for use in text or attribute values.
std::string XmlEscape(std::string_view raw);

}  // namespace alglab::sip::detail

#endif
