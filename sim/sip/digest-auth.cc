#include "sim/sip/digest-auth.h"

#include "sim/sip/detail/text-util.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <memory>
#include <utility>
#include <vector>

namespace alglab::sip {

using detail::Excerpt;
using detail::IEquals;

std::string Md5Hex(std::string_view data) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_md5(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest, &size) != 1) {
    return std::string();  // only when OpenSSL itself is broken (e.g. MD5 disabled by policy)
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * size);
  for (unsigned int i = 0; i < size; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0x0f];
  }
  return out;
}

namespace {

struct AuthParam {
  std::string name;  ///< lower case
  std::string value; ///< unquoted
};

ParseError AuthError(std::size_t column, std::string detail) {
  return detail::MakeError(ParseErrorKind::BadAuth, 1, column, std::move(detail));
}

/// "Digest a=b, c="d"": the scheme must be Digest; names are case-insensitive, values quoted
/// strings or tokens, in any order, with any whitespace around '=' and ','.
ParseResult<std::vector<AuthParam>> ParseDigestParams(std::string_view text) {
  const std::size_t n = text.size();
  std::size_t pos = detail::SkipSpaces(text, 0);
  const std::size_t schemeStart = pos;
  while (pos < n && detail::IsTokenChar(text[pos])) {
    ++pos;
  }
  const std::string_view scheme = text.substr(schemeStart, pos - schemeStart);
  if (!IEquals(scheme, "Digest")) {
    return AuthError(schemeStart + 1,
                     fmt::format("authentication scheme is not Digest: '{}'", Excerpt(text)));
  }
  std::vector<AuthParam> params;
  if (pos < n && !detail::IsSpaceOrTab(text[pos])) {
    return AuthError(pos + 1, fmt::format("expected whitespace after Digest in '{}'",
                                          Excerpt(text)));
  }
  for (;;) {
    pos = detail::SkipSpaces(text, pos);
    if (pos == n) {
      break;
    }
    const std::size_t nameStart = pos;
    while (pos < n && detail::IsTokenChar(text[pos])) {
      ++pos;
    }
    if (pos == nameStart) {
      return AuthError(pos + 1, fmt::format("expected a parameter name at '{}'",
                                            Excerpt(text.substr(pos))));
    }
    AuthParam p;
    p.name = detail::ToLower(text.substr(nameStart, pos - nameStart));
    pos = detail::SkipSpaces(text, pos);
    if (pos == n || text[pos] != '=') {
      return AuthError(pos + 1, fmt::format("expected '=' after '{}'", Excerpt(p.name)));
    }
    pos = detail::SkipSpaces(text, pos + 1);
    if (pos < n && text[pos] == '"') {
      const std::size_t end = detail::SkipQuotedString(text, pos);
      if (end == std::string_view::npos) {
        return AuthError(pos + 1, fmt::format("unterminated quoted value of '{}': '{}'",
                                              Excerpt(p.name), Excerpt(text.substr(pos))));
      }
      p.value = detail::Unquote(text.substr(pos, end - pos));
      pos = end;
    } else {
      const std::size_t valueStart = pos;
      while (pos < n && text[pos] != ',' && !detail::IsSpaceOrTab(text[pos]) &&
             !detail::IsControl(text[pos]) && text[pos] != '"') {
        ++pos;
      }
      if (pos == valueStart) {
        return AuthError(pos + 1, fmt::format("empty value for '{}'", Excerpt(p.name)));
      }
      p.value = std::string(text.substr(valueStart, pos - valueStart));
    }
    for (const auto& existing : params) {
      if (existing.name == p.name) {
        return AuthError(nameStart + 1,
                         fmt::format("parameter '{}' appears twice", Excerpt(p.name)));
      }
    }
    params.push_back(std::move(p));
    pos = detail::SkipSpaces(text, pos);
    if (pos == n) {
      break;
    }
    if (text[pos] != ',') {
      return AuthError(pos + 1, fmt::format("expected ',' before '{}'", Excerpt(text.substr(pos))));
    }
    ++pos;
  }
  return params;
}

const std::string* Find(const std::vector<AuthParam>& params, std::string_view name) {
  for (const auto& p : params) {
    if (p.name == name) {
      return &p.value;
    }
  }
  return nullptr;
}

std::optional<std::string> FindOptional(const std::vector<AuthParam>& params,
                                        std::string_view name) {
  if (const std::string* v = Find(params, name)) {
    return *v;
  }
  return std::nullopt;
}

}  // namespace

