#ifndef ALGLAB_SIP_DIGEST_AUTH_H
#define ALGLAB_SIP_DIGEST_AUTH_H

#include "sim/sip/parse-error.h"

#include <optional>
#include <string>
#include <string_view>

namespace alglab::sip {

/// Lower-case hex MD5 of the input (OpenSSL's EVP digest).
std::string Md5Hex(std::string_view data);

/// WWW-Authenticate / Proxy-Authenticate value: Digest realm="..", nonce="..", [qop="auth"], ...
struct DigestChallenge {
  std::string realm;
  std::string nonce;
  std::string algorithm = "MD5";
  std::optional<std::string> opaque;
  std::optional<std::string> qop;  ///< "auth" when offered
  bool stale = false;

  static ParseResult<DigestChallenge> Parse(std::string_view headerValue);
  std::string ToString() const;
};

/// Authorization / Proxy-Authorization value.
struct DigestCredentials {
  std::string username;
  std::string realm;
  std::string nonce;
  std::string uri;
  std::string response;
  std::string algorithm = "MD5";
  std::optional<std::string> opaque;
  std::optional<std::string> qop;
  std::optional<std::string> nc;      ///< "00000001"
  std::optional<std::string> cnonce;

  static ParseResult<DigestCredentials> Parse(std::string_view headerValue);
  std::string ToString() const;
};

/// RFC 2617 response: MD5(HA1:nonce[:nc:cnonce:qop]:HA2), HA1 = MD5(user:realm:password),
/// HA2 = MD5(method:uri).
std::string ComputeDigestResponse(const DigestCredentials& c, std::string_view method,
                                  std::string_view password);

/// Client side: credentials answering `challenge` for `method` on `uri`.
DigestCredentials AnswerChallenge(const DigestChallenge& challenge, std::string_view username,
                                  std::string_view password, std::string_view method,
                                  std::string_view uri, std::string_view cnonce,
                                  unsigned nonceCount);

/// Server side: true when `c` is a correct answer for this password and method.
bool VerifyDigest(const DigestCredentials& c, std::string_view method, std::string_view password);

}  // namespace alglab::sip

#endif
