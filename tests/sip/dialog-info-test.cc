#include "sim/sip/dialog-info.h"
#include "tests/sip/test-util.h"

#include <boost/test/unit_test.hpp>

using namespace alglab::sip;

BOOST_AUTO_TEST_SUITE(dialog_info)

BOOST_AUTO_TEST_CASE(parses_the_blf_document) {
  const char* xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\" version=\"7\" state=\"partial\"\n"
      "             entity=\"sip:102@pbx\">\n"
      "  <!-- a comment -->\n"
      "  <dialog id=\"as7d900as8\" call-id=\"a84b4c76e66710\" local-tag=\"1928301774\"\n"
      "          remote-tag=\"456&amp;7\" direction=\"initiator\">\n"
      "    <state event=\"remote-bye\" code=\"200\"> early </state>\n"
      "    <duration>12</duration>\n"
      "    <local><identity display=\"Bob\">sip:102@pbx</identity>"
      "<target uri=\"sip:102@10.0.0.2\"/></local>\n"
      "  </dialog>\n"
      "  <dialog id='second'><state>confirmed</state></dialog>\n"
      "</dialog-info>\n";
  auto r = DialogInfo::Parse(xml);
  BOOST_REQUIRE_MESSAGE(r.Ok(), alglab::sip::test::Describe(r));
  const DialogInfo& d = r.Value();
  BOOST_TEST(d.version == 7u);
  BOOST_TEST(!d.full);
  BOOST_TEST(d.entity == "sip:102@pbx");
  BOOST_REQUIRE(d.dialogs.size() == 2u);
  BOOST_TEST(d.dialogs[0].id == "as7d900as8");
  BOOST_TEST(d.dialogs[0].callId.value_or("") == "a84b4c76e66710");
  BOOST_TEST(d.dialogs[0].remoteTag.value_or("") == "456&7");
  BOOST_TEST(d.dialogs[0].direction.value_or("") == "initiator");
  BOOST_TEST(d.dialogs[0].state == DialogState::Early);
  BOOST_TEST(!d.dialogs[1].callId.has_value());
  BOOST_TEST(d.AggregateState() == DialogState::Confirmed);
}

