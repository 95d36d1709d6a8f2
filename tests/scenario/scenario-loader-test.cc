#define BOOST_TEST_MODULE scenario
#include "sim/scenario/cost-estimate.h"
#include "sim/scenario/knob-table.h"
#include "sim/scenario/scenario-error.h"
#include "sim/scenario/scenario-loader.h"
#include "sim/scenario/scenario-schema.h"
#include "sim/scenario/value-parsing.h"
#include "sim/scenario/vendor-router-settings.h"
#include "alg-models/contract/model-file.h"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

using namespace alglab::scenario;

namespace {

const std::string kScenarios = std::string(ALGLAB_SOURCE_DIR) + "/scenarios/";

/// Writes `text` to a temporary scenario file and returns its path.
std::string WriteTemp(const std::string& text) {
  static int counter = 0;
  auto path = std::filesystem::temp_directory_path() /
              ("alglab-scenario-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".yaml");
  std::ofstream(path) << text;
  return path.string();
}

/// Removes this process's temporary scenario files at the end.
struct RemoveTempFiles {
  ~RemoveTempFiles() {
    const std::string prefix = "alglab-scenario-test-" + std::to_string(::getpid()) + "-";
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::temp_directory_path(), ec))
      if (entry.path().filename().string().rfind(prefix, 0) == 0) std::filesystem::remove(entry.path(), ec);
  }
};

const char* kMinimal =
    "scenario: tiny\n"
    "duration: 100s\n"
    "phones:\n"
    "  extensions: [101, 102]\n"
    "pbx:\n"
    "  ring_groups:\n"
    "    \"+1555\": [101, 102]\n"
    "timeline:\n"
    "  - at: 10s\n"
    "    call: {from: 101, to: 102, duration: 5s}\n";

/// The message of the ScenarioError `f` throws (fails the test if it does not throw).
template <typename F>
std::string ErrorOf(F f) {
  try {
    f();
  } catch (const ScenarioError& e) {
    return e.what();
  }
  BOOST_FAIL("expected a ScenarioError");
  return {};
}

bool Contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

BOOST_TEST_GLOBAL_FIXTURE(RemoveTempFiles);

BOOST_AUTO_TEST_CASE(durations_need_units) {
  BOOST_TEST(*ParseDuration("30s") == 30.0);
  BOOST_TEST(*ParseDuration("500ms") == 0.5);
  BOOST_TEST(*ParseDuration("2min") == 120.0);
  BOOST_TEST(*ParseDuration("1h") == 3600.0);
  BOOST_TEST(!ParseDuration("30"));
  BOOST_TEST(!ParseDuration("-1s"));
  BOOST_TEST(!ParseDuration("nan s"));
  BOOST_TEST(!ParseDuration(""));
  BOOST_TEST(*ParseRatio("1%") == 0.01);
  BOOST_TEST(!ParseRatio("1.5"));
  BOOST_TEST(!ParseBool("maybe"));
}

BOOST_AUTO_TEST_CASE(shipped_scenarios_load) {
  for (const char* name : {"office", "hosted"}) {
    ScenarioSpec spec = LoadScenario(kScenarios + name + ".yaml");
    BOOST_TEST(spec.name == name);
    BOOST_TEST(spec.phones.size() >= 4u);
    BOOST_TEST(spec.duration >= 1800.0);
    BOOST_TEST(!spec.pbx.ringGroups.empty());
    bool reboot = false;
    for (const auto& ev : spec.timeline) reboot |= std::holds_alternative<RebootAction>(ev.action);
    BOOST_TEST(reboot);
  }
  BOOST_TEST(LoadScenario(kScenarios + "office.yaml").pbx.placement == "on-prem");
  BOOST_TEST(LoadScenario(kScenarios + "hosted.yaml").pbx.placement == "hosted");
}

BOOST_AUTO_TEST_CASE(timeline_is_sorted_and_typed) {
  ScenarioSpec spec = LoadScenario(WriteTemp(std::string(kMinimal) +
                                             "  - at: 5s\n    watch: {watcher: 101, target: 102}\n"));
  BOOST_REQUIRE_EQUAL(spec.timeline.size(), 2u);
  BOOST_TEST(spec.timeline[0].at == 5.0);
  BOOST_TEST(std::holds_alternative<WatchAction>(spec.timeline[0].action));
  BOOST_TEST(spec.timeline[1].line == 9u);
  BOOST_TEST(std::get<CallAction>(spec.timeline[1].action).duration == 5.0);
}

