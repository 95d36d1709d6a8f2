#ifndef ALGLAB_ALG_MODELS_CONTRACT_MECHANISMS_SIP_VIA_TEXT_H
#define ALGLAB_ALG_MODELS_CONTRACT_MECHANISMS_SIP_VIA_TEXT_H

/// \file
/// What a proxy does to the Via headers of the messages it relays, on the bytes (everything
/// else stays as it was): a request it forwards gets its own Via on top; the response coming
/// back loses that Via again before it is forwarded to the sender of the request (RFC 3261
/// 16.6 step 8 and 16.7 step 3).

#include <string>
#include <string_view>

namespace alglab {

/// Inserts a header line "Via: <value>" before the first Via line of `message` (after the start
/// line when it has none), with the start line's line break. False (nothing changed) when
/// `message` has no start line.
bool InsertTopVia(std::string& message, std::string_view value);

/// Removes the top Via value of `message` when its sent-by host is `host` and its branch
/// starts with `branchPrefix` (the line when it holds one value, else only that value). True
/// when it removed one.
bool RemoveTopViaIf(std::string& message, std::string_view host, std::string_view branchPrefix);

}  // namespace alglab

#endif
