#ifndef ALGLAB_SIP_DIALOG_INFO_H
#define ALGLAB_SIP_DIALOG_INFO_H

#include "sim/sip/parse-error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace alglab::sip {

/// RFC 4235 dialog states as BLF keys show them.
enum class DialogState { Trying, Proceeding, Early, Confirmed, Terminated };
const char* ToString(DialogState s);
std::optional<DialogState> DialogStateFromString(std::string_view s);

struct DialogInfoEntry {
  std::string id;
  std::optional<std::string> callId;
  std::optional<std::string> localTag;
  std::optional<std::string> remoteTag;
  std::optional<std::string> direction;  ///< "initiator" | "recipient"
  DialogState state = DialogState::Terminated;
};

/// application/dialog-info+xml body (RFC 4235), as BLF subscriptions carry it.
struct DialogInfo {
  std::uint32_t version = 0;
  bool full = true;            ///< state="full" | "partial"
  std::string entity;          ///< "sip:102@pbx"
  std::vector<DialogInfoEntry> dialogs;

  /// A small, strict XML reader for this document type: well-formed elements, attributes in
  /// single or double quotes, entities &lt; &gt; &amp; &quot; &apos;. Errors name the line.
  static ParseResult<DialogInfo> Parse(std::string_view xml);
  std::string ToString() const;

  /// What a BLF lamp shows: the "most active" dialog state, Terminated when there are none.
  DialogState AggregateState() const;
};

}  // namespace alglab::sip

#endif