BOOST_AUTO_TEST_CASE(unknown_key_names_file_line_and_valid_keys) {
  std::string path = WriteTemp("scenario: x\nrouter:\n  udp_timout: 30s\nphones:\n  extensions: [1]\n");
  std::string msg = ErrorOf([&] { LoadScenario(path); });
  BOOST_TEST(Contains(msg, path + ":3:"), msg);
  BOOST_TEST(Contains(msg, "udp_timout"), msg);
  BOOST_TEST(Contains(msg, "udp_timeout"), msg);  // the valid key is listed
  BOOST_TEST(msg.find('\n') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_values_name_line_and_choices) {
  std::string msg = ErrorOf([] {
    LoadScenario(WriteTemp("scenario: x\nrouter:\n  filtering: strict\nphones:\n  extensions: [1]\n"));
  });
  BOOST_TEST(Contains(msg, ":3:"), msg);
  BOOST_TEST(Contains(msg, "endpoint-independent"), msg);

  msg = ErrorOf([] { LoadScenario(WriteTemp("scenario: x\nduration: 10\nphones:\n  extensions: [1]\n")); });
  BOOST_TEST(Contains(msg, ":2:"), msg);
  BOOST_TEST(Contains(msg, "not a duration"), msg);

  msg = ErrorOf([] { LoadScenario(WriteTemp(std::string(kMinimal) + "  - at: 200s\n    reboot: router\n")); });
  BOOST_TEST(Contains(msg, ":11:"), msg);
  BOOST_TEST(Contains(msg, "after the end"), msg);

  msg = ErrorOf([] { LoadScenario(WriteTemp(std::string(kMinimal) + "  - at: 20s\n    call: {from: 109, to: 102}\n")); });
  BOOST_TEST(Contains(msg, "unknown extension '109'"), msg);
  BOOST_TEST(Contains(msg, "101, 102"), msg);
}

BOOST_AUTO_TEST_CASE(yaml_syntax_errors_name_the_line) {
  std::string msg = ErrorOf([] { LoadScenario(WriteTemp("scenario: x\nphones: [1, 2\n")); });
  BOOST_TEST(Contains(msg, "YAML syntax error"), msg);
  msg = ErrorOf([] { LoadScenario("/nonexistent/alglab.yaml"); });
  BOOST_TEST(Contains(msg, "cannot read"), msg);
  msg = ErrorOf([] { LoadScenario(WriteTemp("- just\n- a list\n")); });
  BOOST_TEST(Contains(msg, ":1:"), msg);
}

BOOST_AUTO_TEST_CASE(overrides_change_values_and_are_validated) {
  std::string path = WriteTemp(kMinimal);
  ScenarioSpec spec = LoadScenario(path, {ParseOverride("router.udp_timeout=30s"), ParseOverride("timeline.0.at=20s"),
                                          ParseOverride("phones.defaults.keepalive=none"),
                                          ParseOverride("router.alg.sip_direct_media=0")});
  BOOST_TEST(*FindKnobValue(spec.router.knobs, "UdpTimeout") == "30000000000ns");
  BOOST_TEST(spec.timeline[0].at == 20.0);
  BOOST_TEST(*FindKnobValue(spec.phones[0].knobs, "KeepaliveKind") == "none");
  BOOST_TEST(spec.router.alg.at("sip_direct_media") == "0");

  std::string msg = ErrorOf([&] { LoadScenario(path, {ParseOverride("router.udp_timout=30s")}); });
  BOOST_TEST(Contains(msg, "--set router.udp_timout=30s"), msg);
  BOOST_TEST(Contains(msg, "udp_timeout"), msg);
  msg = ErrorOf([&] { LoadScenario(path, {ParseOverride("router.udp_timeout=soon")}); });
  BOOST_TEST(Contains(msg, "--set router.udp_timeout=soon"), msg);
  BOOST_TEST(Contains(msg, "not a duration"), msg);
  msg = ErrorOf([&] { LoadScenario(path, {ParseOverride("timeline.7.at=1s")}); });
  BOOST_TEST(Contains(msg, "has no item '7' (it has 1 items"), msg);
  msg = ErrorOf([] { ParseOverride("novalue"); });
  BOOST_TEST(Contains(msg, "key=value"), msg);
}

BOOST_AUTO_TEST_CASE(schema_knows_every_level) {
  BOOST_TEST(SchemaAt({"router", "udp_timeout"}).has_value());
  BOOST_TEST(SchemaAt({"phones", "overrides", "101", "rport"}).has_value());
  BOOST_TEST(!SchemaAt({"phones", "overrides", "101", "bogus"}).has_value());
  BOOST_TEST(SchemaAt({"timeline", "3", "call", "to"}).has_value());
  BOOST_TEST(!SchemaAt({"timeline", "x"}).has_value());
  BOOST_TEST(!SchemaAt({"router", "udp_timeout", "deeper"}).has_value());
}

// ---- The knob table ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(every_knob_reaches_a_real_attribute_and_its_default_is_valid) {
  std::set<std::string> names;
  for (const auto& k : Knobs()) {
    BOOST_TEST_CONTEXT(k.Name()) {
      BOOST_TEST(names.insert(k.Name()).second);  // one definition per name
      ns3::TypeId::AttributeInformation info;
      BOOST_TEST(k.typeId().LookupAttributeByName(k.attribute, &info));
      KnobCheck c = CheckKnobValue(k, k.defaultText);
      BOOST_TEST(c.error == "");
      BOOST_TEST(c.value.has_value());
      // The schema allows exactly the table's keys where the knob lives.
      BOOST_TEST(SchemaAt(SplitPath(k.Name())).has_value());
      BOOST_TEST(FindKnob(k.Name()) == &k);
      if (k.type == KnobType::Choice) BOOST_TEST(!k.choices.empty());
    }
  }
  BOOST_TEST(names.count("router.udp_timeout"));
  BOOST_TEST(names.count("phones.defaults.keepalive_interval"));
  BOOST_TEST(names.count("pbx.fix_contact"));
  BOOST_TEST(names.count("network.wan_rate"));
  BOOST_TEST(FindKnob("phones.overrides.101.rport") == FindKnob("phones.defaults.rport"));
  BOOST_TEST(!FindKnob("router.vendor"));
  BOOST_TEST(!FindKnob("phones.rport"));
}

