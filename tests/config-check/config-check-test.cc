// Config maps against their models, the syntaxes' statements and errors, and the engine's
// reading of small configurations (tests/cli/test_check_config.py runs the fixtures end to end).
#define BOOST_TEST_MODULE config_check
#include <boost/test/unit_test.hpp>

#include "alg-models/contract/alg-config-error.h"
#include "alg-models/contract/alg-factory.h"
#include "alg-models/contract/alg-model.h"
#include "alg-models/contract/config-map.h"
#include "alg-models/contract/model-file.h"
#include "alg-models/contract/runbook.h"
#include "sim/config-check/config-evaluation.h"
#include "sim/config-check/config-fix.h"
#include "sim/config-check/config-statements.h"
#include "sim/scenario/scenario-error.h"

#include <regex>
#include <set>
#include <string>
#include <vector>

using namespace alglab;
using configcheck::Statement;

namespace {

/// True when `vendor`'s model takes `value` for `knob` (a fresh model each time).
bool Takes(const std::string& vendor, const std::string& knob, const std::string& value, std::string& error) {
  try {
    alg::CreateAlgModel(vendor, {{knob, value}});
    return true;
  } catch (const alg::AlgConfigError& e) {
    error = e.what();
    return false;
  }
}

std::vector<std::string> Texts(const std::vector<Statement>& statements) {
  std::vector<std::string> out;
  for (const Statement& s : statements) out.push_back(s.text);
  return out;
}

std::size_t ErrorLine(const std::string& syntax, const std::vector<std::string>& lines) {
  try {
    configcheck::ParseStatements(syntax, lines);
  } catch (const configcheck::SyntaxError& e) {
    return e.Line();
  }
  return 0;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_config_map_names_knobs_and_values_its_model_takes) {
  const std::vector<const alg::ConfigMap*> maps = alg::AllConfigMaps();
  std::set<std::string> vendors;
  for (const alg::ConfigMap* map : maps) vendors.insert(map->vendor);
  // The five formats of issue 12.
  BOOST_TEST((vendors == std::set<std::string>{"cisco-asa", "cisco-ios", "fortigate", "mikrotik", "unifi"}));
  for (const alg::ConfigMap* map : maps) {
    BOOST_TEST_CONTEXT(map->file) {
      ns3::Ptr<alg::AlgModel> model = alg::CreateAlgModel(map->vendor, {});
      BOOST_REQUIRE(model != nullptr);
      for (const alg::ConfigKnobMap& k : map->knobs) {
        BOOST_TEST_CONTEXT("knob " << k.knob << " (line " << k.line << ")") {
          BOOST_TEST(model->HasKnob(k.knob));
          std::string error;
          for (const alg::ConfigRule& rule : k.rules) {
            // A literal value, or each word a map turns vendor text into, must be one the
            // knob takes; $1 values are checked when a file gives them (engine test below).
            if (rule.value.find('$') == std::string::npos && rule.map.empty()) {
              BOOST_TEST(Takes(map->vendor, k.knob, rule.value, error), rule.value << ": " << error);
            }
            for (const auto& [text, word] : rule.map) BOOST_TEST(Takes(map->vendor, k.knob, word, error), word << ": " << error);
          }
          for (const auto& [value, lines] : k.lines) {
            BOOST_TEST(Takes(map->vendor, k.knob, value, error), value << ": " << error);
            BOOST_TEST(!lines.empty());
          }
        }
      }
      for (const alg::AlgOnCondition& c : map->algOnWhen)
        for (const auto& [knob, word] : c.knobs) {
          std::string error;
          BOOST_TEST(Takes(map->vendor, knob, word, error), knob << "=" << word << ": " << error);
        }
      // The runbook's knob changes can be written back in the file's syntax: every target
      // value of a knob the map reads has lines.
      const alg::Runbook* book = alg::FindRunbook(map->vendor);
      BOOST_REQUIRE(book != nullptr);
      for (const alg::RunbookStep& step : book->steps)
        for (const auto& [key, value] : step.set) {
          const std::string knob = key.substr(std::string("router.alg.").size());
          for (const alg::ConfigKnobMap& k : map->knobs)
            if (k.knob == knob) BOOST_TEST(k.lines.count(value) == 1u, map->vendor << ": no lines for " << knob << "=" << value);
        }
    }
  }
}

BOOST_AUTO_TEST_CASE(a_map_naming_a_missing_knob_in_alg_on_when_is_refused) {
  const std::string text =
      "vendor: x\nformat: f\ntitle: t\nsyntax: indented\nsignatures: ['^x']\n"
      "alg_on_when:\n  - {nothing: on}\nknobs:\n  - knob: a\n    rules:\n      - {match: '^a$', value: b}\n";
  BOOST_CHECK_EXCEPTION(alg::ParseConfigMap("m.yaml", text), alg::ModelFileError, [](const alg::ModelFileError& e) {
    return std::string(e.what()).find("alg_on_when: knob 'nothing' has no entry") != std::string::npos && std::string(e.what()).rfind("m.yaml:", 0) == 0;
  });
  const std::string badRegex =
      "vendor: x\nformat: f\ntitle: t\nsyntax: indented\nsignatures: ['^x(']\nalg_on_when: [{a: b}]\n"
      "knobs:\n  - knob: a\n    rules: [{match: '^a$', value: b}]\n";
  BOOST_CHECK_THROW(alg::ParseConfigMap("m.yaml", badRegex), alg::ModelFileError);
}

BOOST_AUTO_TEST_CASE(fortios_statements_name_their_blocks) {
  const std::vector<std::string> lines = {"#config-version=FGT", "config vdom", "    edit root",
                                          "        config system settings",
                                          "            set default-voip-alg-mode kernel-helper-based", "        end",
                                          "    next", "end"};
  const std::vector<std::string> texts = Texts(configcheck::ParseFortiOs(lines));
  BOOST_TEST(texts.back() == "config vdom > edit root > config system settings > set default-voip-alg-mode kernel-helper-based");
  BOOST_TEST(ErrorLine("fortios", {"config system settings", "    set x y"}) == 1u);  // never closed
  BOOST_TEST(ErrorLine("fortios", {"config a", "end", "end"}) == 3u);
  BOOST_TEST(ErrorLine("fortios", {"config a", "    set comment \"open", "end"}) == 2u);
  BOOST_TEST(ErrorLine("fortios", {"set x y"}) == 1u);
}

BOOST_AUTO_TEST_CASE(routeros_paths_commands_and_continuations) {
  const std::vector<std::string> texts = Texts(configcheck::ParseRouterOs(
      {"# by RouterOS 7", "/ip firewall service-port", "set sip ports=5060 \\", "    sip-direct-media=no",
       "/ip firewall service-port disable sip"}));
  BOOST_TEST(texts[1] == "/ip firewall service-port > set sip ports=5060 sip-direct-media=no");
  BOOST_TEST(texts.back() == "/ip firewall service-port > disable sip");
  BOOST_TEST(ErrorLine("routeros", {"/ip firewall nat", "add chain=srcnat \\"}) == 2u);
  BOOST_TEST(ErrorLine("routeros", {"set sip disabled=yes"}) == 1u);
}

BOOST_AUTO_TEST_CASE(set_commands_drop_quotes_and_refuse_other_lines) {
  const std::vector<std::string> texts = Texts(configcheck::ParseSetCommands({"set system host-name 'er'"}));
  BOOST_TEST(texts.front() == "set system host-name er");
  BOOST_TEST(ErrorLine("set-commands", {"set a b", "delete a"}) == 2u);
  BOOST_TEST(ErrorLine("set-commands", {"set a 'b"}) == 1u);
}

BOOST_AUTO_TEST_CASE(indented_sub_modes_banners_and_the_closing_end) {
  const std::vector<std::string> texts = Texts(configcheck::ParseIndented(
      {"ASA Version 9.8(4)", "policy-map global_policy", " class inspection_default", "  inspect sip",
       "banner motd ^C", " policy-map fake", "^C", "no ip nat service sip udp port 5060", ": end"}));
  BOOST_TEST(texts[3] == "policy-map global_policy > class inspection_default > inspect sip");
  BOOST_TEST(texts.back() == "no ip nat service sip udp port 5060");
  for (const std::string& t : texts) BOOST_TEST(t.find("fake") == std::string::npos);
  BOOST_TEST(ErrorLine("indented", {"hostname r", "interface Gi0/0"}) == 2u);
  BOOST_TEST(ErrorLine("indented", {"banner motd ^C", "text", "end"}) == 1u);
}

BOOST_AUTO_TEST_CASE(the_engine_maps_statements_defaults_and_refuses_values_the_model_does_not_take) {
  const configcheck::ConfigReading r = configcheck::ReadConfigurationText(
      "x.rsc", "# by RouterOS 7.12\n/ip firewall service-port\nset sip ports=5060 sip-timeout=1h30m\n");
  BOOST_TEST(r.map->vendor == "mikrotik");
  BOOST_TEST(r.algOn);
  BOOST_TEST(r.ValueOf("ports") == "5060");
  BOOST_TEST(r.ValueOf("sip-timeout") == "5400");
  BOOST_TEST(r.Knob("ports")->source->line == 3u);
  BOOST_TEST(!r.Knob("disabled")->source.has_value());  // the default: not in the export
  BOOST_TEST(r.ValueOf("disabled") == "no");
  // A captured value that is not a time, and one the model refuses, name the file's line.
  BOOST_CHECK_EXCEPTION(
      configcheck::ReadConfigurationText("y.rsc", "# by RouterOS 7\n/ip firewall service-port\nset sip sip-timeout=soon\n"),
      scenario::ScenarioError,
      [](const scenario::ScenarioError& e) { return std::string(e.what()).rfind("y.rsc:3: ", 0) == 0; });
  BOOST_CHECK_EXCEPTION(
      configcheck::ReadConfigurationText("z.txt", "set system conntrack modules sip port 99999\n"),
      scenario::ScenarioError,
      [](const scenario::ScenarioError& e) { return std::string(e.what()).rfind("z.txt:1: ", 0) == 0; });
}

BOOST_AUTO_TEST_CASE(the_fix_marks_done_steps_and_keeps_missing_lines) {
  // IOS with only the UDP service removed: the knob is in its target state, but the map's
  // TCP line is still missing, so the first step is still needed, with that line alone.
  const configcheck::ConfigReading r = configcheck::ReadConfigurationText(
      "r.txt", "!\nversion 15.4\nhostname r\n!\nno ip nat service sip udp port 5060\n!\nend\n");
  BOOST_TEST(r.map->vendor == "cisco-ios");
  BOOST_TEST(r.algOn);  // TCP's service is still on
  const configcheck::ConfigFix fix = configcheck::PlanFix(r);
  BOOST_REQUIRE(fix.steps.size() >= 1u);
  BOOST_TEST(fix.steps[0].needed);
  BOOST_TEST((fix.lines == std::vector<std::string>{"no ip nat service sip tcp port 5060"}));
}

BOOST_AUTO_TEST_CASE(a_byte_order_mark_and_copied_prompts_are_not_configuration) {
  const configcheck::ConfigReading r = configcheck::ReadConfigurationText(
      "fw.conf",
      "\xEF\xBB\xBF#config-version=FGT60F-7.2.5\r\nFGT60F (root) # show full-configuration\r\n"
      "config system settings\r\n    set default-voip-alg-mode kernel-helper-based\r\nend\r\nFGT60F (root) #\r\n");
  BOOST_TEST(r.map->vendor == "fortigate");
  BOOST_TEST(r.ValueOf("default-voip-alg-mode") == "kernel-helper-based");
  BOOST_TEST(r.Knob("default-voip-alg-mode")->source->line == 4u);
}

BOOST_AUTO_TEST_CASE(long_statements_and_multi_line_values_are_read_without_harm) {
  // A 200 kB RouterOS comment before the setting: rules see the statement's first 2048
  // characters (the regex engine recurses per character), so this one is not read, safely.
  const std::string comment(200000, 'x');
  const configcheck::ConfigReading r = configcheck::ReadConfigurationText(
      "long.rsc", "# by RouterOS 7\n/ip firewall service-port\nset sip comment=" + comment + " disabled=yes\n");
  BOOST_TEST(r.map->vendor == "mikrotik");
  BOOST_TEST(!r.Knob("disabled")->source.has_value());
  // A certificate over thousands of lines is one FortiOS statement; the file is still FortiOS.
  std::string cert = "-----BEGIN CERTIFICATE-----\n";
  for (int i = 0; i < 3000; ++i) cert += "MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n";
  cert += "-----END CERTIFICATE-----";
  const configcheck::ConfigReading f = configcheck::ReadConfigurationText(
      "cert.conf", "#config-version=FGT60F-7.2.5\nconfig vpn certificate local\n    edit \"Fortinet_Factory\"\n"
                   "        set certificate \"" + cert + "\"\n    next\nend\nconfig system settings\n"
                   "    set default-voip-alg-mode kernel-helper-based\nend\n");
  BOOST_TEST(f.ValueOf("default-voip-alg-mode") == "kernel-helper-based");
  BOOST_TEST(f.Knob("default-voip-alg-mode")->source->line == 3009u);
}
