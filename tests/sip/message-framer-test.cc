#include "sim/sip/message-framer.h"
#include "tests/sip/test-util.h"

#include <boost/test/unit_test.hpp>

using namespace alglab::sip;
using alglab::sip::test::MinimalInvite;

namespace {

std::string WithBody(const std::string& callId, const std::string& body) {
  std::string m = MinimalInvite("Content-Length: " + std::to_string(body.size()) + "\r\n");
  const auto pos = m.find("a84b4c76e66710@192.0.2.1");
  m.replace(pos, 24, callId);
  return m + body;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(message_framer)

BOOST_AUTO_TEST_CASE(two_messages_in_one_chunk) {
  MessageFramer f;
  f.Feed(WithBody("one", "abc") + WithBody("two", ""));
  auto first = f.Next();
  BOOST_REQUIRE(first.has_value());
  BOOST_REQUIRE(first->Ok());
  BOOST_TEST(first->Value().CallId().value_or("") == "one");
  BOOST_TEST(first->Value().Body() == "abc");
  auto second = f.Next();
  BOOST_REQUIRE(second.has_value());
  BOOST_REQUIRE(second->Ok());
  BOOST_TEST(second->Value().CallId().value_or("") == "two");
  BOOST_TEST(!f.Next().has_value());
  BOOST_TEST(f.Buffered() == 0u);
}

BOOST_AUTO_TEST_CASE(message_split_over_three_chunks) {
  const std::string whole = WithBody("split", "0123456789");
  const std::size_t a = 20;                 // inside the start line
  const std::size_t b = whole.size() - 4;   // inside the body
  MessageFramer f;
  f.Feed(std::string_view(whole).substr(0, a));
  BOOST_TEST(!f.Next().has_value());
  f.Feed(std::string_view(whole).substr(a, b - a));
  BOOST_TEST(!f.Next().has_value());
  BOOST_TEST(f.Buffered() == b);
  f.Feed(std::string_view(whole).substr(b));
  auto m = f.Next();
  BOOST_REQUIRE(m.has_value());
  BOOST_REQUIRE(m->Ok());
  BOOST_TEST(m->Value().Body() == "0123456789");
}

BOOST_AUTO_TEST_CASE(byte_at_a_time) {
  const std::string whole = WithBody("bytes", "xyz") + "\r\n\r\n" + WithBody("bytes2", "");
  MessageFramer f;
  std::vector<std::string> ids;
  for (char c : whole) {
    f.Feed(std::string_view(&c, 1));
    while (auto m = f.Next()) {
      BOOST_REQUIRE(m->Ok());
      ids.push_back(*m->Value().CallId());
    }
  }
  BOOST_REQUIRE(ids.size() == 2u);
  BOOST_TEST(ids[1] == "bytes2");
  BOOST_TEST(f.KeepalivesSeen() >= 1u);
}

BOOST_AUTO_TEST_CASE(crlf_keepalives_are_skipped_and_counted) {
  MessageFramer f;
  f.Feed("\r\n\r\n");  // ping
  BOOST_TEST(!f.Next().has_value());
  BOOST_TEST(f.KeepalivesSeen() == 1u);
  f.Feed("\r\n");  // pong
  BOOST_TEST(!f.Next().has_value());
  BOOST_TEST(f.KeepalivesSeen() == 2u);
  f.Feed("\r\n\r\n" + WithBody("after-ping", "") + "\r\n\r\n");
  auto m = f.Next();
  BOOST_REQUIRE(m.has_value());
  BOOST_REQUIRE(m->Ok());
  BOOST_TEST(m->Value().CallId().value_or("") == "after-ping");
  BOOST_TEST(f.KeepalivesSeen() == 3u);
  BOOST_TEST(!f.Next().has_value());
  BOOST_TEST(f.KeepalivesSeen() == 4u);
  BOOST_TEST(f.Buffered() == 0u);
}

BOOST_AUTO_TEST_CASE(missing_content_length_means_empty_body) {
  MessageFramer f;
  const std::string next = WithBody("second", "");
  f.Feed(MinimalInvite() + next);  // first has no Content-Length
  auto first = f.Next();
  BOOST_REQUIRE(first.has_value());
  BOOST_REQUIRE(first->Ok());
  BOOST_TEST(first->Value().Body().empty());
  auto second = f.Next();
  BOOST_REQUIRE(second.has_value());
  BOOST_REQUIRE(second->Ok());
  BOOST_TEST(second->Value().CallId().value_or("") == "second");
}

BOOST_AUTO_TEST_CASE(oversize_header_block_is_reported_and_dropped) {
  MessageFramer f;
  f.Feed("INVITE sip:bob@example.com SIP/2.0\r\n");
  const std::string filler = "X-Filler: " + std::string(1000, 'f') + "\r\n";
  for (std::size_t sent = 0; sent <= MessageFramer::kMaxHeaderBytes; sent += filler.size()) {
    BOOST_TEST(!f.Next().has_value());
    f.Feed(filler);
  }
  auto err = f.Next();
  BOOST_REQUIRE(err.has_value());
  BOOST_REQUIRE(!err->Ok());
  BOOST_TEST(err->Error().kind == ParseErrorKind::BadHeader);
  BOOST_TEST(f.Buffered() == 0u);
  // the framer recovers for the next message
  f.Feed(WithBody("recovered", ""));
  auto m = f.Next();
  BOOST_REQUIRE(m.has_value());
  BOOST_TEST(m->Ok());
}

BOOST_AUTO_TEST_CASE(complete_but_too_large_head_is_rejected) {
  MessageFramer f;
  f.Feed(MinimalInvite("X-Big: " + std::string(MessageFramer::kMaxHeaderBytes, 'g') + "\r\n"));
  auto err = f.Next();
  BOOST_REQUIRE(err.has_value());
  BOOST_TEST(!err->Ok());
  BOOST_TEST(f.Buffered() == 0u);
}

BOOST_AUTO_TEST_CASE(defective_messages_are_skipped) {
  MessageFramer f;
  std::string broken = WithBody("broken", "hey");
  broken.replace(broken.find("CSeq: 314159"), 12, "CSeq: nope");
  f.Feed(broken + WithBody("good", ""));
  auto bad = f.Next();
  BOOST_REQUIRE(bad.has_value());
  BOOST_REQUIRE(!bad->Ok());
  BOOST_TEST(bad->Error().kind == ParseErrorKind::BadHeaderValue);
  auto good = f.Next();
  BOOST_REQUIRE(good.has_value());
  BOOST_REQUIRE(good->Ok());
  BOOST_TEST(good->Value().CallId().value_or("") == "good");

  MessageFramer g;
  g.Feed(MinimalInvite("Content-Length: lots\r\n"));
  auto cl = g.Next();
  BOOST_REQUIRE(cl.has_value());
  BOOST_REQUIRE(!cl->Ok());
  BOOST_TEST(cl->Error().kind == ParseErrorKind::BadContentLength);
  BOOST_TEST(cl->Error().line == 8u);

  MessageFramer h;
  h.Feed(MinimalInvite("Content-Length: 99999999\r\n"));
  auto huge = h.Next();
  BOOST_REQUIRE(huge.has_value());
  BOOST_TEST(huge->Error().kind == ParseErrorKind::BadContentLength);
  BOOST_TEST(h.Buffered() == 0u);
}

BOOST_AUTO_TEST_CASE(lf_only_stream) {
  MessageFramer f;
  std::string lf = WithBody("lf", "12");
  std::string converted;
  for (std::size_t i = 0; i < lf.size(); ++i) {
    if (!(lf[i] == '\r' && i + 1 < lf.size() && lf[i + 1] == '\n')) {
      converted += lf[i];
    }
  }
  f.Feed(converted);
  auto m = f.Next();
  BOOST_REQUIRE(m.has_value());
  BOOST_REQUIRE(m->Ok());
  BOOST_TEST(m->Value().Body() == "12");
}

BOOST_AUTO_TEST_CASE(first_stream_frame_delimits_without_parsing) {
  using Kind = StreamFrame::Kind;
  const std::string message =
      "MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 5\r\n\r\nhello";
  // Whole, then with a second message behind it: only the first counts.
  BOOST_TEST((FirstStreamFrame(message).kind == Kind::Message));
  BOOST_TEST(FirstStreamFrame(message).length == message.size());
  BOOST_TEST(FirstStreamFrame(message + "OPTIONS").length == message.size());
  // Cut in the body, in the head, or nothing yet: more bytes needed.
  BOOST_TEST((FirstStreamFrame(message.substr(0, message.size() - 1)).kind == Kind::Incomplete));
  BOOST_TEST((FirstStreamFrame(message.substr(0, 20)).kind == Kind::Incomplete));
  BOOST_TEST((FirstStreamFrame("").kind == Kind::Incomplete));
  BOOST_TEST((FirstStreamFrame("\r").kind == Kind::Incomplete));
  // Keepalives ahead of a message are a frame of their own.
  const StreamFrame ping = FirstStreamFrame("\r\n\r\n\r\n" + message);
  BOOST_TEST((ping.kind == Kind::Keepalive));
  BOOST_TEST(ping.length == 6U);
  // A Content-Length that is not a number cannot be delimited.
  BOOST_TEST((FirstStreamFrame("BYE sip:a@b SIP/2.0\r\nContent-Length: x\r\n\r\n").kind == Kind::Defective));
  BOOST_TEST((FirstStreamFrame(std::string(MessageFramer::kMaxHeaderBytes + 1, 'a')).kind == Kind::Defective));
}

BOOST_AUTO_TEST_SUITE_END()