BOOST_AUTO_TEST_CASE(knob_values_are_checked_by_type_range_and_attribute) {
  const KnobDef& udp = *FindKnob("router.udp_timeout");
  BOOST_TEST(udp.unit == std::string("s"));
  BOOST_TEST(CheckKnobValue(udp, "30s").value->attributeText == "30000000000ns");
  BOOST_TEST(CheckKnobValue(udp, "500ms").error == "'500ms' is out of range (allowed: 1s to 604800s)");
  BOOST_TEST(Contains(CheckKnobValue(udp, "30").error, "not a duration"));
  // A duration counted in whole seconds by its attribute (SIP Expires).
  const KnobDef& expiry = *FindKnob("phones.defaults.register_expiry");
  BOOST_TEST(CheckKnobValue(expiry, "10min").value->attributeText == "600");
  BOOST_TEST(Contains(CheckKnobValue(expiry, "100.5s").error, "whole number of seconds"));
  BOOST_TEST(CheckKnobValue(expiry, "5s").error == "'5s' is out of range (allowed: 10s to 604800s)");
  const KnobDef& port = *FindKnob("phones.defaults.sip_port");
  BOOST_TEST(Contains(CheckKnobValue(port, "0").error, "from 1 to 65535"));
  BOOST_TEST(Contains(CheckKnobValue(port, "70000").error, "from 1 to 65535"));
  const KnobDef& mapping = *FindKnob("router.mapping");
  BOOST_TEST(Contains(CheckKnobValue(mapping, "full-cone").error, "endpoint-independent"));
  BOOST_TEST(CheckKnobValue(*FindKnob("network.wan_loss"), "2%").value->number == 0.02);
  BOOST_TEST(CheckKnobValue(*FindKnob("network.wan_rate"), "10mbps").value->text == "10Mbps");
}

BOOST_AUTO_TEST_CASE(every_object_gets_every_knob_with_defaults) {
  ScenarioSpec spec = LoadScenario(WriteTemp(kMinimal));
  BOOST_TEST(spec.router.knobs.size() == KnobsIn("router").size());
  BOOST_TEST(spec.pbx.knobs.size() == KnobsIn("pbx").size() + KnobsIn("pbx.trunk").size());
  BOOST_TEST(*FindKnobValue(spec.pbx.knobs, "TrunkUser") == "office");
  BOOST_TEST(*FindKnobValue(spec.pbx.knobs, "Domain") == "pbx.office.example");
  BOOST_TEST(*FindKnobValue(spec.provider.knobs, "AnswerAfter") == "1000000000ns");
  BOOST_TEST(*FindKnobValue(spec.phones[1].knobs, "RegisterExpiry") == "300");
  BOOST_TEST(spec.network.wanRate == "100Mbps");
}

BOOST_AUTO_TEST_CASE(network_knobs_reach_the_link_fields) {
  ScenarioSpec spec = LoadScenario(WriteTemp(kMinimal), {ParseOverride("network.wan_delay=25ms"),
                                                         ParseOverride("network.wan_loss=1%"),
                                                         ParseOverride("network.lan_rate=100mbps")});
  BOOST_TEST(spec.network.wanDelay == 0.025);
  BOOST_TEST(spec.network.wanLoss == 0.01);
  BOOST_TEST(spec.network.lanRate == "100Mbps");
}

// ---- Extensions: single ones and ranges ---------------------------------------------------------

std::vector<std::string> ExtensionsOf(const ScenarioSpec& spec) {
  std::vector<std::string> out;
  for (const auto& p : spec.phones) out.push_back(p.extension);
  return out;
}

BOOST_AUTO_TEST_CASE(extension_ranges_expand_in_order_and_mix_with_singles) {
  ScenarioSpec spec = LoadScenario(WriteTemp(
      "scenario: big\nphones:\n  extensions: [101-103, 200, \"0098-0100\", 7]\n"
      "  overrides:\n    \"102\": {keepalive: none}\n    \"0099\": {sip_port: 5070}\n"));
  const std::vector<std::string> expected{"101", "102", "103", "200", "0098", "0099", "0100", "7"};
  BOOST_TEST(ExtensionsOf(spec) == expected, boost::test_tools::per_element());
  // Overrides reach the phone they name, and only that one.
  BOOST_TEST(*FindKnobValue(spec.phones[1].knobs, "KeepaliveKind") == "none");
  BOOST_TEST(*FindKnobValue(spec.phones[0].knobs, "KeepaliveKind") == "options");
  BOOST_TEST(*FindKnobValue(spec.phones[5].knobs, "LocalSipPort") == "5070");
  BOOST_TEST(*FindKnobValue(spec.phones[4].knobs, "LocalSipPort") == "5060");

  ScenarioSpec wide = LoadScenario(WriteTemp("scenario: big\nphones:\n  extensions: [101-299]\n"));
  BOOST_TEST(wide.phones.size() == 199u);
  BOOST_TEST(wide.phones.front().extension == "101");
  BOOST_TEST(wide.phones.back().extension == "299");
}

