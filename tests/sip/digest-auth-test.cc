#include "sim/sip/digest-auth.h"
#include "tests/sip/test-util.h"

#include <boost/test/unit_test.hpp>

using namespace alglab::sip;

BOOST_AUTO_TEST_SUITE(digest_auth)

BOOST_AUTO_TEST_CASE(md5_known_values) {
  BOOST_TEST(Md5Hex("") == "d41d8cd98f00b204e9800998ecf8427e");
  BOOST_TEST(Md5Hex("abc") == "900150983cd24fb0d6963f7d28e17f72");
}

BOOST_AUTO_TEST_CASE(rfc2617_section_3_5_example) {
  auto parsed = DigestCredentials::Parse(
      "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
      "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", qop=auth, "
      "nc=00000001, cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\", "
      "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
  BOOST_REQUIRE_MESSAGE(parsed.Ok(), alglab::sip::test::Describe(parsed));
  const DigestCredentials& c = parsed.Value();
  BOOST_TEST(ComputeDigestResponse(c, "GET", "Circle Of Life") ==
             "6629fae49393a05397450978507c4ef1");
  BOOST_TEST(VerifyDigest(c, "GET", "Circle Of Life"));
  BOOST_TEST(!VerifyDigest(c, "GET", "circle of life"));
  BOOST_TEST(!VerifyDigest(c, "POST", "Circle Of Life"));

  DigestChallenge ch;
  ch.realm = "testrealm@host.com";
  ch.nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093";
  ch.qop = "auth";
  ch.opaque = "5ccc069c403ebaf9f0171e9517f40e41";
  const DigestCredentials answer =
      AnswerChallenge(ch, "Mufasa", "Circle Of Life", "GET", "/dir/index.html", "0a4f113b", 1);
  BOOST_TEST(answer.response == "6629fae49393a05397450978507c4ef1");
  BOOST_TEST(answer.nc.value_or("") == "00000001");
  BOOST_TEST(answer.opaque.value_or("") == *ch.opaque);
}

BOOST_AUTO_TEST_CASE(without_qop_rfc2069_style) {
  DigestChallenge ch;
  ch.realm = "pbx.lab";
  ch.nonce = "n0nce";
  const DigestCredentials c = AnswerChallenge(ch, "200", "secret", "REGISTER",
                                              "sip:pbx.lab", "ignored", 7);
  BOOST_TEST(!c.qop.has_value());
  BOOST_TEST(!c.nc.has_value());
  const std::string ha1 = Md5Hex("200:pbx.lab:secret");
  const std::string ha2 = Md5Hex("REGISTER:sip:pbx.lab");
  BOOST_TEST(c.response == Md5Hex(ha1 + ":n0nce:" + ha2));
  BOOST_TEST(VerifyDigest(c, "REGISTER", "secret"));
  BOOST_TEST(!VerifyDigest(c, "REGISTER", "wrong"));

  auto back = DigestCredentials::Parse(c.ToString());
  BOOST_REQUIRE(back.Ok());
  BOOST_TEST(VerifyDigest(back.Value(), "REGISTER", "secret"));

  DigestCredentials missingCnonce = c;
  missingCnonce.qop = "auth";
  BOOST_TEST(!VerifyDigest(missingCnonce, "REGISTER", "secret"));
}

BOOST_AUTO_TEST_CASE(md5_sess) {
  DigestChallenge ch;
  ch.realm = "r";
  ch.nonce = "n";
  ch.qop = "auth";
  ch.algorithm = "MD5-sess";
  const DigestCredentials c = AnswerChallenge(ch, "u", "p", "INVITE", "sip:x", "cn", 1);
  const std::string ha1 = Md5Hex(Md5Hex("u:r:p") + ":n:cn");
  const std::string ha2 = Md5Hex("INVITE:sip:x");
  BOOST_TEST(c.response == Md5Hex(ha1 + ":n:00000001:cn:auth:" + ha2));
  BOOST_TEST(VerifyDigest(c, "INVITE", "p"));
}

BOOST_AUTO_TEST_CASE(nonce_count_is_eight_hex_digits) {
  DigestChallenge ch;
  ch.realm = "r";
  ch.nonce = "n";
  ch.qop = "auth";
  const DigestCredentials c = AnswerChallenge(ch, "u", "p", "INVITE", "sip:x", "cn", 255);
  BOOST_TEST(c.nc.value_or("") == "000000ff");
  BOOST_TEST(VerifyDigest(c, "INVITE", "p"));
  auto back = DigestCredentials::Parse(c.ToString());
  BOOST_REQUIRE(back.Ok());
  BOOST_TEST(back.Value().qop.value_or("") == "auth");
  BOOST_TEST(back.Value().cnonce.value_or("") == "cn");
  BOOST_TEST(VerifyDigest(back.Value(), "INVITE", "p"));
}

BOOST_AUTO_TEST_CASE(challenge_parsing_with_odd_spacing) {
  auto r = DigestChallenge::Parse(
      "digest   REALM = \"pbx, lab\" ,nonce=\"abc\\\"def\",\tqop=\"auth-int, auth\" ,"
      "  opaque =xyz, stale=TRUE,algorithm=MD5,  domain=\"sip:a sip:b\"  ");
  BOOST_REQUIRE_MESSAGE(r.Ok(), alglab::sip::test::Describe(r));
  BOOST_TEST(r.Value().realm == "pbx, lab");
  BOOST_TEST(r.Value().nonce == "abc\"def");
  BOOST_TEST(r.Value().qop.value_or("") == "auth");
  BOOST_TEST(r.Value().opaque.value_or("") == "xyz");
  BOOST_TEST(r.Value().stale);
  BOOST_TEST(r.Value().algorithm == "MD5");

  auto back = DigestChallenge::Parse(r.Value().ToString());
  BOOST_REQUIRE(back.Ok());
  BOOST_TEST(back.Value().realm == "pbx, lab");
  BOOST_TEST(back.Value().nonce == "abc\"def");
  BOOST_TEST(back.Value().stale);

  auto minimal = DigestChallenge::Parse("Digest nonce=n,realm=r");
  BOOST_REQUIRE(minimal.Ok());
  BOOST_TEST(!minimal.Value().qop.has_value());
  BOOST_TEST(!minimal.Value().stale);
}

BOOST_AUTO_TEST_CASE(malformed_auth_values) {
  struct Case {
    const char* text;
    std::size_t column;
  };
  const Case cases[] = {
      {"Basic realm=\"x\"", 1},
      {"Digest realm=\"x\"", 1},                 // no nonce
      {"Digest realm=\"x, nonce=\"n\"", 25},     // quote ends early, junk after
      {"Digest realm=\"unterminated, nonce=n", 14},
      {"Digest realm \"x\", nonce=\"n\"", 14},   // missing '='
      {"Digest realm=, nonce=\"n\"", 14},        // empty value
      {"Digest realm=\"x\" nonce=\"n\"", 18},    // missing comma
      {"Digest realm=\"x\", realm=\"y\", nonce=n", 19},  // duplicate
      {"Digestrealm=\"x\"", 1},
      {"", 1},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.text) {
      auto r = DigestChallenge::Parse(c.text);
      BOOST_REQUIRE(!r.Ok());
      BOOST_TEST(r.Error().kind == ParseErrorKind::BadAuth);
      BOOST_TEST(r.Error().line == 1u);
      BOOST_TEST(r.Error().column == c.column);
    }
  }
  auto creds =
      DigestCredentials::Parse("Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"x\"");
  BOOST_REQUIRE(!creds.Ok());
  BOOST_TEST(creds.Error().detail.find("response") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
