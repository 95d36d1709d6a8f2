#ifndef ALGLAB_ALG_MODELS_CONTRACT_MECHANISMS_SIP_ADDRESS_REWRITER_H
#define ALGLAB_ALG_MODELS_CONTRACT_MECHANISMS_SIP_ADDRESS_REWRITER_H

/// \file
/// A reusable mechanism: the address rewrite of a SIP ALG. In the headers it is told to
/// (`rewrite_headers`) and the SDP lines it is told to (`rewrite_sdp`), every IPv4 "address[:port]"
/// the match predicate (`address_match`, see address-match.h) calls the translated endpoint is
/// replaced by the endpoint's translation:
/// - outbound (outbound-post-snat): the inside host's endpoint -> the public endpoint SNAT chose;
/// - inbound (inbound-post-dnat, with `rewrite_inbound`): the public endpoint -> the inside one
///   (any-private is then address-only against the public address: the text is public).
/// Header text without a port means 5060: it matches an endpoint on 5060 and gets ":port" only
/// when the translated port differs. SDP o=/c= lines carry no port: the address alone decides
/// (for every predicate). An outbound `m=` port whose stream address matches is replaced by the
/// public port the NAT maps that media endpoint to (reserved now, as the media pinhole opener
/// does, so both agree). Content-Length is then made the body's real length (`content_length` =
/// fix) or left alone (leave, the half-done rewrite some CPE ship).
///
/// Place it after a MediaPinholeOpener of the same hook point (the opener reads the inside
/// addresses this mechanism replaces). UDP only: a length change in TCP would need sequence
/// number adjustment the router does not offer. Payloads that do not parse as SIP pass untouched
/// (a SipDropPolicy before it decides whether they pass at all).

#include "alg-models/contract/mechanisms/sip-scope.h"
#include "alg-models/contract/mechanism.h"
#include "alg-models/contract/mechanisms/address-match.h"

#include <cstdint>
#include <functional>
#include <set>
#include <string>

namespace alglab {

/// What the rewriter does with Content-Length after a rewrite.
enum class ContentLengthPolicy : std::uint8_t { Fix, Leave };

class SipAddressRewriter : public alg::Mechanism {
 public:
  static ns3::TypeId GetTypeId();
  SipAddressRewriter();

  /// Role "classifier": only SIP connections by the model's notion (see SipScope).
  bool Connect(const std::string& role, const ns3::Ptr<alg::Mechanism>& other) override {
    return m_scope.Connect(role, other);
  }
  alg::Verdict Process(alg::PacketContext& context) override;
  std::string Name() const override { return "sip-address-rewriter"; }

  /// Maps an inside media endpoint to the public port it is reached on (0: keep the m= port).
  using MediaPortReserver = std::function<std::uint16_t(const nat::Endpoint&)>;

  /// The rewrite alone, for a model that runs it inside its own pass: rewrites `message` (a
  /// whole SIP datagram) with this rewriter's header and SDP selection and Content-Length
  /// policy, replacing what names `from` by `to` under `rule`. `reserve` empty: m= ports are
  /// kept. Returns the number of replacements.
  std::size_t Rewrite(std::string& message, const nat::Endpoint& from, const nat::Endpoint& to,
                      alg::AddressMatch rule, const alg::RouterView* view,
                      const MediaPortReserver& reserve) const;

 private:
  void SetTransports(std::string text) { m_scope.SetTransports(text, "sip_transports"); }
  std::string GetTransports() const { return m_scope.TransportsText(); }
  SipScope m_scope;
  void SetHeaders(std::string text);
  std::string GetHeaders() const { return m_headersText; }
  void SetSdp(std::string text);
  std::string GetSdp() const { return m_sdpText; }
  void SetMatch(std::string text);
  std::string GetMatch() const { return alg::ToString(m_match); }
  void SetContentLength(std::string text);
  std::string GetContentLength() const;
  void SetOrigin(std::string text);
  std::string GetOrigin() const { return m_originOnlyWithConnection ? "when-equal-to-c" : "always"; }

  std::set<std::string> m_headers;  ///< canonical lower-case names, "request-uri" included
  std::string m_headersText;
  std::set<char> m_sdp;  ///< 'o', 'c', 'm'
  std::string m_sdpText;
  alg::AddressMatch m_match = alg::AddressMatch::AddressOnly;
  ContentLengthPolicy m_contentLength = ContentLengthPolicy::Fix;
  /// o= is rewritten only when it names the session's c= address (Cisco ASA leaves an o= that
  /// differs from c= alone).
  bool m_originOnlyWithConnection = false;
  bool m_inbound = true;
};

}  // namespace alglab

#endif