BOOST_AUTO_TEST_CASE(extension_ranges_reject_duplicates_and_nonsense_naming_the_line) {
  std::string path = WriteTemp("scenario: x\nphones:\n  extensions:\n    - 101-120\n    - 130\n    - 115-125\n");
  std::string msg = ErrorOf([&] { LoadScenario(path); });
  BOOST_TEST(Contains(msg, path + ":6:"), msg);
  BOOST_TEST(Contains(msg, "extension 115 is listed twice (in 101-120 and in 115-125)"), msg);
  BOOST_TEST(msg.find('\n') == std::string::npos);

  msg = ErrorOf([] { LoadScenario(WriteTemp("scenario: x\nphones:\n  extensions: [101, 101]\n")); });
  BOOST_TEST(Contains(msg, ":3:"), msg);
  BOOST_TEST(Contains(msg, "extension 101 is listed twice"), msg);
  msg = ErrorOf([] { LoadScenario(WriteTemp("scenario: x\nphones:\n  extensions: [105, 100-110]\n")); });
  BOOST_TEST(Contains(msg, "in 105 and in 100-110"), msg);
  msg = ErrorOf([] { LoadScenario(WriteTemp("scenario: x\nphones:\n  extensions: [120-101]\n")); });
  BOOST_TEST(Contains(msg, "ends below its start"), msg);
  msg = ErrorOf([] { LoadScenario(WriteTemp("scenario: x\nphones:\n  extensions: [1-99999999]\n")); });
  BOOST_TEST(Contains(msg, "at most 5000 phones"), msg);
  msg = ErrorOf([] { LoadScenario(WriteTemp("scenario: x\nphones:\n  extensions: [101-1x]\n")); });
  BOOST_TEST(Contains(msg, "not an extension"), msg);
  msg = ErrorOf([] { LoadScenario(WriteTemp("scenario: x\nphones:\n  extensions: [101-]\n")); });
  BOOST_TEST(Contains(msg, "not an extension"), msg);
  msg = ErrorOf([] { LoadScenario(WriteTemp("scenario: x\nphones:\n  extensions: [\"099-1000\"]\n")); });
  BOOST_TEST(Contains(msg, "same number of digits"), msg);
  // An override for an extension no range produced.
  msg = ErrorOf([] {
    LoadScenario(WriteTemp("scenario: x\nphones:\n  extensions: [101-103]\n  overrides:\n    \"104\": {rport: false}\n"));
  });
  BOOST_TEST(Contains(msg, ":5:"), msg);
  BOOST_TEST(Contains(msg, "unknown extension '104' (valid: 101, 102, 103)"), msg);
}

// ---- Timeline: hold, resume, mute, reregister ------------------------------------------------

BOOST_AUTO_TEST_CASE(timeline_handset_actions_are_parsed) {
  ScenarioSpec spec = LoadScenario(WriteTemp(std::string(kMinimal) +
                                             "  - at: 20s\n    hold: {phone: 101}\n"
                                             "  - at: 25s\n    hold: {phone: 102, style: zero-address}\n"
                                             "  - at: 30s\n    resume: {phone: 101}\n"
                                             "  - at: 40s\n    mute: {phone: 102, duration: 1min}\n"
                                             "  - at: 50s\n    reregister: {phone: 101}\n"
                                             "  - at: 60s\n    reregister: {phone: 102, downtime: 5s}\n"));
  BOOST_REQUIRE_EQUAL(spec.timeline.size(), 7u);
  BOOST_TEST(std::get<HoldAction>(spec.timeline[1].action).phone == "101");
  BOOST_TEST(std::get<HoldAction>(spec.timeline[1].action).style == "sendonly");
  BOOST_TEST(std::get<HoldAction>(spec.timeline[2].action).style == "zero-address");
  BOOST_TEST(std::get<ResumeAction>(spec.timeline[3].action).phone == "101");
  BOOST_TEST(std::get<MuteAction>(spec.timeline[4].action).duration == 60.0);
  BOOST_TEST(std::get<ReregisterAction>(spec.timeline[5].action).downtime == 30.0);
  BOOST_TEST(std::get<ReregisterAction>(spec.timeline[6].action).downtime == 5.0);

  auto load = [](const std::string& events) { return LoadScenario(WriteTemp(std::string(kMinimal) + events)); };
  std::string msg = ErrorOf([&] { load("  - at: 30s\n    hold: {phone: 109}\n"); });
  BOOST_TEST(Contains(msg, ":12:"), msg);
  BOOST_TEST(Contains(msg, "unknown extension '109'"), msg);
  msg = ErrorOf([&] { load("  - at: 30s\n    hold: {phone: 101, style: music}\n"); });
  BOOST_TEST(Contains(msg, "unknown value 'music' (valid: sendonly, zero-address)"), msg);
  msg = ErrorOf([&] { load("  - at: 30s\n    mute: {phone: 101}\n"); });
  BOOST_TEST(Contains(msg, "needs duration"), msg);
  msg = ErrorOf([&] { load("  - at: 30s\n    resume: {}\n"); });
  BOOST_TEST(Contains(msg, "needs phone"), msg);
  msg = ErrorOf([&] { load("  - at: 30s\n    reregister: {phone: 101, downtime: 1e300s}\n"); });
  BOOST_TEST(Contains(msg, "out of range"), msg);
  msg = ErrorOf([&] { load("  - at: 30s\n    mute: {phone: 101, duration: 5s, volume: 0}\n"); });
  BOOST_TEST(Contains(msg, "unknown key 'volume' (valid: duration, phone)"), msg);
}

