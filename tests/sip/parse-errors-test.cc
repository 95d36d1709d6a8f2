// Every ParseErrorKind of the message parser, with the exact line and column it must name, and
// the pathological inputs that must fail fast instead of crashing or hanging.

#include "sim/sip/sip-message.h"
#include "tests/sip/test-util.h"

#include <boost/test/unit_test.hpp>

#include <random>
#include <set>

using namespace alglab::sip;
using alglab::sip::test::Crlf;
using alglab::sip::test::MinimalInvite;

namespace {

void ExpectError(const std::string& bytes, ParseErrorKind kind, std::size_t line,
                 std::size_t column) {
  auto r = ParseMessage(bytes);
  BOOST_REQUIRE_MESSAGE(!r.Ok(), "unexpectedly parsed");
  BOOST_TEST(ToString(r.Error().kind) == ToString(kind));
  BOOST_TEST(r.Error().line == line);
  BOOST_TEST(r.Error().column == column);
  BOOST_TEST(!r.Error().detail.empty());
  BOOST_TEST(r.Error().detail.size() < 200u);
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  const auto pos = s.find(from);
  BOOST_REQUIRE(pos != std::string::npos);
  s.replace(pos, from.size(), to);
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(parse_errors)

BOOST_AUTO_TEST_CASE(empty) {
  ExpectError("", ParseErrorKind::Empty, 1, 1);
  ExpectError("\r\n\r\n", ParseErrorKind::Empty, 3, 1);
}

BOOST_AUTO_TEST_CASE(bad_start_line) {
  ExpectError(Crlf("hello world\n\n"), ParseErrorKind::BadStartLine, 1, 1);
  ExpectError(Replace(MinimalInvite(), "INVITE sip", "INVITE  sip"), ParseErrorKind::BadStartLine,
              1, 8);
  ExpectError(Replace(MinimalInvite(), "INVITE", "INV@TE"), ParseErrorKind::BadStartLine, 1, 4);
  ExpectError(Replace(MinimalInvite(), "SIP/2.0\r\n", "SIP/2.0 extra\r\n"),
              ParseErrorKind::BadStartLine, 1, 36);
  ExpectError(std::string("INVITE sip:bob@example.com\0SIP/2.0\r\n\r\n", 38),
              ParseErrorKind::BadStartLine, 1, 27);
}

BOOST_AUTO_TEST_CASE(bad_version) {
  ExpectError(Replace(MinimalInvite(), "SIP/2.0\r\n", "SIP/3.0\r\n"), ParseErrorKind::BadVersion,
              1, 28);
  ExpectError(Replace(MinimalInvite(), "SIP/2.0\r\n", "HTTP/1.1\r\n"), ParseErrorKind::BadVersion,
              1, 28);
  ExpectError(Crlf("SIP/1.0 200 OK\n\n"), ParseErrorKind::BadVersion, 1, 1);
}

BOOST_AUTO_TEST_CASE(bad_status_code) {
  ExpectError(Crlf("SIP/2.0 20 OK\n\n"), ParseErrorKind::BadStatusCode, 1, 9);
  ExpectError(Crlf("SIP/2.0 700 Odd\n\n"), ParseErrorKind::BadStatusCode, 1, 9);
  ExpectError(Crlf("SIP/2.0 2000 OK\n\n"), ParseErrorKind::BadStatusCode, 1, 9);
  ExpectError(Crlf("SIP/2.0\n\n"), ParseErrorKind::BadStartLine, 1, 8);
}

BOOST_AUTO_TEST_CASE(bad_header) {
  const std::string bytes = Replace(MinimalInvite(), "Max-Forwards: 70", "Via SIP/2.0/UDP h");
  ExpectError(bytes, ParseErrorKind::BadHeader, 3, 1);
  BOOST_TEST(ParseMessage(bytes).Error().ToString() ==
             "line 3, column 1: bad header: missing ':' in 'Via SIP/2.0/UDP h'");
  ExpectError(Replace(MinimalInvite(), "Max-Forwards", ": 70\r\nMax-Forwards"),
              ParseErrorKind::BadHeader, 3, 1);
  ExpectError(Replace(MinimalInvite(), "Max-Forwards", "Max Forwards"), ParseErrorKind::BadHeader,
              3, 4);
  ExpectError(Crlf("INVITE sip:a@b SIP/2.0\n folded first\n\n"), ParseErrorKind::BadHeader, 2, 1);
}

BOOST_AUTO_TEST_CASE(bad_header_value) {
  ExpectError(Replace(MinimalInvite(), "CSeq: 314159", "CSeq: abc"),
              ParseErrorKind::BadHeaderValue, 7, 7);
  ExpectError(Replace(MinimalInvite(), "314159 INVITE", "1 BYE"), ParseErrorKind::BadHeaderValue,
              7, 7);
  // an unterminated quote in From names the quote
  ExpectError(Replace(MinimalInvite(), "From: Alice", "From: \"Alice"),
              ParseErrorKind::BadHeaderValue, 5, 7);
  // an unterminated '<' in To
  ExpectError(Replace(MinimalInvite(), "<sip:bob@example.com>", "<sip:bob@example.com"),
              ParseErrorKind::BadHeaderValue, 4, 9);
  // a list in a single-value header
  ExpectError(Replace(MinimalInvite(), "To: Bob <sip:bob@example.com>",
                      "To: <sip:bob@example.com>, <sip:carol@example.com>"),
              ParseErrorKind::BadHeaderValue, 4, 26);
  ExpectError(MinimalInvite("Call-ID: second\r\n"), ParseErrorKind::BadHeaderValue, 8, 10);
  ExpectError(Replace(MinimalInvite(), "Max-Forwards: 70", "Max-Forwards: seventy"),
              ParseErrorKind::BadHeaderValue, 3, 15);
  ExpectError(Replace(MinimalInvite(), "Call-ID: a84b", "Call-ID: a8 4b"),
              ParseErrorKind::BadHeaderValue, 6, 12);
  ExpectError(MinimalInvite("Contact: *, <sip:a@b>\r\n"), ParseErrorKind::BadHeaderValue, 8, 13);
  ExpectError(MinimalInvite("Route: *\r\n"), ParseErrorKind::BadHeaderValue, 8, 8);
  ExpectError(MinimalInvite("Via:\r\n"), ParseErrorKind::BadHeaderValue, 8, 5);
  ExpectError(MinimalInvite("CSeq: 2 INVITE\r\n"), ParseErrorKind::BadHeaderValue, 8, 7);
  ExpectError(Replace(MinimalInvite(), "Call-ID: a84b4c76e66710@192.0.2.1", "Call-ID:   "),
              ParseErrorKind::BadHeaderValue, 6, 12);
  ExpectError(Replace(MinimalInvite(), "To: Bob <sip:bob@example.com>", "To: *"),
              ParseErrorKind::BadHeaderValue, 4, 5);
  // NUL byte in a value
  ExpectError(Replace(MinimalInvite(), "Max-Forwards: 70", std::string("Max-Forwards: 7\0", 16)),
              ParseErrorKind::BadHeaderValue, 3, 16);
  // an error on a folded continuation line names that line
  ExpectError(Replace(MinimalInvite(), ";branch=z9hG4bK776asdhds", "\r\n ;branch="),
              ParseErrorKind::BadHeaderValue, 3, 10);
}

BOOST_AUTO_TEST_CASE(missing_header) {
  for (const char* name : {"Via", "From", "To", "Call-ID", "CSeq"}) {
    std::string bytes = MinimalInvite();
    const auto start = bytes.find(std::string("\r\n") + name + ":") + 2;
    const auto end = bytes.find("\r\n", start) + 2;
    bytes.erase(start, end - start);
    BOOST_TEST_CONTEXT(name) {
      ExpectError(bytes, ParseErrorKind::MissingHeader, 7, 1);
      BOOST_TEST(ParseMessage(bytes).Error().detail.find(name) != std::string::npos);
    }
  }
  // responses need them too
  ExpectError(Crlf("SIP/2.0 200 OK\nVia: SIP/2.0/UDP h\n\n"), ParseErrorKind::MissingHeader, 3,
              1);
}

BOOST_AUTO_TEST_CASE(bad_uri) {
  ExpectError(Replace(MinimalInvite(), "INVITE sip:bob@example.com", "INVITE sip:bob@exa mple.com"),
              ParseErrorKind::BadUri, 1, 19);
  ExpectError(Replace(MinimalInvite(), "To: Bob <sip:bob@example.com>", "To: <sip:bob@>"),
              ParseErrorKind::BadUri, 4, 14);
  ExpectError(Replace(MinimalInvite(), "INVITE sip:bob", "INVITE bob"), ParseErrorKind::BadUri, 1,
              8);
}

BOOST_AUTO_TEST_CASE(bad_content_length) {
  ExpectError(MinimalInvite("Content-Length: 100\r\n") + "short", ParseErrorKind::BadContentLength,
              8, 17);
  ExpectError(MinimalInvite("l:  abc\r\n"), ParseErrorKind::BadContentLength, 8, 5);
  ExpectError(MinimalInvite("Content-Length: -1\r\n"), ParseErrorKind::BadContentLength, 8, 17);
  ExpectError(MinimalInvite("Content-Length: 0\r\nl: 4\r\n") + "body",
              ParseErrorKind::BadContentLength, 9, 4);
  ExpectError(MinimalInvite("Content-Length: 99999999999999999999999\r\n"),
              ParseErrorKind::BadContentLength, 8, 17);
  const std::string err = ParseMessage(MinimalInvite("Content-Length: 100\r\n") + "short")
                              .Error().ToString();
  BOOST_TEST(err.find("100") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(truncated) {
  std::string noBlank = MinimalInvite();
  noBlank.resize(noBlank.size() - 2);
  ExpectError(noBlank, ParseErrorKind::Truncated, 8, 1);
  ExpectError("INVITE sip:bob@example.com SIP/2.0", ParseErrorKind::Truncated, 2, 1);
  ExpectError("INVITE sip:bob@example.com SIP/2.0\r\nVia: x", ParseErrorKind::Truncated, 2, 7);
}

BOOST_AUTO_TEST_CASE(kind_names_are_distinct) {
  std::set<std::string> names;
  for (int k = 0; k <= static_cast<int>(ParseErrorKind::BadAuth); ++k) {
    names.insert(ToString(static_cast<ParseErrorKind>(k)));
  }
  BOOST_TEST(names.size() == 13u);
  BOOST_TEST(std::string(ToString(ParseErrorKind::BadContentLength)) == "BadContentLength");
}

BOOST_AUTO_TEST_CASE(very_long_lines) {
  const std::string longValue(100000, 'a');
  auto ok = ParseMessage(MinimalInvite("X-Long: " + longValue + "\r\n"));
  BOOST_REQUIRE(ok.Ok());
  BOOST_TEST(ok.Value().Get("X-Long")->size() == 100000u);

  const std::string noColon(100000, 'b');
  auto bad = ParseMessage(MinimalInvite(noColon + "\r\n"));
  BOOST_REQUIRE(!bad.Ok());
  BOOST_TEST(bad.Error().kind == ParseErrorKind::BadHeader);
  BOOST_TEST(bad.Error().ToString().size() < 150u);  // the offending text is cut short

  const std::string longQuote = "From: \"" + std::string(100000, 'c') + " <sip:a@b>;tag=1";
  auto quote = ParseMessage(
      Replace(MinimalInvite(), "From: Alice <sip:alice@example.com>;tag=1928301774", longQuote));
  BOOST_REQUIRE(!quote.Ok());
  BOOST_TEST(quote.Error().kind == ParseErrorKind::BadHeaderValue);
}

BOOST_AUTO_TEST_CASE(huge_header_count) {
  std::string extra;
  for (int i = 0; i < 100000; ++i) {
    extra += "X-H" + std::to_string(i) + ": v\r\n";
  }
  auto r = ParseMessage(MinimalInvite(extra));
  BOOST_REQUIRE(r.Ok());
  BOOST_TEST(r.Value().Headers().size() == 100006u);

  std::string vias(200000, ',');  // an absurd list of empty values
  auto v = ParseMessage(MinimalInvite("Via: " + vias + "\r\n"));
  BOOST_REQUIRE(!v.Ok());
  BOOST_TEST(v.Error().kind == ParseErrorKind::BadHeaderValue);
}

BOOST_AUTO_TEST_CASE(every_truncation_of_a_valid_message_is_handled) {
  const std::string full =
      MinimalInvite("Content-Type: text/plain\r\nContent-Length: 4\r\n") + "body";
  BOOST_REQUIRE(ParseMessage(full).Ok());
  for (std::size_t n = 0; n < full.size(); ++n) {
    auto r = ParseMessage(std::string_view(full).substr(0, n));
    BOOST_TEST_CONTEXT("prefix " << n) {
      BOOST_TEST(!r.Ok());
      BOOST_TEST(r.Error().line >= 1u);
      BOOST_TEST(r.Error().column >= 1u);
    }
  }
}

BOOST_AUTO_TEST_CASE(random_mutations_never_crash) {
  const std::string seed = MinimalInvite(
      "Contact: \"A, B\" <sip:a@[2001:db8::1]:5060;transport=tcp>;q=0.5\r\nContent-Length: 3\r\n") +
      "abc";
  std::mt19937 rng(20240601u);  // fixed seed: deterministic
  const char alphabet[] = {'\0', '\r', '\n', ' ', '\t', ':', ';', ',', '"', '<', '>', '[', ']',
                           '\\', '=', '@', 'a', '9', '\x80', '\xff'};
  std::size_t parsed = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string s = seed;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      const std::size_t pos = rng() % s.size();
      switch (rng() % 3) {
        case 0: s[pos] = alphabet[rng() % sizeof(alphabet)]; break;
        case 1: s.erase(pos, 1 + rng() % 8); break;
        default: s.insert(pos, 1, alphabet[rng() % sizeof(alphabet)]); break;
      }
      if (s.empty()) {
        s = "x";
      }
    }
    auto r = ParseMessage(s);
    if (r.Ok()) {
      ++parsed;
      BOOST_TEST(ParseMessage(r.Value().Serialize()).Ok());  // whatever parses re-serializes
    } else {
      BOOST_TEST(r.Error().line >= 1u);
      BOOST_TEST(r.Error().column >= 1u);
    }
  }
  BOOST_TEST(parsed > 0u);
}

BOOST_AUTO_TEST_SUITE_END()
