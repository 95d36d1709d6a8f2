// Every vendor's remediation runbook against the model it remediates, on a real router (the
// small office of tests/nat): each knob a step sets exists and takes its value; the whole
// runbook, followed as its steps say (save, flush, reboot), stops the ALG, and without its
// flush or reboot the connection that existed keeps it. Then the parser's one-line errors and
// the runbook's JSON.
#define BOOST_TEST_MODULE runbooks
#include <boost/test/unit_test.hpp>

#include "alg-models/contract/alg-factory.h"
#include "alg-models/contract/alg-model-registry.h"
#include "alg-models/contract/model-file.h"
#include "alg-models/contract/runbook.h"
#include "sim/remediation/runbook-json.h"
#include "sim/scenario/knob-table.h"
#include "sim/scenario/vendor-router-settings.h"
#include "tests/nat/nat-test-lab.h"

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

using namespace alglab;
using nat::test::NatTestLab;
using nat::test::UdpProbe;

namespace {

/// The phone's (10.0.0.2:5060) INVITE with SDP naming its private address, as every model's
/// ALG rewrites it on the way out.
std::string Invite() {
  const std::string body =
      "v=0\r\no=- 1 1 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
  return "INVITE sip:200@203.0.113.2 SIP/2.0\r\n"
         "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK1\r\n"
         "From: <sip:100@10.0.0.2>;tag=1\r\n"
         "To: <sip:200@203.0.113.2>\r\n"
         "Call-ID: c1@10.0.0.2\r\n"
         "CSeq: 1 INVITE\r\n"
         "Contact: <sip:100@10.0.0.2:5060>\r\n"
         "Content-Type: application/sdp\r\n"
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

/// The vendors that have a runbook (every vendor model but the teaching ones and `none`).
std::vector<std::string> VendorsWithRunbooks() {
  std::vector<std::string> vendors;
  for (const alg::AlgModelInfo& m : alg::AlgModelRegistry::Instance().All()) {
    if (alg::FindRunbook(m.vendor) != nullptr) vendors.push_back(m.vendor);
  }
  return vendors;
}

/// One runbook change, as a scenario's timeline `set` makes it: `router.alg.<knob>` is the
/// model's knob (with the router knobs that vendor knob sets), `router.<knob>` a router knob
/// through the knob table's row. Throws (one line) for a knob or value the router refuses.
void ApplyChange(nat::NatRoutingProtocol& router, const std::string& knob, const std::string& value) {
  const std::string algPrefix = "router.alg.";
  if (knob.rfind(algPrefix, 0) == 0) {
    const std::string name = knob.substr(algPrefix.size());
    const ns3::Ptr<alg::AlgModel> changed = alg::CreateAlgModel(router.GetAlgModel()->Name(), {{name, value}});
    for (const auto& [attribute, text] : scenario::RouterChangesOf(*changed, name)) router.ChangeKnob(attribute, text);
    router.ChangeKnob("alg." + name, value);
    return;
  }
  const scenario::KnobDef* def = scenario::FindKnob(knob);
  if (def == nullptr || def->target != scenario::KnobTarget::Router) {
    throw std::invalid_argument(knob + ": not a router knob");
  }
  const scenario::KnobCheck check = scenario::CheckKnobValue(*def, value);
  if (!check.value) throw std::invalid_argument(knob + ": " + check.error);
  router.ChangeKnob(def->attribute, check.value->attributeText);
}

/// Schedules the runbook's steps from `start`: each step's changes, then its actions; a reboot
/// is waited out (BootTime + 1 s) before the next step, as a person waits for the router.
/// `withActions` false makes only the changes (and saves): the runbook without its flush and
/// reboot. Returns when the last step is done.
double ScheduleRunbook(NatTestLab& lab, const alg::Runbook& book, double start, bool withActions) {
  nat::NatRoutingProtocol& router = *lab.Nat();
  ns3::TimeValue bootTime;
  router.GetAttribute("BootTime", bootTime);
  double at = start;
  for (const alg::RunbookStep& step : book.steps) {
    ns3::Simulator::Schedule(ns3::Seconds(at) - ns3::Simulator::Now(), [&router, step] {
      for (const auto& [knob, value] : step.set) ApplyChange(router, knob, value);
    });
    for (const alg::RunbookAction action : step.then) {
      if (action == alg::RunbookAction::Save) {
        ns3::Simulator::Schedule(ns3::Seconds(at) - ns3::Simulator::Now(), [&router] { router.SaveConfig(); });
      } else if (withActions && action == alg::RunbookAction::Flush) {
        ns3::Simulator::Schedule(ns3::Seconds(at) - ns3::Simulator::Now(), [&router] { router.FlushConnections(); });
      } else if (withActions && action == alg::RunbookAction::Reboot) {
        ns3::Simulator::Schedule(ns3::Seconds(at) - ns3::Simulator::Now(), [&router] { router.Reboot(); });
        at += bootTime.Get().GetSeconds() + 1;
      }
    }
    at += 1;
  }
  return at;
}

/// What the provider received of two INVITEs from the phone's SIP socket: one before the
/// runbook (at 1 s), one after it; the runbook runs with or without its actions.
std::vector<std::string> InvitesAroundRunbook(const std::string& vendor, const alg::Runbook& book, bool withActions) {
  NatTestLab lab;
  lab.Nat()->SetAlgModel(alg::CreateAlgModel(vendor, {}));
  UdpProbe phone(lab.LanHost(0), 5060);
  UdpProbe provider(lab.WanHost(), 5060);
  phone.SendAt(1, ns3::Ipv4Address(NatTestLab::kWanHost), 5060, Invite());
  const double done = ScheduleRunbook(lab, book, 2, withActions);
  phone.SendAt(done + 1, ns3::Ipv4Address(NatTestLab::kWanHost), 5060, Invite());
  lab.RunUntil(done + 3);
  std::vector<std::string> received;
  for (const auto& d : provider.Received()) received.push_back(d.payload);
  return received;
}

/// A runbook parse error, or "" if the text parses.
std::string ParseError(const std::string& text) {
  try {
    alg::ParseRunbook("bad/runbook.yaml", text);
  } catch (const alg::ModelFileError& e) {
    return e.what();
  }
  return "";
}

const std::string kGoodStep =
    "vendor: acme\nproduct: Acme\nsteps:\n"
    "  - title: Untick SIP\n"
    "    ui: Advanced > ALG\n"
    "    confidence: documented\n"
    "    set:\n      - router.alg.SIP: \"off\"\n"
    "    then: [save, reboot]\n";

}  // namespace

BOOST_AUTO_TEST_CASE(every_vendor_model_but_the_teaching_ones_has_a_runbook_that_parses) {
  std::vector<std::string> missing;
  for (const alg::AlgModelInfo& m : alg::AlgModelRegistry::Instance().All()) {
    const bool noAlg = m.typeId.empty() && !m.create;
    const alg::Runbook* book = nullptr;
    BOOST_CHECK_NO_THROW(book = alg::FindRunbook(m.vendor));  // a broken file throws its error
    if (noAlg || m.example) {
      BOOST_TEST(book == nullptr, m.vendor << " has no ALG or stands for no product: no runbook");
      continue;
    }
    if (book == nullptr) {
      missing.push_back(m.vendor);
      continue;
    }
    BOOST_TEST(book->vendor == m.vendor);
    BOOST_TEST(book->file == "alg-models/" + m.vendor + "/runbook.yaml");
    BOOST_TEST(!book->steps.empty());
    BOOST_TEST(!book->sources.empty(), m.vendor << ": a runbook says what its steps rest on");
  }
  std::string names;
  for (const std::string& v : missing) names += " " + v;
  BOOST_TEST(missing.empty(), "vendor models without a runbook:" << names);
  BOOST_TEST(VendorsWithRunbooks().size() >= 11u);
}

BOOST_AUTO_TEST_CASE(every_knob_a_runbook_sets_exists_and_takes_its_value_on_the_router) {
  for (const std::string& vendor : VendorsWithRunbooks()) {
    BOOST_TEST_CONTEXT("vendor " << vendor) {
      const alg::Runbook& book = *alg::FindRunbook(vendor);
      NatTestLab lab;
      lab.Nat()->SetAlgModel(alg::CreateAlgModel(vendor, {}));
      std::size_t changes = 0;
      for (const alg::RunbookStep& step : book.steps) {
        for (const auto& [knob, value] : step.set) {
          BOOST_TEST_CONTEXT("step '" << step.title << "' sets " << knob << "=" << value) {
            BOOST_CHECK_NO_THROW(ApplyChange(*lab.Nat(), knob, value));
            // The running configuration shows the change, whatever its semantics.
            if (knob.rfind("router.alg.", 0) == 0) {
              const auto running = lab.Nat()->RunningConfig();
              const auto it = running.find("alg." + knob.substr(11));
              BOOST_REQUIRE(it != running.end());
              BOOST_TEST(it->second == value);
            }
            ++changes;
          }
        }
      }
      BOOST_TEST(changes > 0u, "a runbook that changes no knob cannot be simulated");
    }
  }
}

BOOST_AUTO_TEST_CASE(a_whole_runbook_followed_as_written_stops_the_alg) {
  const std::string sent = Invite();
  for (const std::string& vendor : VendorsWithRunbooks()) {
    BOOST_TEST_CONTEXT("vendor " << vendor) {
      const auto received = InvitesAroundRunbook(vendor, *alg::FindRunbook(vendor), true);
      BOOST_REQUIRE(received.size() == 2u);
      // Before: the ALG rewrote the phone's private address (Contact, SDP).
      BOOST_TEST(received[0] != sent);
      BOOST_TEST(received[0].find("203.0.113.1") != std::string::npos);
      // After: the INVITE crosses the router exactly as the phone sent it.
      BOOST_TEST(received[1] == sent);
    }
  }
}

BOOST_AUTO_TEST_CASE(without_its_flush_or_reboot_the_connection_that_existed_keeps_the_alg) {
  // Every vendor's switch reaches new sessions only, or only after a reboot: the runbook's
  // changes alone leave the phone's SIP connection, kept alive, with the ALG. That is why the
  // steps flush or reboot.
  for (const std::string& vendor : VendorsWithRunbooks()) {
    BOOST_TEST_CONTEXT("vendor " << vendor) {
      const auto received = InvitesAroundRunbook(vendor, *alg::FindRunbook(vendor), false);
      BOOST_REQUIRE(received.size() == 2u);
      BOOST_TEST(received[1] != Invite());
      BOOST_TEST(received[1].find("c=IN IP4 203.0.113.1") != std::string::npos, received[1]);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_runbook_file_with_a_mistake_is_one_line_naming_file_line_and_value) {
  BOOST_TEST(ParseError(kGoodStep) == "");
  struct Case {
    std::string text;
    std::string expected;  ///< the whole message
  };
  const std::vector<Case> cases = {
      {kGoodStep + "colour: red\n",
       "bad/runbook.yaml:10: runbook: unknown key 'colour' (valid: field_note, product, reregister, sources, steps, vendor, warnings)"},
      {"vendor: acme\nproduct: Acme\nsteps:\n  - title: t\n    ui: u\n    confidence: sure\n    then: [save]\n",
       "bad/runbook.yaml:6: steps[1].confidence: 'sure' (valid: documented, from-code, unverified)"},
      {"vendor: acme\nproduct: Acme\nsteps:\n  - title: t\n    ui: u\n    confidence: documented\n    then: [save, restart]\n",
       "bad/runbook.yaml:7: steps[1].then: 'restart' (valid: save, flush, reboot)"},
      {"vendor: acme\nproduct: Acme\nsteps:\n  - title: t\n    confidence: documented\n    then: [reboot]\n",
       "bad/runbook.yaml:4: steps[1]: needs 'ui' or 'cli' (what the person does)"},
      {"vendor: acme\nproduct: Acme\nsteps:\n  - title: t\n    cli: c\n    confidence: documented\n    set:\n      - alg.SIP: \"off\"\n",
       "bad/runbook.yaml:8: steps[1].set: 'alg.SIP' is not a router knob (router.<knob> or router.alg.<vendor knob>)"},
      {"vendor: acme\nproduct: Acme\nsteps: []\n", "bad/runbook.yaml:3: steps: expected a list of at least one step"},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.text) {
      const std::string error = ParseError(c.text);
      BOOST_TEST(error.find('\n') == std::string::npos);
      BOOST_TEST(error.rfind("bad/runbook.yaml:", 0) == 0u, error);
      BOOST_TEST(error == c.expected);
    }
  }
}

BOOST_AUTO_TEST_CASE(runbook_json_carries_every_step_in_order_with_nulls_for_what_is_left_out) {
  const alg::Runbook book = alg::ParseRunbook(
      "x/runbook.yaml",
      kGoodStep + "  - title: Clear\n    cli: |\n      clear all\n    confidence: unverified\n    then: [flush]\n"
                  "warnings: [w]\nsources: [s]\n");
  const nlohmann::ordered_json j = remediation::RunbookToJson(book);
  std::vector<std::string> keys;
  for (const auto& item : j.items()) keys.push_back(item.key());
  BOOST_TEST((keys == std::vector<std::string>{"vendor", "product", "field_note", "file", "steps", "reregister",
                                               "warnings", "sources"}));
  BOOST_TEST(j["field_note"].is_null());
  BOOST_TEST(j["steps"].size() == 2u);
  const auto& first = j["steps"][0];
  BOOST_TEST(first["number"] == 1);
  BOOST_TEST(first["ui"] == "Advanced > ALG");
  BOOST_TEST(first["cli"].is_null());
  BOOST_TEST(first["set"].dump() == R"([{"knob":"router.alg.SIP","value":"off"}])");
  BOOST_TEST(first["then"].dump() == R"(["save","reboot"])");
  const auto& second = j["steps"][1];
  BOOST_TEST(second["number"] == 2);
  BOOST_TEST(second["cli"] == "clear all");  // the block scalar's last newline is not part of it
  BOOST_TEST(second["set"].empty());
  BOOST_TEST(j["reregister"] == true);
}