BOOST_AUTO_TEST_CASE(timeline_link_is_parsed) {
  ScenarioSpec spec = LoadScenario(WriteTemp(std::string(kMinimal) + "  - at: 20s\n    link: {link: wan, state: down}\n" +
                                             "  - at: 30s\n    link: {link: wan, state: up}\n"));
  BOOST_REQUIRE_EQUAL(spec.timeline.size(), 3u);
  BOOST_TEST(!std::get<LinkAction>(spec.timeline[1].action).up);
  BOOST_TEST(std::get<LinkAction>(spec.timeline[2].action).up);
  auto load = [](const std::string& events) { return LoadScenario(WriteTemp(std::string(kMinimal) + events)); };
  std::string msg = ErrorOf([&] { load("  - at: 30s\n    link: {link: lan, state: down}\n"); });
  BOOST_TEST(Contains(msg, "unknown link 'lan' (valid: wan; phone-EXT"), msg);
  msg = ErrorOf([&] { load("  - at: 30s\n    link: {link: phone-999, state: down}\n"); });
  BOOST_TEST(Contains(msg, "unknown link 'phone-999'"), msg);
  msg = ErrorOf([&] { load("  - at: 30s\n    link: {link: wan}\n"); });
  BOOST_TEST(Contains(msg, "needs link (wan, pbx or phone-EXT) and state (down or up)"), msg);
  const std::string ext = spec.phones.front().extension;
  const ScenarioSpec cable = load("  - at: 30s\n    link: {link: phone-" + ext + ", state: down}\n");
  BOOST_TEST(std::get<LinkAction>(cable.timeline.back().action).link == "phone-" + ext);
  msg = ErrorOf([&] { load("  - at: 30s\n    link: {link: wan, state: flapping}\n"); });
  BOOST_TEST(Contains(msg, "unknown value 'flapping' (valid: down, up)"), msg);
}

// ---- Timeline: set and flush --------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(timeline_set_and_flush_are_parsed) {
  ScenarioSpec spec = LoadScenario(WriteTemp(std::string(kMinimal) +
                                             "  - at: 30s\n    set: {knob: router.udp_timeout, value: 30s}\n"
                                             "  - at: 40s\n    flush: router\n"
                                             "  - at: 50s\n    set: {knob: phones.overrides.102.answer_after, value: 5s}\n"
                                             "  - at: 60s\n    set: {knob: router.alg.sip_direct_media, value: 0}\n"
                                             "  - at: 70s\n    set: {knob: provider.latch_media, value: false}\n"));
  BOOST_REQUIRE_EQUAL(spec.timeline.size(), 6u);
  const auto& udp = std::get<SetAction>(spec.timeline[1].action);
  BOOST_TEST(udp.object == "router");
  BOOST_TEST(udp.attribute == "UdpTimeout");
  BOOST_TEST(udp.value == "30000000000ns");
  BOOST_TEST(spec.timeline[1].line == 11u);
  BOOST_TEST(std::get<FlushAction>(spec.timeline[2].action).device == "router");
  const auto& phone = std::get<SetAction>(spec.timeline[3].action);
  BOOST_TEST(phone.object == "phones");
  BOOST_TEST(phone.extension == "102");
  BOOST_TEST(phone.attribute == "AnswerAfter");
  BOOST_TEST(phone.value == "5000000000ns");
  const auto& alg = std::get<SetAction>(spec.timeline[4].action);
  BOOST_TEST(alg.object == "router.alg");
  BOOST_TEST(alg.attribute == "sip_direct_media");
  BOOST_TEST(alg.value == "0");
  const auto& trunk = std::get<SetAction>(spec.timeline[5].action);
  BOOST_TEST(trunk.object == "provider");
  BOOST_TEST(trunk.attribute == "LatchMedia");
  BOOST_TEST(trunk.value == "false");
}

BOOST_AUTO_TEST_CASE(timeline_save_config_and_factory_reset_are_parsed) {
  ScenarioSpec spec = LoadScenario(WriteTemp(std::string(kMinimal) +
                                             "  - at: 30s\n    save_config: router\n"
                                             "  - at: 40s\n    factory_reset: router\n"));
  BOOST_REQUIRE_EQUAL(spec.timeline.size(), 3u);
  BOOST_TEST((std::get<ConfigAction>(spec.timeline[1].action).kind == ConfigAction::Kind::Save));
  BOOST_TEST((std::get<ConfigAction>(spec.timeline[2].action).kind == ConfigAction::Kind::FactoryReset));
  std::string msg = ErrorOf([&] { LoadScenario(WriteTemp(std::string(kMinimal) + "  - at: 30s\n    save_config: phone\n")); });
  BOOST_TEST(Contains(msg, ":12:"), msg);
  BOOST_TEST(Contains(msg, "unknown value 'phone' (valid: router)"), msg);
}

