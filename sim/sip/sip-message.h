#ifndef ALGLAB_SIP_SIP_MESSAGE_H
#define ALGLAB_SIP_SIP_MESSAGE_H

#include "sim/sip/header-values.h"
#include "sim/sip/parse-error.h"
#include "sim/sip/uri.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace alglab::sip {

/// A header line as it appeared: name as written (possibly compact), value with folding undone.
struct Header {
  std::string name;
  std::string value;
};

/// Canonical long form for a header name: "v" -> "Via", "call-id" -> "Call-ID", "x-foo" -> "x-foo".
std::string CanonicalHeaderName(std::string_view name);

/// True when both names denote the same header (case-insensitive, compact forms resolved).
bool HeaderNamesEqual(std::string_view a, std::string_view b);

/// Headers whose value is a comma-separated list that may also be split over several lines
/// (Via, Contact, Route, Record-Route, Allow, Supported, Require, ...). Not the auth headers or
/// Date, whose values contain commas of their own.
bool IsMultiValueHeader(std::string_view name);

/// A SIP request or response (RFC 3261). Header order is preserved; lookups are case-insensitive
/// and treat compact forms (v m l i f t c k s e o u) as their long names.
class SipMessage {
 public:
  static SipMessage Request(std::string method, Uri requestUri);
  /// An empty reason becomes DefaultReason(statusCode).
  static SipMessage Response(int statusCode, std::string reason);

  bool IsRequest() const { return m_isRequest; }
  bool IsResponse() const { return !m_isRequest; }

  const std::string& Method() const { return m_method; }           ///< requests only
  const Uri& RequestUri() const { return m_requestUri; }           ///< requests only
  void SetRequestUri(Uri uri) { m_requestUri = std::move(uri); }
  int StatusCode() const { return m_statusCode; }                  ///< responses only
  const std::string& Reason() const { return m_reason; }           ///< responses only

  // --- raw header access -------------------------------------------------------------------
  const std::vector<Header>& Headers() const { return m_headers; }
  /// First value of that header (compact-aware), as written (a comma list stays one string).
  std::optional<std::string> Get(std::string_view name) const;
  /// Every value of that header: each header line, each split at top-level commas for the
  /// multi-value headers (Via, Contact, Route, Record-Route, Allow, Supported, ...).
  std::vector<std::string> GetAll(std::string_view name) const;
  bool Has(std::string_view name) const;
  /// Replaces all lines of that header with one line: the first existing line keeps its place
  /// and its name as written (a compact name stays compact); appended at the end if absent.
  void Set(std::string_view name, std::string value);
  /// Appends a header line at the end.
  void Add(std::string_view name, std::string value);
  /// Inserts a header line before all others (new top Via).
  void Prepend(std::string_view name, std::string value);
  void Remove(std::string_view name);
  /// Removes only the first value of a multi-value header (top Via of a response being relayed).
  void RemoveFirstValue(std::string_view name);

  // --- typed accessors (nullopt when absent or unparsable) -------------------------------
  std::optional<std::string> CallId() const;
  std::optional<CSeq> GetCSeq() const;
  /// Every parsable Via value, top first (unparsable values are skipped; ParseMessage rejects
  /// them, so this only matters for hand-built messages). Same for Contacts().
  std::vector<Via> Vias() const;
  std::optional<Via> TopVia() const;
  std::optional<NameAddress> From() const;
  std::optional<NameAddress> To() const;
  std::vector<NameAddress> Contacts() const;
  std::optional<std::uint32_t> Expires() const;
  std::optional<std::string> ContentType() const;
  /// True when the message has a body an ALG reads as SDP: a Content-Type naming sdp, or none
  /// at all (what ALGs assume of a body without one).
  bool BodyIsSdp() const;

  const std::string& Body() const { return m_body; }
  /// Sets the body and its Content-Type (empty type removes the header). Content-Length is
  /// not stored separately: Serialize() always writes the body size.
  void SetBody(std::string body, std::string_view contentType = "");

  /// Wire form with CRLF line ends; Content-Length always written and equal to the body size.
  std::string Serialize() const;

 private:
  friend ParseResult<SipMessage> ParseMessage(std::string_view bytes);
  bool m_isRequest = true;
  std::string m_method;
  Uri m_requestUri;
  int m_statusCode = 0;
  std::string m_reason;
  std::vector<Header> m_headers;
  std::string m_body;
};

/// Parses one complete message from a datagram. Accepts LF or CRLF line ends, header folding,
/// compact names, any header-name case. Content-Length, when present, must not exceed the bytes
/// after the blank line; on a datagram the body is the Content-Length bytes (extra bytes ignored),
/// or everything after the blank line when the header is absent.
ParseResult<SipMessage> ParseMessage(std::string_view bytes);

/// A reason phrase for common status codes ("OK", "Ringing", "Unauthorized", ...).
const char* DefaultReason(int statusCode);

}  // namespace alglab::sip

#endif
