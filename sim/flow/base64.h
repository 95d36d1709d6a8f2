#ifndef ALGLAB_FLOW_BASE64_H
#define ALGLAB_FLOW_BASE64_H

/// \file
/// Base64 for the JSON form of flows: datagrams carry arbitrary bytes (non-UTF-8 is allowed in
/// flow files, and an ALG may write anything), which JSON strings cannot hold verbatim.

#include <optional>
#include <string>
#include <string_view>

namespace alglab::flow {

/// Standard base64 (RFC 4648 section 4: alphabet A-Z a-z 0-9 + /, '=' padding, no line breaks),
/// the same as Python's base64.b64encode.
std::string EncodeBase64(std::string_view bytes);

/// The bytes of a standard base64 text as EncodeBase64 writes it (padding required, no
/// whitespace); nullopt when the text is not that.
std::optional<std::string> DecodeBase64(std::string_view text);

}  // namespace alglab::flow

#endif  // ALGLAB_FLOW_BASE64_H