BOOST_AUTO_TEST_CASE(timeline_set_errors_name_the_line) {
  auto load = [](const std::string& event) { return LoadScenario(WriteTemp(std::string(kMinimal) + event)); };
  std::string msg = ErrorOf([&] { load("  - at: 30s\n    set: {knob: router.udp_timout, value: 30s}\n"); });
  BOOST_TEST(Contains(msg, ":12:"), msg);
  BOOST_TEST(Contains(msg, "unknown knob 'router.udp_timout'"), msg);
  BOOST_TEST(Contains(msg, "router.udp_timeout"), msg);
  BOOST_TEST(msg.find('\n') == std::string::npos);
  msg = ErrorOf([&] { load("  - at: 30s\n    set: {knob: router.udp_timeout, value: soon}\n"); });
  BOOST_TEST(Contains(msg, ":12:"), msg);
  BOOST_TEST(Contains(msg, "timeline.1.set.value"), msg);
  BOOST_TEST(Contains(msg, "not a duration"), msg);
  msg = ErrorOf([&] { load("  - at: 30s\n    set: {knob: router.udp_timeout, value: 0s}\n"); });
  BOOST_TEST(Contains(msg, "'0s' is out of range (allowed: 1s to 604800s)"), msg);
  msg = ErrorOf([&] { load("  - at: 30s\n    set: {knob: router.udp_timeout}\n"); });
  BOOST_TEST(Contains(msg, "needs knob and value"), msg);
  msg = ErrorOf([&] { load("  - at: 30s\n    set: {knob: network.wan_delay, value: 5ms}\n"); });
  BOOST_TEST(Contains(msg, "cannot change during a run"), msg);
  // Knobs an endpoint reads only when it starts cannot change later.
  msg = ErrorOf([&] { load("  - at: 30s\n    set: {knob: phones.defaults.keepalive, value: none}\n"); });
  BOOST_TEST(Contains(msg, "cannot change during a run"), msg);
  msg = ErrorOf([&] { load("  - at: 30s\n    set: {knob: pbx.trunk.expiry, value: 60s}\n"); });
  BOOST_TEST(Contains(msg, "cannot change during a run"), msg);
  msg = ErrorOf([&] { load("  - at: 30s\n    set: {knob: phones.overrides.109.answer_after, value: 1s}\n"); });
  BOOST_TEST(Contains(msg, "unknown extension '109'"), msg);
  msg = ErrorOf([&] { load("  - at: 30s\n    set: {knob: router.mapping, value: full-cone}\n"); });
  BOOST_TEST(Contains(msg, "endpoint-independent"), msg);
  msg = ErrorOf([&] { load("  - at: 30s\n    flush: pbx\n"); });
  BOOST_TEST(Contains(msg, ":12:"), msg);
  BOOST_TEST(Contains(msg, "unknown value 'pbx' (valid: router)"), msg);
  msg = ErrorOf([&] { load("  - at: 30s\n    flush: router\n    reboot: router\n"); });
  BOOST_TEST(Contains(msg, "exactly one of"), msg);
  // The same checks through --set on the timeline.
  msg = ErrorOf([&] {
    LoadScenario(WriteTemp(std::string(kMinimal) + "  - at: 30s\n    set: {knob: router.udp_timeout, value: 30s}\n"),
                 {ParseOverride("timeline.1.set.value=later")});
  });
  BOOST_TEST(Contains(msg, "--set timeline.1.set.value=later"), msg);
}

BOOST_AUTO_TEST_CASE(numbers_are_plain_decimals) {
  BOOST_TEST(*ParseDuration("1e3ms") == 1.0);
  BOOST_TEST(*ParseDuration(".5s") == 0.5);
  for (const char* bad : {"0x10s", "0x1p4s", "infs", "nans", "1e999s", "-1s", "+1s", "e3s", ".s"})
    BOOST_TEST(!ParseDuration(bad).has_value(), bad);
  BOOST_TEST(!ParseRatio("0x0.1").has_value());
}

BOOST_AUTO_TEST_CASE(data_rates_round_trip_through_ns3) {
  const KnobDef& wan = *FindKnob("network.wan_rate");
  BOOST_TEST(CheckKnobValue(wan, "1234567kbps").value->attributeText == "1234567kbps");
  BOOST_TEST(CheckKnobValue(wan, "2.5Gbps").value->number == 2.5e9);
  BOOST_TEST(CheckKnobValue(wan, "1kbps").value.has_value());
  BOOST_TEST(CheckKnobValue(wan, "100Gbps").value.has_value());
  for (const char* bad : {"0.5bps", "999bps", "1234567Mbps", "101Gbps", "1.0000005kbps"}) {
    const std::string error = CheckKnobValue(wan, bad).error;
    BOOST_TEST(Contains(error, "out of range (allowed: whole bit/s from 1kbps to 100Gbps)"), bad << ": " << error);
  }
}

BOOST_AUTO_TEST_CASE(keepalive_intervals_are_off_or_at_least_a_second) {
  for (const char* name : {"phones.defaults.keepalive_interval", "pbx.trunk.keepalive_interval", "pbx.nat_keepalive",
                           "provider.nat_keepalive"}) {
    const KnobDef& k = *FindKnob(name);
    BOOST_TEST(CheckKnobValue(k, "0s").value.has_value(), name);
    BOOST_TEST(CheckKnobValue(k, "1s").value.has_value(), name);
    BOOST_TEST(CheckKnobValue(k, "0.5ms").error == "'0.5ms' is out of range (allowed: 0s (off) or 1s to 604800s)", name);
  }
}

BOOST_AUTO_TEST_CASE(seeds_are_what_the_ns3_generator_takes) {
  BOOST_TEST(*CheckSeed("1").seed == 1u);
  BOOST_TEST(*CheckSeed("4294944442").seed == 4294944442u);
  for (const char* bad : {"0", "4294944443", "4294967295", "-1", "0x10", "1e3", "", "99999999999999999999999"})
    BOOST_TEST(Contains(CheckSeed(bad).error, "allowed: whole numbers from 1 to 4294944442"), bad);
}

