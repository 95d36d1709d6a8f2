#define BOOST_TEST_MODULE scenario
#include "sim/scenario/scenario-error.h"
#include "sim/scenario/scenario-loader.h"
#include "sim/scenario/scenario-schema.h"
#include "sim/scenario/value-parsing.h"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

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
  BOOST_TEST(spec.router.udpTimeout == 30.0);
  BOOST_TEST(spec.timeline[0].at == 20.0);
  BOOST_TEST(spec.phones[0].settings.keepalive == "none");
  BOOST_TEST(spec.router.alg.at("sip_direct_media") == "0");

  std::string msg = ErrorOf([&] { LoadScenario(path, {ParseOverride("router.udp_timout=30s")}); });
  BOOST_TEST(Contains(msg, "--set router.udp_timout=30s"), msg);
  BOOST_TEST(Contains(msg, "udp_timeout"), msg);
  msg = ErrorOf([&] { LoadScenario(path, {ParseOverride("router.udp_timeout=soon")}); });
  BOOST_TEST(Contains(msg, "--set router.udp_timeout=soon"), msg);
  BOOST_TEST(Contains(msg, "not a duration"), msg);
  msg = ErrorOf([&] { LoadScenario(path, {ParseOverride("timeline.7.at=1s")}); });
  BOOST_TEST(Contains(msg, "has no item 7"), msg);
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