ParseResult<DigestChallenge> DigestChallenge::Parse(std::string_view headerValue) {
  auto parsed = ParseDigestParams(headerValue);
  if (!parsed) {
    return parsed.Error();
  }
  const auto& params = parsed.Value();
  DigestChallenge c;
  for (const char* required : {"realm", "nonce"}) {
    if (Find(params, required) == nullptr) {
      return AuthError(1, fmt::format("challenge lacks {}: '{}'", required, Excerpt(headerValue)));
    }
  }
  c.realm = *Find(params, "realm");
  c.nonce = *Find(params, "nonce");
  if (const std::string* a = Find(params, "algorithm")) {
    c.algorithm = *a;
  }
  c.opaque = FindOptional(params, "opaque");
  if (const std::string* qop = Find(params, "qop")) {
    // qop-options is a list ("auth,auth-int"); this lab speaks auth only.
    c.qop = *qop;
    for (const auto& item : detail::SplitTopLevel(*qop, ',')) {
      if (IEquals(item.text, "auth")) {
        c.qop = "auth";
      }
    }
  }
  if (const std::string* stale = Find(params, "stale")) {
    c.stale = IEquals(*stale, "true");
  }
  return c;
}

std::string DigestChallenge::ToString() const {
  std::string out = fmt::format("Digest realm={}, nonce={}, algorithm={}", detail::Quote(realm),
                                detail::Quote(nonce), algorithm);
  if (opaque) {
    out += fmt::format(", opaque={}", detail::Quote(*opaque));
  }
  if (qop) {
    out += fmt::format(", qop={}", detail::Quote(*qop));
  }
  if (stale) {
    out += ", stale=TRUE";
  }
  return out;
}

ParseResult<DigestCredentials> DigestCredentials::Parse(std::string_view headerValue) {
  auto parsed = ParseDigestParams(headerValue);
  if (!parsed) {
    return parsed.Error();
  }
  const auto& params = parsed.Value();
  for (const char* required : {"username", "realm", "nonce", "uri", "response"}) {
    if (Find(params, required) == nullptr) {
      return AuthError(1, fmt::format("credentials lack {}: '{}'", required,
                                      Excerpt(headerValue)));
    }
  }
  DigestCredentials c;
  c.username = *Find(params, "username");
  c.realm = *Find(params, "realm");
  c.nonce = *Find(params, "nonce");
  c.uri = *Find(params, "uri");
  c.response = *Find(params, "response");
  if (const std::string* a = Find(params, "algorithm")) {
    c.algorithm = *a;
  }
  c.opaque = FindOptional(params, "opaque");
  c.qop = FindOptional(params, "qop");
  c.nc = FindOptional(params, "nc");
  c.cnonce = FindOptional(params, "cnonce");
  return c;
}

std::string DigestCredentials::ToString() const {
  std::string out = fmt::format(
      "Digest username={}, realm={}, nonce={}, uri={}, response={}, algorithm={}",
      detail::Quote(username), detail::Quote(realm), detail::Quote(nonce), detail::Quote(uri),
      detail::Quote(response), algorithm);
  if (cnonce) {
    out += fmt::format(", cnonce={}", detail::Quote(*cnonce));
  }
  if (opaque) {
    out += fmt::format(", opaque={}", detail::Quote(*opaque));
  }
  if (qop) {
    out += fmt::format(", qop={}", *qop);  // a token in credentials (RFC 2617 section 3.2.2)
  }
  if (nc) {
    out += fmt::format(", nc={}", *nc);
  }
  return out;
}

std::string ComputeDigestResponse(const DigestCredentials& c, std::string_view method,
                                  std::string_view password) {
  std::string ha1 = Md5Hex(fmt::format("{}:{}:{}", c.username, c.realm, password));
  if (IEquals(c.algorithm, "MD5-sess")) {
    ha1 = Md5Hex(fmt::format("{}:{}:{}", ha1, c.nonce, c.cnonce.value_or("")));
  }
  const std::string ha2 = Md5Hex(fmt::format("{}:{}", method, c.uri));
  if (c.qop) {
    return Md5Hex(fmt::format("{}:{}:{}:{}:{}:{}", ha1, c.nonce, c.nc.value_or(""),
                              c.cnonce.value_or(""), *c.qop, ha2));
  }
  return Md5Hex(fmt::format("{}:{}:{}", ha1, c.nonce, ha2));
}

DigestCredentials AnswerChallenge(const DigestChallenge& challenge, std::string_view username,
                                  std::string_view password, std::string_view method,
                                  std::string_view uri, std::string_view cnonce,
                                  unsigned nonceCount) {
  DigestCredentials c;
  c.username = std::string(username);
  c.realm = challenge.realm;
  c.nonce = challenge.nonce;
  c.uri = std::string(uri);
  c.algorithm = challenge.algorithm;
  c.opaque = challenge.opaque;
  if (challenge.qop && *challenge.qop == "auth") {
    c.qop = "auth";
    c.nc = fmt::format("{:08x}", nonceCount);
    c.cnonce = std::string(cnonce);
  }
  c.response = ComputeDigestResponse(c, method, password);
  return c;
}

bool VerifyDigest(const DigestCredentials& c, std::string_view method, std::string_view password) {
  if (c.qop && (!c.nc || !c.cnonce)) {
    return false;  // qop requires both (RFC 2617 section 3.2.2)
  }
  if (c.response.size() != 32) {
    return false;
  }
  return IEquals(ComputeDigestResponse(c, method, password), c.response);
}

}  // namespace alglab::sip