BOOST_AUTO_TEST_CASE(sip_text_knobs_follow_rfc3261) {
  for (const char* good : {"pbx.office.example", "a", "sip-1.example.com.", "192.0.2.1", "x1.y-z.example"})
    BOOST_TEST(IsSipHost(good), good);
  for (const char* bad : {"a b", "-a.example", "a-.example", "a..b", "pbx.123", "256.1.1.1", "a_b.example", "", "[::1]"})
    BOOST_TEST(!IsSipHost(bad), bad);
  for (const char* good : {"office", "alice.smith", "a%20b", "+15550100", "x!~*'()&=+$,;?/_-"})
    BOOST_TEST(IsSipUser(good), good);
  for (const char* bad : {"", "a b", "a@b", "a%2", "a%zz", "a:b", "a\"b"})
    BOOST_TEST(!IsSipUser(bad), bad);
  BOOST_TEST(IsPassword("trunk-secret with space"));
  for (const char* bad : {"", "a\"b", "a\\b", "a\nb", "a\rb", "\x7f"})
    BOOST_TEST(!IsPassword(bad), bad);
  BOOST_TEST(IsDid("+15550100"));
  BOOST_TEST(IsDid("100"));
  for (const char* bad : {"", "+", "12ab", "1+2", "1234567890123456"}) BOOST_TEST(!IsDid(bad), bad);
  const std::string error = CheckKnobValue(*FindKnob("pbx.domain"), "a b").error;
  BOOST_TEST(Contains(error, "'a b' is not a SIP host"), error);
}

BOOST_AUTO_TEST_CASE(duplicate_keys_and_extra_documents_name_the_line) {
  std::string msg = ErrorOf([] { LoadScenario(WriteTemp(std::string(kMinimal) + "duration: 60s\n")); });
  BOOST_TEST(Contains(msg, "duplicate key 'duration'"), msg);
  BOOST_TEST(Contains(msg, ".yaml:"), msg);
  msg = ErrorOf([] { LoadScenario(WriteTemp(std::string(kMinimal) + "---\nscenario: two\n")); });
  BOOST_TEST(Contains(msg, "second YAML document"), msg);
}

BOOST_AUTO_TEST_CASE(set_overrides_with_bad_paths_are_input_errors) {
  const std::string file = WriteTemp(kMinimal);
  std::string msg = ErrorOf([&] { LoadScenario(file, {ParseOverride("phones.extensions.99999999999999999999=1")}); });
  BOOST_TEST(Contains(msg, "--set phones.extensions.99999999999999999999=1: phones.extensions has no item"), msg);
  msg = ErrorOf([&] { LoadScenario(file, {ParseOverride("router=5"), ParseOverride("router.udp_timeout=30s")}); });
  BOOST_TEST(Contains(msg, "router is a single value"), msg);
}

BOOST_AUTO_TEST_CASE(ring_group_members_are_listed_once) {
  const std::string file = WriteTemp(kMinimal);
  const std::string msg = ErrorOf([&] { LoadScenario(file, {ParseOverride("pbx.ring_groups.+15550100=[101, 101]")}); });
  BOOST_TEST(Contains(msg, "extension 101 is listed twice in ring group +15550100"), msg);
}

