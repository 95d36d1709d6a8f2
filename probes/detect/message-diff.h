#ifndef ALGLAB_PROBES_DETECT_MESSAGE_DIFF_H
#define ALGLAB_PROBES_DETECT_MESSAGE_DIFF_H

// What changed between a SIP message as one side sent it and as the other side received it:
// the detector's view of an ALG's (or a proxy's) work on the message.

#include <string>
#include <string_view>
#include <vector>

namespace alglab::detect {

/// One changed field. `field` is one of the stable names below; `detail` says how (values,
/// or the header's name for header-added/-removed/-changed).
///
///   request-uri, via-sent-by, via-params, via-branch, via-added, via-removed, contact, from,
///   to, call-id, cseq, content-length, sdp-origin, sdp-connection, sdp-media-port,
///   sdp-info-added, sdp-other, body, header-added, header-removed, header-changed,
///   start-line, unparsable
struct FieldChange {
  std::string field;
  std::string detail;
};

/// The changes from `sent` to `arrived` (both whole SIP messages). Empty when they are equal
/// as SIP (a different header-name case or line folding is no change). `arrived` that does
/// not parse is one "unparsable" change.
std::vector<FieldChange> DiffMessages(std::string_view sent, std::string_view arrived);

/// True when `after` is `before` with one address-like token replaced by another, i.e. an
/// in-place rewrite of an address inside a Call-ID or branch rather than a new value.
bool IsAddressSubstitution(std::string_view before, std::string_view after);

}  // namespace alglab::detect

#endif