BOOST_AUTO_TEST_CASE(round_trip) {
  DialogInfo d;
  d.version = 42;
  d.full = true;
  d.entity = "sip:201@pbx.lab.example";
  DialogInfoEntry e;
  e.id = "d<1>";
  e.callId = "c\"1\"@h";
  e.localTag = "lt";
  e.direction = "recipient";
  e.state = DialogState::Confirmed;
  d.dialogs.push_back(e);
  DialogInfoEntry t;
  t.id = "d2";
  t.state = DialogState::Terminated;
  d.dialogs.push_back(t);
  const std::string xml = d.ToString();
  auto r = DialogInfo::Parse(xml);
  BOOST_REQUIRE_MESSAGE(r.Ok(), alglab::sip::test::Describe(r));
  BOOST_TEST(r.Value().version == 42u);
  BOOST_TEST(r.Value().full);
  BOOST_TEST(r.Value().entity == d.entity);
  BOOST_REQUIRE(r.Value().dialogs.size() == 2u);
  BOOST_TEST(r.Value().dialogs[0].id == "d<1>");
  BOOST_TEST(r.Value().dialogs[0].callId.value_or("") == "c\"1\"@h");
  BOOST_TEST(!r.Value().dialogs[0].remoteTag.has_value());
  BOOST_TEST(r.Value().dialogs[1].state == DialogState::Terminated);
  BOOST_TEST(r.Value().ToString() == xml);
  BOOST_TEST(xml.find("xmlns=\"urn:ietf:params:xml:ns:dialog-info\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(namespace_prefixes_and_no_declaration) {
  auto r = DialogInfo::Parse(
      "<d:dialog-info xmlns:d=\"urn:ietf:params:xml:ns:dialog-info\" version=\"1\" state=\"full\" "
      "entity=\"sip:1@x\"><d:dialog id=\"a\"><d:state>Trying</d:state></d:dialog>"
      "<x:extension xmlns:x=\"urn:example\"><x:dialog id=\"ignored\"/></x:extension>"
      "</d:dialog-info>");
  BOOST_REQUIRE_MESSAGE(r.Ok(), alglab::sip::test::Describe(r));
  BOOST_REQUIRE(r.Value().dialogs.size() == 1u);
  BOOST_TEST(r.Value().dialogs[0].state == DialogState::Trying);
  BOOST_TEST(r.Value().AggregateState() == DialogState::Trying);
}

BOOST_AUTO_TEST_CASE(xml_lexical_corners) {
  auto r = DialogInfo::Parse(
      "\xEF\xBB\xBF<?xml version='1.0'?>\n<?pi before root?>\n"
      "<dialog-info version='2' state='full' entity='sip:&#65;&#x3b1;&#x20AC;&#x1F600;&apos;@x'>"
      "<?pi inside?><dialog id='d'><state><![CDATA[conf]]>irmed</state></dialog>"
      "</dialog-info >\n<!-- trailing comment -->\n");
  BOOST_REQUIRE_MESSAGE(r.Ok(), alglab::sip::test::Describe(r));
  BOOST_TEST(r.Value().entity == "sip:A\xCE\xB1\xE2\x82\xAC\xF0\x9F\x98\x80'@x");
  BOOST_TEST(r.Value().dialogs[0].state == DialogState::Confirmed);
  const std::string open = "<dialog-info version='1' state='full'>";
  BOOST_TEST(!DialogInfo::Parse(open + "<![CDATA[x</dialog-info>").Ok());
  BOOST_TEST(!DialogInfo::Parse(open + "<!x></dialog-info>").Ok());
  BOOST_TEST(!DialogInfo::Parse(open + "<?pi </dialog-info>").Ok());
  BOOST_TEST(!DialogInfo::Parse(open + "</dialog-info><?xml version='1.0'?>").Ok());
  BOOST_TEST(!DialogInfo::Parse(open + "&#xZZ;</dialog-info>").Ok());
}

BOOST_AUTO_TEST_CASE(aggregate_state) {
  DialogInfo d;
  BOOST_TEST(d.AggregateState() == DialogState::Terminated);
  auto add = [&d](DialogState s) {
    DialogInfoEntry e;
    e.id = std::to_string(d.dialogs.size());
    e.state = s;
    d.dialogs.push_back(e);
  };
  add(DialogState::Terminated);
  BOOST_TEST(d.AggregateState() == DialogState::Terminated);
  add(DialogState::Proceeding);
  BOOST_TEST(d.AggregateState() == DialogState::Proceeding);
  add(DialogState::Early);
  BOOST_TEST(d.AggregateState() == DialogState::Early);
  add(DialogState::Confirmed);
  add(DialogState::Trying);
  BOOST_TEST(d.AggregateState() == DialogState::Confirmed);
  BOOST_TEST(*DialogStateFromString("CONFIRMED") == DialogState::Confirmed);
  BOOST_TEST(!DialogStateFromString("ringing").has_value());
}

BOOST_AUTO_TEST_CASE(malformed_xml_names_the_line) {
  struct Case {
    const char* xml;
    std::size_t line;
    std::size_t column;
  };
  const char* head = "<dialog-info version=\"1\" state=\"full\" entity=\"e\">\n";
  (void)head;
  const Case cases[] = {
      {"", 1, 1},
      {"just text", 1, 1},
      {"<dialog-info version=\"1\" state=\"full\">\n<dialog id=\"a\">\n<state>early</State>\n"
       "</dialog>\n</dialog-info>", 3, 20},                           // mismatched end tag
      {"<dialog-info version=\"1\" state=\"full\">\n<dialog id=\"a\">\n", 3, 1},  // never closed
      {"<dialog-info version=1 state=\"full\"/>", 1, 22},               // unquoted attribute
      {"<dialog-info version=\"1\" version=\"2\" state=\"full\"/>", 1, 34},  // duplicate attribute
      {"<dialog-info version=\"1\" state=\"full\">&nbsp;</dialog-info>", 1, 39},  // unknown entity
      {"<dialog-info version=\"1\" state=\"full\"/>\n<extra/>", 2, 1},   // two roots
      {"<!DOCTYPE x>\n<dialog-info/>", 1, 1},
      {"<dialog-info version=\"1\" state=\"full\" entity=\"a<b\"/>", 1, 48},
      {"<dialog-info version=\"1\" state=\"full\">\n<!-- never ends", 2, 1},
      {"<dialog-info version=\"x\" state=\"full\"/>", 1, 1},              // bad version value
      {"<dialog-info version=\"1\" state=\"half\"/>", 1, 1},
      {"<dialog-info state=\"full\"/>", 1, 1},
      {"<presence version=\"1\" state=\"full\"/>", 1, 1},
      {"<dialog-info version=\"1\" state=\"full\">\n  <dialog>\n<state>early</state></dialog>"
       "</dialog-info>", 2, 3},                                         // dialog without id
      {"<dialog-info version=\"1\" state=\"full\">\n<dialog id=\"a\">\n  <state>ringing</state>"
       "</dialog></dialog-info>", 3, 3},                                // unknown state
      {"<dialog-info version=\"1\" state=\"full\"><dialog id=\"a\"/></dialog-info>", 1,
       39},  // no state
      {"<dialog-info version=\"1\" state=\"full\"><dialog id=\"a\" direction=\"up\">"
       "<state>early</state></dialog></dialog-info>", 1, 39},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.xml) {
      auto r = DialogInfo::Parse(c.xml);
      BOOST_REQUIRE(!r.Ok());
      BOOST_TEST(r.Error().kind == ParseErrorKind::BadXml);
      BOOST_TEST(r.Error().line == c.line);
      BOOST_TEST(r.Error().column == c.column);
    }
  }
}

BOOST_AUTO_TEST_CASE(hostile_xml_fails_fast) {
  std::string deep;
  for (int i = 0; i < 100000; ++i) {
    deep += "<a>";
  }
  auto r = DialogInfo::Parse(deep);
  BOOST_REQUIRE(!r.Ok());
  BOOST_TEST(r.Error().kind == ParseErrorKind::BadXml);

  std::string many = "<dialog-info version=\"1\" state=\"full\">\n";
  for (int i = 0; i < 20000; ++i) {
    many += "<dialog id=\"d" + std::to_string(i) + "\"><state>terminated</state></dialog>\n";
  }
  many += "</dialog-info>";
  auto ok = DialogInfo::Parse(many);
  BOOST_REQUIRE(ok.Ok());
  BOOST_TEST(ok.Value().dialogs.size() == 20000u);

  BOOST_TEST(!DialogInfo::Parse(std::string("<dialog-info\0", 13)).Ok());
  const std::string open = "<dialog-info version=\"1\" state=\"full\">";
  BOOST_TEST(!DialogInfo::Parse(open + "&#0;</dialog-info>").Ok());
  BOOST_TEST(!DialogInfo::Parse(open + "&#x110000;</dialog-info>").Ok());
  BOOST_TEST(!DialogInfo::Parse(open + "&amp</dialog-info>").Ok());
}

BOOST_AUTO_TEST_SUITE_END()