BOOST_AUTO_TEST_CASE(cost_estimate_counts_keepalives_registrations_and_peak_rtp) {
  // The shipped office: 4 phones and a trunk (keepalives every 25 s, refreshes every 150 s,
  // server OPTIONS every 30 s) and at most one call at a time: about 200.9 packets/s, 7 events each.
  const ScenarioSpec office = LoadScenario(kScenarios + "office.yaml");
  BOOST_TEST(EstimateEventsPerSecond(office) == 1406.07, boost::test_tools::tolerance(0.001));
  // Overlapping calls add 200 RTP packets/s each; calls back to back do not.
  const std::string file = WriteTemp(kMinimal);
  const double one = EstimateEventsPerSecond(LoadScenario(file));
  const double two = EstimateEventsPerSecond(
      LoadScenario(file, {ParseOverride("timeline=[{at: 10s, call: {from: 101, to: 102, duration: 5s}},"
                                        " {at: 12s, call: {from: 102, to: 101, duration: 5s}}]")}));
  const double chained = EstimateEventsPerSecond(
      LoadScenario(file, {ParseOverride("timeline=[{at: 10s, call: {from: 101, to: 102, duration: 5s}},"
                                        " {at: 15s, call: {from: 102, to: 101, duration: 5s}}]")}));
  BOOST_TEST(two - one == 1400.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(chained == one, boost::test_tools::tolerance(1e-9));
  // Keepalives off: only registrations, server pings and RTP remain.
  const double quiet = EstimateEventsPerSecond(LoadScenario(file, {ParseOverride("phones.defaults.keepalive=none")}));
  BOOST_TEST(one - quiet == 2 * 7 * 2.0 / 25, boost::test_tools::tolerance(1e-9));
  // The guard: at the limit passes, below it is a one-line ScenarioError naming the flag.
  const ScenarioSpec spec = LoadScenario(file);
  CheckEventRate(spec, static_cast<std::uint64_t>(std::ceil(one)));
  const std::string msg = ErrorOf([&] { CheckEventRate(spec, 100); });
  BOOST_TEST(Contains(msg, "above the limit of 100"), msg);
  BOOST_TEST(Contains(msg, "--max-events-per-second"), msg);
}

BOOST_AUTO_TEST_CASE(a_document_that_cannot_be_a_mapping_is_refused_before_parsing) {
  // A scalar document is where yaml-cpp 0.7 loops (fuzz/regressions/scenario_loader/
  // timeout-scalar-document-*, with a comma line that is refused first): such files stop at
  // the first token, with the line, and without reaching the parser.
  for (const char* text : {"s\n#\n", "office\n# c\n  x\n", "\"s\"\n#\n", "- a\n", "scenario:office\n",
                           "# c\n%YAML 1.2\n---\n'q'\n", "?s\n", "{scenario: x}\n"}) {
    BOOST_TEST_CONTEXT(text) {
      const std::string msg = ErrorOf([&] { LoadScenario(WriteTemp(text)); });
      BOOST_TEST(Contains(msg, "a scenario file is a mapping"), msg);
    }
  }
  // Whatever can begin a mapping still reaches the parser (and the loader's own checks).
  for (const char* text : {"\"scenario\": x\n", "scenario:\n  x\n", "--- # c\nscenario: x\n",
                           "? scenario\n: x\n", "scenario: x # c\n"}) {
    BOOST_TEST_CONTEXT(text) {
      const std::string msg = ErrorOf([&] { LoadScenario(WriteTemp(text)); });
      BOOST_TEST(!Contains(msg, "a scenario file is a mapping"), msg);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_looping_set_value_is_named_in_the_error) {
  // The file is fine; the second --set value is a text yaml-cpp 0.7 never returns from.
  const std::string msg = ErrorOf([] {
    LoadScenario(WriteTemp(std::string(kMinimal)),
                 {ParseOverride("router.udp_timeout=30s"), ParseOverride("router.mapping= :\n[],")});
  });
  BOOST_TEST(Contains(msg, "--set router.mapping= :"), msg);
  BOOST_TEST(Contains(msg, "did not finish within"), msg);
  BOOST_TEST(msg.find('\n') == std::string::npos, msg);
}

BOOST_AUTO_TEST_CASE(a_line_starting_with_a_comma_is_refused_in_files_and_set_values) {
  // yaml-cpp 0.7 loops forever on several texts with a comma-led line (a node, a comment, ',';
  // a ',' line in a block sequence; a second document): refused with the line, before parsing.
  for (const char* text : {",q\n", "s\n#\n,", "?s\n#\n#\n,", "{a: b}\n#\n,", "a: b\n---\ns\n#\n,",
                           "scenario: x\ntimeline:\n  - at: 1s\n    ,reboot: router\n"}) {
    BOOST_TEST_CONTEXT(text) {
      const std::string msg = ErrorOf([&] { LoadScenario(WriteTemp(text)); });
      BOOST_TEST(Contains(msg, "a line cannot start with ','"), msg);
    }
  }
  const std::string msg = ErrorOf([] {
    LoadScenario(WriteTemp(std::string(kMinimal)), {ParseOverride("scenario=s\n#\n,")});
  });
  BOOST_TEST(Contains(msg, "--set"), msg);
  BOOST_TEST(Contains(msg, "a line cannot start with ','"), msg);
}

// A model file's router knobs are this schema's: the scenario layer checks them
// (vendor-router-settings.h), and the loader records which router knobs the scenario states.
BOOST_AUTO_TEST_CASE(model_files_name_router_knobs_by_the_schema_and_the_loader_records_stated_ones) {
  const auto parseError = [](const std::string& router) {
    try {
      // Mechanism types are checked when a model is built, not here.
      alglab::alg::ParseModelFile("id: t\nsummary: s\nengine: e\nremediation: r\n"
                                  "mechanisms:\n  - name: x\n    type: Anything\nrouter: {" + router + "}\n",
                                  "m.yaml");
    } catch (const alglab::alg::ModelFileError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  // The router's vocabulary is the knob table's.
  std::string msg = parseError("colour: red");
  BOOST_TEST(Contains(msg, "m.yaml:8: router.colour: unknown router knob 'colour' (valid: mapping, filtering, "
                           "udp_timeout"), msg);
  msg = parseError("udp_timeout: 5 minutes");
  BOOST_TEST(Contains(msg, "m.yaml:8: router.udp_timeout: '5 minutes' is not a duration"), msg);
  msg = parseError("filtering: open");
  BOOST_TEST(Contains(msg, "router.filtering: unknown value 'open' (valid: address-dependent"), msg);
  BOOST_TEST(parseError("udp_timeout: 300s, filtering: endpoint-independent") == "");

  const std::string path = WriteTemp(std::string(kMinimal) + "router:\n  udp_timeout: 60s\n");
  const ScenarioSpec spec = LoadScenario(path, {ParseOverride("router.filtering=endpoint-independent")});
  BOOST_TEST(spec.router.stated.size() == 2u);
  BOOST_TEST(spec.router.stated.at("udp_timeout").text == "60s");
  BOOST_TEST(spec.router.stated.at("udp_timeout").origin == path + ":12");
  BOOST_TEST(spec.router.stated.at("filtering").origin == "--set router.filtering=endpoint-independent");
  // Without a vendor model: the stated values and the knob table's defaults.
  std::vector<EffectiveRouterKnob> effective;
  const KnobSettings knobs = ResolveRouterKnobs(spec.router, nullptr, effective);
  BOOST_TEST(*FindKnobValue(knobs, "UdpTimeout") == "60000000000ns");
  BOOST_REQUIRE(effective.size() == KnobsIn("router").size());
  for (const EffectiveRouterKnob& k : effective) {
    const std::string leaf = k.knob->leaf;
    BOOST_TEST(k.from == (leaf == "udp_timeout" || leaf == "filtering" ? "scenario" : "default"), leaf);
  }
}
