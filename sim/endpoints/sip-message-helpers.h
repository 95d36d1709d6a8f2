#ifndef ALGLAB_ENDPOINTS_SIP_MESSAGE_HELPERS_H
#define ALGLAB_ENDPOINTS_SIP_MESSAGE_HELPERS_H

// Small builders and accessors on top of alglab::sip that every endpoint needs: responses that
// mirror a request (RFC 3261 section 8.2.6), tags, users, the Event package. Kept here (not in
// sim/sip) because they encode user-agent behaviour, not message syntax.

#include "sim/sip/sip-message.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace alglab {

/// A response to `request`: Via lines, From, To, Call-ID and CSeq copied in order; `toTag`
/// added to To when To has no tag yet and the code is above 100. Reason from DefaultReason.
sip::SipMessage MakeResponse(const sip::SipMessage& request, int code, std::string_view toTag = {});

/// A response that never crossed the wire (timeout or transport failure), so the transaction
/// user sees one uniform type. Carries the request's Call-ID, CSeq, From and To, no Via.
sip::SipMessage MakeLocalResponse(const sip::SipMessage& request, int code);

/// sip:user@host[:port] (user omitted when empty).
sip::Uri MakeSipUri(std::string_view user, std::string_view host,
                    std::optional<std::uint16_t> port = std::nullopt);

/// <sip:user@host[:port]>
sip::NameAddress MakeNameAddress(std::string_view user, std::string_view host,
                                 std::optional<std::uint16_t> port = std::nullopt);

std::optional<std::string> FromTag(const sip::SipMessage& m);
std::optional<std::string> ToTag(const sip::SipMessage& m);
/// User part of the From / To URI ("" when absent).
std::string FromUser(const sip::SipMessage& m);
std::string ToUser(const sip::SipMessage& m);

/// The package token of the Event header ("dialog" for "dialog;id=1"), lower-cased.
std::optional<std::string> EventPackage(const sip::SipMessage& m);

/// Replaces the top Via value, keeping the others in order (Via lines end up first).
void ReplaceTopVia(sip::SipMessage& m, const sip::Via& top);

/// Numeric value of a header such as Expires or Max-Forwards; nullopt when absent or not a number.
std::optional<std::uint32_t> HeaderNumber(const sip::SipMessage& m, std::string_view name);

/// The value of parameter `name` in a "token;a=b;c=d" header (Subscription-State expires=...).
std::optional<std::string> HeaderParameter(std::string_view headerValue, std::string_view name);

/// A decimal number of at most 9 digits ("600"); nullopt otherwise.
std::optional<std::uint32_t> ParseDecimal(std::string_view text);

/// Token before the first ';' of a header value, trimmed and lower-cased.
std::string HeaderToken(std::string_view headerValue);

}  // namespace alglab

#endif
