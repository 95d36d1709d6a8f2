#include "sim/sip/parse-error.h"

#include <fmt/format.h>

namespace alglab::sip {

const char* ToString(ParseErrorKind kind) {
  switch (kind) {
    case ParseErrorKind::Empty: return "Empty";
    case ParseErrorKind::BadStartLine: return "BadStartLine";
    case ParseErrorKind::BadVersion: return "BadVersion";
    case ParseErrorKind::BadStatusCode: return "BadStatusCode";
    case ParseErrorKind::BadHeader: return "BadHeader";
    case ParseErrorKind::BadHeaderValue: return "BadHeaderValue";
    case ParseErrorKind::MissingHeader: return "MissingHeader";
    case ParseErrorKind::BadUri: return "BadUri";
    case ParseErrorKind::BadContentLength: return "BadContentLength";
    case ParseErrorKind::Truncated: return "Truncated";
    case ParseErrorKind::BadSdp: return "BadSdp";
    case ParseErrorKind::BadXml: return "BadXml";
    case ParseErrorKind::BadAuth: return "BadAuth";
  }
  return "Unknown";
}

namespace {

// Human wording for the one-line form; ToString(kind) keeps the stable identifiers.
const char* Describe(ParseErrorKind kind) {
  switch (kind) {
    case ParseErrorKind::Empty: return "empty input";
    case ParseErrorKind::BadStartLine: return "bad start line";
    case ParseErrorKind::BadVersion: return "bad version";
    case ParseErrorKind::BadStatusCode: return "bad status code";
    case ParseErrorKind::BadHeader: return "bad header";
    case ParseErrorKind::BadHeaderValue: return "bad header value";
    case ParseErrorKind::MissingHeader: return "missing header";
    case ParseErrorKind::BadUri: return "bad URI";
    case ParseErrorKind::BadContentLength: return "bad Content-Length";
    case ParseErrorKind::Truncated: return "truncated";
    case ParseErrorKind::BadSdp: return "bad SDP";
    case ParseErrorKind::BadXml: return "bad XML";
    case ParseErrorKind::BadAuth: return "bad digest authentication";
  }
  return "unknown error";
}

}  // namespace

std::string ParseError::ToString() const {
  return fmt::format("line {}, column {}: {}: {}", line, column, Describe(kind), detail);
}

}  // namespace alglab::sip
