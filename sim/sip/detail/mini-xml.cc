#include "sim/sip/detail/mini-xml.h"

#include "sim/sip/detail/text-util.h"

#include <fmt/format.h>

#include <optional>
#include <tuple>

namespace alglab::sip::detail {

const std::string* XmlElement::Attribute(std::string_view wanted) const {
  for (const auto& [n, v] : attributes) {
    if (n == wanted) {
      return &v;
    }
  }
  for (const auto& [n, v] : attributes) {
    const std::size_t colon = n.find(':');
    if (colon != std::string::npos && n.compare(0, colon, "xmlns") != 0 &&
        std::string_view(n).substr(colon + 1) == wanted) {
      return &v;
    }
  }
  return nullptr;
}

std::string XmlEscape(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (char c : raw) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c; break;
    }
  }
  return out;
}

namespace {

bool IsXmlSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool IsNameStart(char c) {
  return IsAlpha(c) || c == '_' || c == ':' || static_cast<unsigned char>(c) >= 0x80;
}

bool IsNameChar(char c) { return IsNameStart(c) || IsDigit(c) || c == '-' || c == '.'; }

void AppendUtf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class XmlReader {
 public:
  explicit XmlReader(std::string_view text) : m_s(text) {}

  ParseResult<XmlElement> Document() {
    for (std::size_t i = 0; i < m_s.size(); ++i) {
      const auto u = static_cast<unsigned char>(m_s[i]);
      if (u < 0x20 && !IsXmlSpace(m_s[i])) {
        m_pos = i;
        return Fail("control character in XML");
      }
    }
    if (m_s.compare(0, 3, "\xEF\xBB\xBF") == 0) {
      m_pos = 3;  // UTF-8 byte order mark
    }
    if (!Misc(true)) {
      return *m_error;
    }
    if (m_pos >= m_s.size() || m_s[m_pos] != '<') {
      return Fail("expected the root element");
    }
    XmlElement root;
    if (!Element(root, 1)) {
      return *m_error;
    }
    if (!Misc(false)) {
      return *m_error;
    }
    if (m_pos < m_s.size()) {
      return Fail(fmt::format("content after the root element: '{}'", Excerpt(m_s.substr(m_pos))));
    }
    return root;
  }

 private:
  /// Line and column of m_pos. Positions asked for mostly increase (element starts), so the
  /// scan resumes from the last answer and the whole parse stays linear.
  std::pair<std::size_t, std::size_t> Locate() {
    const std::size_t target = m_pos < m_s.size() ? m_pos : m_s.size();
    if (target < m_cachePos) {
      m_cachePos = 0;
      m_cacheLine = 1;
      m_cacheLineStart = 0;
    }
    for (; m_cachePos < target; ++m_cachePos) {
      if (m_s[m_cachePos] == '\n') {
        ++m_cacheLine;
        m_cacheLineStart = m_cachePos + 1;
      }
    }
    return {m_cacheLine, m_pos - m_cacheLineStart + 1};
  }

  ParseError Fail(std::string detail) {
    const auto [line, column] = Locate();
    m_error = MakeError(ParseErrorKind::BadXml, line, column, std::move(detail));
    return *m_error;
  }

  bool Failed(std::string detail) {
    Fail(std::move(detail));
    return false;
  }

  bool StartsWith(std::string_view lit) const { return m_s.compare(m_pos, lit.size(), lit) == 0; }

  void SkipSpace() {
    while (m_pos < m_s.size() && IsXmlSpace(m_s[m_pos])) {
      ++m_pos;
    }
  }

  /// Skips up to and including `terminator`; false (with an error) when it never comes.
  bool SkipPast(std::string_view terminator, const char* what) {
    const std::size_t end = m_s.find(terminator, m_pos);
    if (end == std::string_view::npos) {
      return Failed(fmt::format("unterminated {}", what));
    }
    m_pos = end + terminator.size();
    return true;
  }

  /// Whitespace, comments and processing instructions outside the root element.
  bool Misc(bool prolog) {
    for (;;) {
      SkipSpace();
      if (StartsWith("<!--")) {
        if (!SkipPast("-->", "comment")) {
          return false;
        }
      } else if (StartsWith("<?")) {
        if (!prolog && StartsWith("<?xml ")) {
          return Failed("XML declaration after the root element");
        }
        if (!SkipPast("?>", "processing instruction")) {
          return false;
        }
      } else if (StartsWith("<!")) {
        return Failed("DOCTYPE and other declarations are not supported");
      } else {
        return true;
      }
    }
  }

  bool Name(std::string& out) {
    const std::size_t start = m_pos;
    if (m_pos >= m_s.size() || !IsNameStart(m_s[m_pos])) {
      return Failed(fmt::format("expected a name at '{}'", Excerpt(m_s.substr(m_pos))));
    }
    while (m_pos < m_s.size() && IsNameChar(m_s[m_pos])) {
      ++m_pos;
    }
    out = std::string(m_s.substr(start, m_pos - start));
    return true;
  }

  /// Decodes entity references in `raw` (which starts at input offset `offset`).
  bool Decode(std::string_view raw, std::size_t offset, std::string& out) {
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '&') {
        out += raw[i];
        continue;
      }
      const std::size_t semiRel = raw.substr(i, 13).find(';');  // longest entity: &#x10FFFF;
      const std::size_t semi = semiRel == std::string_view::npos ? semiRel : i + semiRel;
      if (semi == std::string_view::npos) {
        m_pos = offset + i;
        return Failed(
            fmt::format("unterminated entity reference '{}'", Excerpt(raw.substr(i, 12))));
      }
      const std::string_view ent = raw.substr(i + 1, semi - i - 1);
      if (ent == "lt") {
        out += '<';
      } else if (ent == "gt") {
        out += '>';
      } else if (ent == "amp") {
        out += '&';
      } else if (ent == "quot") {
        out += '"';
      } else if (ent == "apos") {
        out += '\'';
      } else if (ent.size() >= 2 && ent[0] == '#') {
        std::optional<std::uint32_t> cp;
        std::uint32_t v = 0;
        const bool hex = ent[1] == 'x';
        const std::string_view digits = ent.substr(hex ? 2 : 1);
        bool ok = !digits.empty();
        for (char c : digits) {
          if (hex ? !IsHexDigit(c) : !IsDigit(c)) {
            ok = false;
            break;
          }
          const std::uint32_t d =
              IsDigit(c) ? static_cast<std::uint32_t>(c - '0')
                         : static_cast<std::uint32_t>(ToLowerAscii(c) - 'a' + 10);
          v = v * (hex ? 16 : 10) + d;
          if (v > 0x10FFFF) {
            ok = false;
            break;
          }
        }
        if (ok && v != 0 && !(v >= 0xD800 && v <= 0xDFFF)) {
          cp = v;
        }
        if (!cp) {
          m_pos = offset + i;
          return Failed(fmt::format("bad character reference '&{};'", Excerpt(ent)));
        }
        AppendUtf8(out, *cp);
      } else {
        m_pos = offset + i;
        return Failed(fmt::format("unknown entity '&{};'", Excerpt(ent)));
      }
      i = semi;
    }
    return true;
  }

  bool Element(XmlElement& el, std::size_t depth) {
    if (depth > kMaxXmlDepth) {
      return Failed(fmt::format("elements nested deeper than {}", kMaxXmlDepth));
    }
    std::tie(el.line, el.column) = Locate();
    ++m_pos;  // '<'
    if (!Name(el.name)) {
      return false;
    }
    const std::size_t colon = el.name.find(':');
    el.localName = colon == std::string::npos ? el.name : el.name.substr(colon + 1);
    for (;;) {
      const std::size_t before = m_pos;
      SkipSpace();
      if (StartsWith("/>")) {
        m_pos += 2;
        return true;
      }
      if (StartsWith(">")) {
        ++m_pos;
        break;
      }
      if (m_pos >= m_s.size()) {
        return Failed(fmt::format("unterminated start tag <{}>", Excerpt(el.name)));
      }
      if (m_pos == before) {
        return Failed(fmt::format("expected whitespace, '>' or '/>' in <{}>", Excerpt(el.name)));
      }
      std::string attrName;
      if (!Name(attrName)) {
        return false;
      }
      SkipSpace();
      if (!StartsWith("=")) {
        return Failed(fmt::format("expected '=' after attribute '{}'", Excerpt(attrName)));
      }
      ++m_pos;
      SkipSpace();
      if (m_pos >= m_s.size() || (m_s[m_pos] != '"' && m_s[m_pos] != '\'')) {
        return Failed(fmt::format("attribute '{}' value must be quoted", Excerpt(attrName)));
      }
      const char quote = m_s[m_pos];
      const std::size_t valueStart = m_pos + 1;
      const std::size_t valueEnd = m_s.find(quote, valueStart);
      if (valueEnd == std::string_view::npos) {
        return Failed(fmt::format("unterminated value of attribute '{}'", Excerpt(attrName)));
      }
      const std::string_view raw = m_s.substr(valueStart, valueEnd - valueStart);
      if (const std::size_t lt = raw.find('<'); lt != std::string_view::npos) {
        m_pos = valueStart + lt;
        return Failed(fmt::format("'<' in value of attribute '{}'", Excerpt(attrName)));
      }
      for (const auto& [n, v] : el.attributes) {
        if (n == attrName) {
          return Failed(fmt::format("duplicate attribute '{}'", Excerpt(attrName)));
        }
      }
      std::string value;
      if (!Decode(raw, valueStart, value)) {
        return false;
      }
      el.attributes.emplace_back(std::move(attrName), std::move(value));
      m_pos = valueEnd + 1;
    }
    // Content up to the matching end tag.
    for (;;) {
      if (m_pos >= m_s.size()) {
        return Failed(fmt::format("element <{}> is never closed", Excerpt(el.name)));
      }
      if (StartsWith("</")) {
        m_pos += 2;
        std::string endName;
        if (!Name(endName)) {
          return false;
        }
        if (endName != el.name) {
          return Failed(fmt::format("end tag </{}> does not match <{}>", Excerpt(endName),
                                    Excerpt(el.name)));
        }
        SkipSpace();
        if (!StartsWith(">")) {
          return Failed(fmt::format("expected '>' to close </{}>", Excerpt(endName)));
        }
        ++m_pos;
        return true;
      }
      if (StartsWith("<!--")) {
        if (!SkipPast("-->", "comment")) {
          return false;
        }
      } else if (StartsWith("<![CDATA[")) {
        const std::size_t start = m_pos + 9;
        if (!SkipPast("]]>", "CDATA section")) {
          return false;
        }
        el.text.append(m_s.substr(start, m_pos - 3 - start));
      } else if (StartsWith("<?")) {
        if (!SkipPast("?>", "processing instruction")) {
          return false;
        }
      } else if (StartsWith("<!")) {
        return Failed("declarations are not allowed inside elements");
      } else if (StartsWith("<")) {
        el.children.emplace_back();
        if (!Element(el.children.back(), depth + 1)) {
          return false;
        }
      } else {
        const std::size_t lt = m_s.find('<', m_pos);
        const std::size_t end = lt == std::string_view::npos ? m_s.size() : lt;
        const std::size_t start = m_pos;
        if (!Decode(m_s.substr(start, end - start), start, el.text)) {
          return false;
        }
        m_pos = end;
      }
    }
  }

  std::string_view m_s;
  std::size_t m_pos = 0;
  std::optional<ParseError> m_error;
  std::size_t m_cachePos = 0;
  std::size_t m_cacheLine = 1;
  std::size_t m_cacheLineStart = 0;
};

}  // namespace

ParseResult<XmlElement> ParseXml(std::string_view text) {
  if (text.empty()) {
    return MakeError(ParseErrorKind::BadXml, 1, 1, "empty XML document");
  }
  return XmlReader(text).Document();
}

}  // namespace alglab::sip::detail
