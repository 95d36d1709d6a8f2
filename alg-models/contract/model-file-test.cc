// Model files (model-file.h) and the models built from them (composed-model.h): every error a
// researcher can make is one line naming the file and line; a built model has the vendor's
// knobs, translates the vendor's words, and comes back with its defaults after a factory reset.
#include "sim/mangle/flow-replay.h"
#include "alg-models/contract/alg-config-error.h"
#include "alg-models/contract/alg-factory.h"
#include "alg-models/contract/alg-model-registry.h"
#include "alg-models/contract/composed-model.h"
#include "alg-models/contract/model-file.h"
#include "alg-models/contract/table-router.h"

#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>

using namespace alglab;
using alg::ComposedAlgModel;
using alg::ModelFileError;
using alg::ParseModelFile;

namespace {

const std::string kHead =
    "id: t\nsummary: s\nengine: e\nremediation: r\n";
const std::string kMechanisms =
    "mechanisms:\n"
    "  - name: drop\n"
    "    type: SipDropPolicy\n"
    "    at: [outbound-post-snat]\n"
    "    priority: -5\n"
    "  - name: timer\n"
    "    type: alglab::SipSignallingTimer\n"
    "    at: [outbound-post-snat, inbound-post-dnat]\n"
    "    connect: {classifier: drop}\n"
    "  - name: rewriter\n"
    "    type: SipAddressRewriter\n"
    "    at: [outbound-post-snat]\n";
const std::string kKnobs =
    "knobs:\n"
    "  - name: sip-timeout\n"
    "    sets: [timer.sip_timeout]\n"
    "    default: \"120\"\n"
    "    confidence: from-docs\n"
    "    applies: after-reboot\n"
    "  - name: sdp\n"
    "    sets: [rewriter.rewrite_sdp]\n"
    "    default: \"yes\"\n"
    "    values: {\"yes\": \"o,c,m\", \"no\": \"\"}\n"
    "    confidence: unverified\n";

/// The one-line error of parsing and building `text`, or "" when it works.
std::string ErrorOf(const std::string& text) {
  try {
    ComposedAlgModel::Build(std::make_shared<const alg::ModelSpec>(ParseModelFile(text, "m.yaml")));
  } catch (const ModelFileError& e) {
    return e.what();
  }
  return "";
}

ns3::Ptr<ComposedAlgModel> Built() {
  return ComposedAlgModel::Build(
      std::make_shared<const alg::ModelSpec>(ParseModelFile(kHead + kMechanisms + kKnobs, "m.yaml")));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(model_file)

BOOST_AUTO_TEST_CASE(a_model_file_builds_its_chains_and_the_vendors_knobs) {
  const ns3::Ptr<ComposedAlgModel> model = Built();
  BOOST_TEST(model->Name() == "t");
  BOOST_TEST(model->Chain(alg::HookPoint::OutboundPostSnat).size() == 3u);
  BOOST_TEST(model->Chain(alg::HookPoint::OutboundPostSnat).front() == model->Find("drop"));
  BOOST_TEST(model->Chain(alg::HookPoint::InboundPostDnat).size() == 1u);
  BOOST_TEST(model->Chain(alg::HookPoint::InboundPreFilter).empty());
  std::vector<std::string> names;
  for (const alg::KnobInfo& k : model->Knobs()) names.push_back(k.name);
  BOOST_TEST(names == (std::vector<std::string>{"sip-timeout", "sdp", "tcp_view"}), boost::test_tools::per_element());
  BOOST_TEST(model->Knobs()[1].help == "[unverified]");
  // Defaults are applied at build, through the vendor's words.
  BOOST_TEST(model->GetKnob("sip-timeout") == "120");
  BOOST_TEST(model->GetKnob("sdp") == "yes");
  BOOST_CHECK(model->SemanticsOf("sip-timeout") == alg::KnobSemantics::AfterReboot);
  model->SetKnob("sdp", "no");
  ns3::StringValue sdp;
  model->Find("rewriter")->GetAttribute("rewrite_sdp", sdp);
  BOOST_TEST(sdp.Get() == "");
  BOOST_TEST(model->GetKnob("sdp") == "no");
  BOOST_CHECK_THROW(model->SetKnob("rewrite_sdp", "c"), alg::AlgConfigError);  // attribute names are not knobs
  try {
    model->SetKnob("sdp", "maybe");
    BOOST_ERROR("accepted");
  } catch (const alg::AlgConfigError& e) {
    BOOST_TEST(std::string(e.what()) == "knob sdp='maybe' is not a valid value (valid: no, yes)");
  }
  // A factory reset rebuilds from the file: the defaults again, new mechanisms.
  model->SetKnob("sip-timeout", "30");
  const ns3::Ptr<alg::AlgModel> fresh = alg::RecreateAlgModel(*model, {});
  BOOST_REQUIRE(fresh != nullptr);
  BOOST_TEST(fresh->GetKnob("sip-timeout") == "120");
  BOOST_TEST(fresh->GetKnob("sdp") == "yes");
}

BOOST_AUTO_TEST_CASE(the_fingerprint_tells_models_that_behave_alike) {
  const ns3::Ptr<ComposedAlgModel> a = Built();
  const ns3::Ptr<ComposedAlgModel> b = Built();
  BOOST_TEST(a->BehaviourFingerprint() == b->BehaviourFingerprint());
  // A knob's value, a mechanism's attribute, tcp_view: each makes another model.
  b->SetKnob("sip-timeout", "30");
  BOOST_TEST(a->BehaviourFingerprint() != b->BehaviourFingerprint());
  b->SetKnob("sip-timeout", "120");
  BOOST_TEST(a->BehaviourFingerprint() == b->BehaviourFingerprint());
  b->SetTcpView(alg::TcpView::Message);
  BOOST_TEST(a->BehaviourFingerprint() != b->BehaviourFingerprint());
  // A model whose wiring is code is never taken for a model file's.
  const ns3::Ptr<alg::AlgModel> kernel = alg::CreateAlgModel("linux-netfilter", {});
  BOOST_TEST(kernel->BehaviourFingerprint().rfind("code:", 0) == 0u);
}

BOOST_AUTO_TEST_CASE(every_mistake_is_one_line_naming_file_and_line) {
  const auto check = [](const std::string& text, const std::string& expected) {
    const std::string error = ErrorOf(text);
    BOOST_TEST(error.find(expected) != std::string::npos, error + " | wanted: " + expected);
    BOOST_TEST(error.find('\n') == std::string::npos, error);
  };
  check(kHead + "mechanisms: []\n", "m.yaml:5: mechanisms: expected a list");
  check("id: t\n" + kMechanisms, "m.yaml:1: missing 'summary'");
  check(kHead + "colour: blue\n" + kMechanisms, "m.yaml:5: model: unknown key 'colour'");
  check(kHead + "tcp_view: stream\n" + kMechanisms, "m.yaml:5: tcp_view: 'stream' (valid: segment, message)");
  check(kHead + "example: maybe\n" + kMechanisms, "m.yaml:5: example: 'maybe' (valid: true, false)");
  check(kHead + "mechanisms:\n  - name: a\n    type: SipDropPolicy\n    at: [post-routing]\n",
        "m.yaml:8: at: unknown hook point 'post-routing'");
  check(kHead + "mechanisms:\n  - name: a\n    type: Nothing\n", "m.yaml:6: mechanism 'a': 'Nothing' is not a mechanism type");
  check(kHead + "mechanisms:\n  - name: a\n    type: SipDropPolicy\n    set: {colour: red}\n",
        "m.yaml:6: mechanism 'a' (SipDropPolicy) has no attribute 'colour'");
  check(kHead + "mechanisms:\n  - name: a\n    type: SipDropPolicy\n    set: {sip_ports: \"0\"}\n",
        "m.yaml:6: mechanism 'a': ");
  check(kHead + "mechanisms:\n  - name: a\n    type: SipDropPolicy\n  - name: a\n    type: SipDropPolicy\n",
        "m.yaml:8: mechanism name 'a' used twice");
  check(kHead + "mechanisms:\n  - name: a\n    type: SipDropPolicy\n    connect: {classifier: b}\n",
        "no mechanism named 'b'");
  check(kHead + "mechanisms:\n  - name: a\n    type: SipAddressRewriter\n  - name: b\n    type: SipSignallingTimer\n"
                "    connect: {classifier: a}\n",
        "m.yaml:8: mechanism 'b' cannot take 'a' as its classifier");
  check(kHead + kMechanisms + "knobs:\n  - name: k\n    sets: [timer.nope]\n    confidence: unverified\n",
        "knob 'k': mechanism 'timer' has no attribute 'nope'");
  check(kHead + kMechanisms + "knobs:\n  - name: k\n    sets: [ghost.x]\n    confidence: unverified\n",
        "sets: no mechanism named 'ghost'");
  check(kHead + kMechanisms + "knobs:\n  - name: k\n    sets: [timer.sip_timeout]\n    confidence: guessed\n",
        "confidence: 'guessed' (valid: from-code, from-docs, unverified)");
  check(kHead + kMechanisms + "knobs:\n  - name: k\n    sets: [timer.sip_timeout]\n    default: soon\n"
                "    confidence: unverified\n",
        "default of knob 'k': knob k='soon' is not a valid value");
  check(kHead + kMechanisms + "knobs:\n  - name: tcp_view\n    sets: [timer.sip_timeout]\n    confidence: unverified\n",
        "knob name 'tcp_view' used twice");
  check("id: [\n", "m.yaml:");
}

BOOST_AUTO_TEST_CASE(compositions_are_shared_mechanisms_a_model_may_adjust) {
  const alg::CompositionLookup lookup = [](const std::string& name) -> std::optional<alg::CompositionText> {
    if (name == "kit") return alg::CompositionText{"kit.yaml", kMechanisms};
    if (name == "broken") return alg::CompositionText{"broken.yaml", "mechanisms:\n  - name: x\n    type: Nowhere\n"};
    return std::nullopt;
  };
  const std::string text = kHead + "compose: [kit]\nset: {rewriter.rewrite_sdp: \"c\"}\n" + kKnobs;
  const auto spec = std::make_shared<const alg::ModelSpec>(ParseModelFile(text, "m.yaml", lookup));
  BOOST_REQUIRE(spec->mechanisms.size() == 3u);
  BOOST_TEST(spec->mechanisms[0].file == "kit.yaml");
  BOOST_TEST(spec->mechanisms[2].set.at("rewrite_sdp") == "c");
  const ns3::Ptr<ComposedAlgModel> model = ComposedAlgModel::Build(spec);
  BOOST_TEST(model->Chain(alg::HookPoint::OutboundPostSnat).size() == 3u);
  BOOST_TEST(model->GetKnob("sdp") == "yes");  // the knob's default is applied after `set`
  const auto error = [&](const std::string& t) {
    try {
      ComposedAlgModel::Build(std::make_shared<const alg::ModelSpec>(ParseModelFile(t, "m.yaml", lookup)));
    } catch (const ModelFileError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  BOOST_TEST(error(kHead + "compose: [nothing]\n").find("m.yaml:5: compose: no composition named 'nothing'") == 0u);
  // A mistake inside a composition names the composition's file and line.
  BOOST_TEST(error(kHead + "compose: [broken]\n").find("broken.yaml:2: mechanism 'x': 'Nowhere'") == 0u);
  BOOST_TEST(error(kHead + "compose: [kit]\nset: {ghost.x: \"1\"}\n").find("m.yaml:6: set: 'ghost.x'") == 0u);
  BOOST_TEST(error(kHead + "compose: [kit, kit]\n").find("used twice") != std::string::npos);
  // The embedded composition the Linux-based vendors share is there.
  BOOST_TEST(alg::EmbeddedComposition("linux-kernel-helper").has_value());
}

BOOST_AUTO_TEST_CASE(selector_knobs_decide_which_mechanisms_run) {
  // An engine switch and an on/off status: "drop" runs only with engine a and status on, the
  // composed kit's mechanisms only with engine b.
  const alg::CompositionLookup lookup = [](const std::string& name) -> std::optional<alg::CompositionText> {
    if (name == "kit") {
      return alg::CompositionText{"kit.yaml", "mechanisms:\n  - name: timer\n    type: SipSignallingTimer\n"
                                              "    at: [outbound-post-snat]\n"};
    }
    return std::nullopt;
  };
  const std::string selectors =
      "knobs:\n"
      "  - name: engine\n"
      "    default: a\n"
      "    values: {a: a, b: b}\n"
      "    confidence: from-code\n"
      "  - name: status\n"
      "    default: enable\n"
      "    values: {enable: \"on\", disable: \"off\"}\n"
      "    confidence: from-docs\n"
      "    applies: after-reboot\n";
  const std::string text = kHead +
                           "compose: [{composition: kit, when: {engine: b}}]\n"
                           "mechanisms:\n"
                           "  - name: drop\n"
                           "    type: SipDropPolicy\n"
                           "    at: [outbound-post-snat]\n"
                           "    when: {engine: a, status: enable}\n"
                           "  - name: always\n"
                           "    type: SipAddressRewriter\n"
                           "    at: [outbound-post-snat]\n" +
                           selectors;
  const auto spec = std::make_shared<const alg::ModelSpec>(ParseModelFile(text, "m.yaml", lookup));
  BOOST_TEST(spec->mechanisms[0].when.at("engine") == std::vector<std::string>{"b"}, boost::test_tools::per_element());
  const ns3::Ptr<ComposedAlgModel> model = ComposedAlgModel::Build(spec);
  BOOST_TEST(model->GetKnob("engine") == "a");
  BOOST_TEST(model->GetKnob("status") == "enable");
  BOOST_CHECK(model->SemanticsOf("status") == alg::KnobSemantics::AfterReboot);
  BOOST_CHECK(model->SemanticsOf("engine") == alg::KnobSemantics::Immediate);
  BOOST_TEST(model->Find("drop")->Active());
  BOOST_TEST(!model->Find("timer")->Active());
  BOOST_TEST(model->Find("always")->Active());

  // The chain passes packets by an inactive mechanism: the drop policy drops unparsable SIP to
  // 5060 only while it runs.
  alg::TableRouter router{nat::NatConfig{}, mangle::FlowTopology(), model};
  const nat::Endpoint phone{ns3::Ipv4Address("10.0.0.2"), 5060};
  const nat::Endpoint peer{ns3::Ipv4Address("203.0.113.2"), 5060};
  BOOST_TEST(router.Outbound(phone, peer, "not sip at all", ns3::Seconds(1)).dropReason == "alg: unparsable SIP message");
  model->SetKnob("status", "disable");
  BOOST_TEST(!model->Find("drop")->Active());
  BOOST_TEST(router.Outbound(phone, peer, "not sip at all", ns3::Seconds(2)).delivered.has_value());
  model->SetKnob("status", "enable");
  model->SetKnob("engine", "b");
  BOOST_TEST(!model->Find("drop")->Active());
  BOOST_TEST(model->Find("timer")->Active());
  BOOST_TEST(model->KnobValues().at("engine") == "b");
  // A factory-fresh model is back at the defaults.
  BOOST_TEST(ns3::DynamicCast<ComposedAlgModel>(model->Fresh())->Find("drop")->Active());

  // Bad words and bad references are one line naming the file and line.
  try {
    model->SetKnob("engine", "c");
    BOOST_ERROR("accepted");
  } catch (const alg::AlgConfigError& e) {
    BOOST_TEST(std::string(e.what()) == "knob engine='c' is not a valid value (valid: a, b)");
  }
  const auto error = [&](const std::string& t) {
    try {
      ComposedAlgModel::Build(std::make_shared<const alg::ModelSpec>(ParseModelFile(t, "m.yaml", lookup)));
    } catch (const ModelFileError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  const std::string drop = "mechanisms:\n  - name: drop\n    type: SipDropPolicy\n    at: [outbound-post-snat]\n";
  BOOST_TEST(error(kHead + drop + "    when: {engine: c}\n" + selectors) ==
             "m.yaml:6: mechanism 'drop': when.engine: 'c' is not one of its values (valid: a, b)");
  BOOST_TEST(error(kHead + drop + "    when: {ghost: a}\n" + selectors) ==
             "m.yaml:6: mechanism 'drop': when.ghost: no selector knob (a knob with values and no sets) of that name");
  BOOST_TEST(error(kHead + drop + "    when: [a]\n" + selectors).find("m.yaml:9: when: expected a map") == 0u);
  BOOST_TEST(error(kHead + drop + "knobs:\n  - name: engine\n    values: {a: a}\n    confidence: from-code\n") ==
             "m.yaml:10: a selector knob (no sets) needs values and a default");
  BOOST_TEST(error(kHead + drop + "knobs:\n  - name: engine\n    default: a\n    confidence: from-code\n") ==
             "m.yaml:10: a knob needs name, sets (or values, for a selector) and confidence");
  BOOST_TEST(error(kHead + "compose: [{composition: kit, when: {engine: z}}]\n" + selectors) ==
             "m.yaml:5: compose: when.engine: 'z' is not one of its values (valid: a, b)");
  BOOST_TEST(error(kHead + "compose: [{name: kit}]\n" + selectors).find("m.yaml:5: compose: unknown key 'name'") == 0u);
}

BOOST_AUTO_TEST_CASE(a_knob_may_set_the_models_own_tcp_view) {
  const std::string text = kHead + kMechanisms +
                           "knobs:\n  - name: l4f\n    sets: [model.tcp_view]\n    default: \"off\"\n"
                           "    values: {\"on\": message, \"off\": segment}\n    confidence: from-docs\n";
  const ns3::Ptr<ComposedAlgModel> model =
      ComposedAlgModel::Build(std::make_shared<const alg::ModelSpec>(ParseModelFile(text, "m.yaml")));
  BOOST_TEST(model->GetKnob("l4f") == "off");
  model->SetKnob("l4f", "on");
  BOOST_CHECK(model->GetTcpView() == alg::TcpView::Message);
  BOOST_TEST(model->GetKnob("tcp_view") == "message");
}

/// A router vocabulary for the tests (the real one is the scenario schema's, which the
/// scenario layer installs): filtering is a choice, udp_timeout a number of seconds.
std::string TestRouterCheck(const std::string& name, const std::string* value) {
  if (name != "filtering" && name != "udp_timeout") return "unknown router knob '" + name + "' (valid: filtering, udp_timeout)";
  if (value == nullptr) return "";
  if (name == "filtering" && *value != "endpoint-independent" && *value != "address-dependent") {
    return "unknown value '" + *value + "' (valid: address-dependent, endpoint-independent)";
  }
  if (name == "udp_timeout" && (value->empty() || value->back() != 's')) return "'" + *value + "' is not a duration";
  return "";
}

/// Installs TestRouterCheck for one test.
struct RouterVocabulary {
  RouterVocabulary() { alg::SetRouterKnobCheck(&TestRouterCheck); }
  ~RouterVocabulary() { alg::SetRouterKnobCheck({}); }
};

BOOST_FIXTURE_TEST_CASE(a_model_file_states_the_vendors_nat_defaults_and_knobs_may_set_router_knobs, RouterVocabulary) {
  const std::string text = kHead + kMechanisms + "router: {udp_timeout: 300s}\n" +
                           "knobs:\n"
                           "  - name: NAT Filtering\n"
                           "    sets: [router.filtering]\n"
                           "    default: Open\n"
                           "    values: {Open: endpoint-independent, Restricted: address-dependent}\n"
                           "    confidence: from-docs\n"
                           "  - name: mode\n"
                           "    sets: [timer.sip_timeout, rewriter.rewrite_sdp]\n"
                           "    default: long\n"
                           "    values:\n"
                           "      long: {timer.sip_timeout: \"3600\", rewriter.rewrite_sdp: \"o,c,m\"}\n"
                           "      short: {timer.sip_timeout: \"300\", rewriter.rewrite_sdp: \"c\"}\n"
                           "    confidence: unverified\n";
  const auto spec = std::make_shared<const alg::ModelSpec>(ParseModelFile(text, "m.yaml"));
  BOOST_REQUIRE(spec->router.size() == 1u);
  BOOST_TEST(spec->router[0].name == "udp_timeout");
  BOOST_TEST(spec->router[0].line == 17u);
  const ns3::Ptr<ComposedAlgModel> model = ComposedAlgModel::Build(spec);
  auto settings = model->RouterSettings();
  BOOST_TEST(settings.size() == 2u);
  BOOST_TEST(settings.at("udp_timeout").value == "300s");
  BOOST_TEST(settings.at("udp_timeout").knob == "");
  BOOST_TEST(settings.at("filtering").value == "endpoint-independent");
  BOOST_TEST(settings.at("filtering").knob == "NAT Filtering");
  BOOST_TEST(model->GetKnob("NAT Filtering") == "Open");
  model->SetKnob("NAT Filtering", "Restricted");
  BOOST_TEST(model->RouterSettings().at("filtering").value == "address-dependent");
  BOOST_TEST(model->GetKnob("NAT Filtering") == "Restricted");
  BOOST_CHECK_THROW(model->SetKnob("NAT Filtering", "address-dependent"), alg::AlgConfigError);
  // A factory reset brings the vendor's default back.
  BOOST_TEST(alg::RecreateAlgModel(*model, {})->GetKnob("NAT Filtering") == "Open");
  // One vendor word, a value per attribute it sets.
  BOOST_TEST(model->GetKnob("mode") == "long");
  const auto timeout = [&] {
    ns3::UintegerValue v;
    model->Find("timer")->GetAttribute("sip_timeout", v);
    return v.Get();
  };
  BOOST_TEST(timeout() == 3600u);
  model->SetKnob("mode", "short");
  BOOST_TEST(timeout() == 300u);
  BOOST_TEST(model->GetKnob("mode") == "short");
  BOOST_CHECK_THROW(model->SetKnob("mode", "medium"), alg::AlgConfigError);
  // A model without router knobs states none.
  BOOST_TEST(Built()->RouterSettings().empty());
}

BOOST_FIXTURE_TEST_CASE(router_mistakes_are_one_line_naming_file_and_line, RouterVocabulary) {
  const auto check = [](const std::string& text, const std::string& expected) {
    const std::string error = ErrorOf(text);
    BOOST_TEST(error.find(expected) != std::string::npos, error + " | wanted: " + expected);
    BOOST_TEST(error.find('\n') == std::string::npos, error);
  };
  const std::string knob = "knobs:\n  - name: f\n    confidence: unverified\n";
  check(kHead + kMechanisms + "router: {colour: red}\n",
        "m.yaml:17: router.colour: unknown router knob 'colour' (valid: filtering, udp_timeout)");
  check(kHead + kMechanisms + "router:\n  udp_timeout: 300s\n  filtering: open\n",
        "m.yaml:19: router.filtering: unknown value 'open'");
  check(kHead + kMechanisms + "router: [udp_timeout]\n", "m.yaml:17: router: expected a map of router knobs");
  check(kHead + kMechanisms + "router:\n  udp_timeout: 300s\n  udp_timeout: 200s\n",
        "m.yaml:19: router.udp_timeout given twice");
  check(kHead + kMechanisms + knob + "    sets: [router.colour]\n",
        "m.yaml:20: knob 'f': router.colour: unknown router knob 'colour'");
  check(kHead + kMechanisms + knob + "    sets: [router.filtering]\n    default: open\n",
        "m.yaml:21: knob 'f': router.filtering: unknown value 'open'");
  check(kHead + kMechanisms + knob + "    sets: [router.filtering]\n    values: {Open: open}\n",
        "m.yaml:21: knob 'f': router.filtering: unknown value 'open'");
  check(kHead + kMechanisms + knob + "    sets: [router.filtering]\n    default: Closed\n"
                                     "    values: {Open: endpoint-independent}\n",
        "default of knob 'f': knob f='Closed' is not a valid value (valid: Open)");
  check(kHead + kMechanisms + "router: {filtering: address-dependent}\n" + knob + "    sets: [router.filtering]\n",
        "m.yaml:21: sets: router.filtering is already set by router: (line 17)");
  check(kHead + kMechanisms + knob + "    sets: [router.udp_timeout, timer.sip_timeout]\n"
                                     "    values: {a: {router.udp_timeout: 300s}}\n",
        "m.yaml:21: values.a: no value for timer.sip_timeout");
  check(kHead + kMechanisms + knob + "    sets: [router.udp_timeout]\n"
                                     "    values: {a: {router.udp_timeout: 300s, timer.x: \"1\"}}\n",
        "m.yaml:21: values.a: give one value for each entry of sets");
  check(kHead + "mechanisms:\n  - name: router\n    type: SipDropPolicy\n",
        "m.yaml:6: mechanism name 'router' is reserved");
}

BOOST_AUTO_TEST_CASE(a_broken_model_file_registers_a_model_that_fails_with_its_error) {
  alg::RegisterModelFile("alg-models/zz-broken-test-model/model.yaml", "id: zz-broken-test-model\n");
  alg::RegisterModelFile("alg-models/zz-misnamed-test-model/model.yaml",
                         (std::string("id: other\nsummary: s\nengine: e\nremediation: r\n") + kMechanisms).c_str());
  for (const char* vendor : {"zz-broken-test-model", "zz-misnamed-test-model"}) {
    try {
      alg::CreateAlgModel(vendor, {});
      BOOST_ERROR("created");
    } catch (const alg::AlgConfigError& e) {
      BOOST_TEST(std::string(e.what()).find(std::string("alg-models/") + vendor + "/model.yaml") == 0u, e.what());
    }
  }
}

BOOST_AUTO_TEST_CASE(every_shipped_model_file_builds) {
  std::size_t dataModels = 0;
  for (const alg::AlgModelInfo& info : alg::AlgModelRegistry::Instance().All()) {
    if (info.file.empty() || info.vendor.rfind("zz-", 0) == 0) continue;
    ++dataModels;
    BOOST_TEST_CONTEXT(info.vendor) {
      BOOST_TEST(info.summary.rfind("(model file error)", 0) != 0u, info.summary);
      const ns3::Ptr<alg::AlgModel> model = alg::CreateAlgModel(info.vendor, {});
      BOOST_REQUIRE(model != nullptr);
      BOOST_TEST(model->Name() == info.vendor);
      BOOST_TEST(!info.engine.empty());
    }
  }
  BOOST_TEST(dataModels >= 1u);
}

BOOST_AUTO_TEST_SUITE_END()
