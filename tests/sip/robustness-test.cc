// Deterministic mutation runs over every parser: whatever the bytes, a parser returns a value or
// a positioned error (run under ASan/UBSan to also prove no out-of-bounds reads).

#include "sim/sip/digest-auth.h"
#include "sim/sip/dialog-info.h"
#include "sim/sip/header-values.h"
#include "sim/sip/message-framer.h"
#include "sim/sip/sdp.h"
#include "sim/sip/uri.h"
#include "tests/sip/test-util.h"

#include <boost/test/unit_test.hpp>

#include <functional>
#include <random>

using namespace alglab::sip;

namespace {

/// Applies `rounds` random edits drawn from a fixed seed, calling `check` on each variant.
void Mutate(const std::string& seed, std::uint32_t rngSeed, int rounds,
            const std::function<void(const std::string&)>& check) {
  std::mt19937 rng(rngSeed);
  static const char alphabet[] = {'\0', '\r', '\n', ' ', '\t', ':', ';', ',', '"', '\'', '<',
                                  '>',  '[',  ']',  '&', '#',  '=', '@', '/', '\\', 'a',  '0',
                                  '\x80', '\xff'};
  for (int i = 0; i < rounds; ++i) {
    std::string s = seed;
    const int edits = 1 + static_cast<int>(rng() % 5);
    for (int e = 0; e < edits && !s.empty(); ++e) {
      const std::size_t pos = rng() % s.size();
      switch (rng() % 4) {
        case 0: s[pos] = alphabet[rng() % sizeof(alphabet)]; break;
        case 1: s.erase(pos, 1 + rng() % 6); break;
        case 2: s.insert(pos, 1, alphabet[rng() % sizeof(alphabet)]); break;
        default: s.resize(pos); break;  // truncation
      }
    }
    check(s);
  }
}

template <typename T>
void ExpectPositioned(const ParseResult<T>& r) {
  if (!r.Ok()) {
    BOOST_TEST(r.Error().line >= 1u);
    BOOST_TEST(r.Error().column >= 1u);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(robustness)

BOOST_AUTO_TEST_CASE(sdp_mutations) {
  const std::string seed = alglab::sip::test::Crlf(
      "v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nc=IN IP4 192.0.2.1\nt=0 0\n"
      "m=audio 4000/2 RTP/AVP 0 8\na=rtcp:4001 IN IP4 192.0.2.1\na=sendonly\n");
  Mutate(seed, 1u, 3000, [](const std::string& s) {
    auto r = SessionDescription::Parse(s);
    ExpectPositioned(r);
    if (r.Ok()) {
      const auto again = SessionDescription::Parse(r.Value().ToString());
      BOOST_TEST(again.Ok());
      for (const auto& m : r.Value().media) {
        (void)m.RtcpPort();
        (void)m.RtcpAddress();
      }
    }
  });
}

BOOST_AUTO_TEST_CASE(dialog_info_mutations) {
  DialogInfo d;
  d.version = 3;
  d.entity = "sip:1@x";
  d.dialogs.push_back(DialogInfoEntry{"a", std::string("c"), std::string("l"), std::string("r"),
                                      std::string("initiator"), DialogState::Early});
  Mutate(d.ToString(), 2u, 3000, [](const std::string& s) {
    auto r = DialogInfo::Parse(s);
    ExpectPositioned(r);
    if (r.Ok()) {
      BOOST_TEST(DialogInfo::Parse(r.Value().ToString()).Ok());
    }
  });
}

BOOST_AUTO_TEST_CASE(digest_mutations) {
  const std::string seed =
      "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"abc\", "
      "qop=auth, nc=00000001, cnonce=\"c\", opaque=\"o\"";
  Mutate(seed, 3u, 3000, [](const std::string& s) {
    ExpectPositioned(DigestCredentials::Parse(s));
    ExpectPositioned(DigestChallenge::Parse(s));
  });
}

BOOST_AUTO_TEST_CASE(uri_and_address_mutations) {
  const std::string seed =
      "\"A \\\"B\\\"\" <sips:u:p@[2001:db8::1]:5061;transport=tls;lr?h=v>;tag=1;q=0.5";
  Mutate(seed, 4u, 3000, [](const std::string& s) {
    auto na = NameAddress::Parse(s);
    ExpectPositioned(na);
    if (na.Ok()) {
      BOOST_TEST(NameAddress::Parse(na.Value().ToString()).Ok());
    }
    ExpectPositioned(Uri::Parse(s));
    ExpectPositioned(Via::Parse(s));
    ExpectPositioned(CSeq::Parse(s));
    ExpectPositioned(ParameterList::Parse(s));
  });
}

BOOST_AUTO_TEST_CASE(framer_mutations) {
  const std::string seed = alglab::sip::test::MinimalInvite("Content-Length: 3\r\n") + "abc" +
                           "\r\n\r\n" + alglab::sip::test::MinimalInvite();
  Mutate(seed, 5u, 1000, [](const std::string& s) {
    MessageFramer f;
    // feed in uneven pieces; Next() must always make progress or ask for more
    for (std::size_t pos = 0; pos < s.size(); pos += 37) {
      f.Feed(std::string_view(s).substr(pos, 37));
      int guard = 0;
      while (auto m = f.Next()) {
        ExpectPositioned(*m);
        BOOST_REQUIRE(++guard < 1000);
      }
    }
    BOOST_TEST(f.Buffered() <= s.size());
  });
}

BOOST_AUTO_TEST_SUITE_END()
