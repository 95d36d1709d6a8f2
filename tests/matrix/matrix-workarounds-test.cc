// The workaround catalog (every setting is a valid --set of the shipped scenarios) and the
// matrix's workaround table: which cells get runs, which runs are shared, what "helps" means.
#include "sim/matrix/matrix-workarounds.h"
#include "sim/remediation/workarounds.h"
#include "sim/scenario/scenario-error.h"
#include "sim/scenario/scenario-loader.h"

#include <boost/test/unit_test.hpp>

using namespace alglab::matrix;
using alglab::remediation::AllWorkarounds;
using alglab::remediation::FindWorkaround;
using alglab::remediation::ParseWorkaroundList;
using alglab::remediation::Workaround;
using alglab::scenario::ScenarioError;
using json = nlohmann::ordered_json;

namespace {

json Symptoms(std::initializer_list<std::string> present) {
  json r;
  for (const char* s : {"one_way_audio", "registration_failure"}) r["symptoms"][s]["present"] = false;
  for (const auto& s : present) r["symptoms"][s]["present"] = true;
  return r;
}

std::vector<RunOutcome> Outcomes(std::size_t n, const json& result) {
  std::vector<RunOutcome> out(n);
  for (auto& o : out) {
    o.ok = true;
    o.result = result;
  }
  return out;
}

std::vector<const Workaround*> Pick(std::initializer_list<const char*> names) {
  std::vector<const Workaround*> out;
  for (const char* n : names) out.push_back(FindWorkaround(n));
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(workarounds)

BOOST_AUTO_TEST_CASE(every_setting_loads_against_the_shipped_scenarios) {
  const std::string dir = std::string(ALGLAB_SOURCE_DIR) + "/scenarios/";
  BOOST_TEST(AllWorkarounds().size() == 5u);
  for (const Workaround& w : AllWorkarounds()) {
    BOOST_TEST(!w.settings.empty(), w.name);
    BOOST_TEST(w.description.find('\n') == std::string::npos);
    std::vector<alglab::scenario::Override> overrides;
    for (const auto& s : w.settings) overrides.push_back(alglab::scenario::ParseOverride(s));
    for (const char* sc : {"office.yaml", "hosted.yaml"})
      BOOST_CHECK_NO_THROW(alglab::scenario::LoadScenario(dir + sc, overrides));
  }
  BOOST_TEST(FindWorkaround("tls")->settings.front() == "phones.defaults.transport=tls");
  BOOST_TEST(FindWorkaround("server-nat-traversal")->judgedWithoutServerTraversal);
  BOOST_TEST(FindWorkaround("nope") == nullptr);
}

BOOST_AUTO_TEST_CASE(a_list_of_names_is_checked_and_kept_in_order) {
  const auto two = ParseWorkaroundList("tls,sip-port-5080");
  BOOST_REQUIRE(two.size() == 2u);
  BOOST_TEST(two[0]->name == "tls");
  BOOST_TEST(alglab::remediation::SettingsOf(two).back() == "provider.sip_port=5080");
  for (const char* bad : {"tls,tls", "tls,", ",tls", "", "vpn"}) BOOST_CHECK_THROW(ParseWorkaroundList(bad), ScenarioError);
  try {
    ParseWorkaroundList("tls,vpn");
    BOOST_FAIL("no error");
  } catch (const ScenarioError& e) {
    const std::string what = e.what();
    BOOST_TEST(what.find("unknown workaround 'vpn'") != std::string::npos, what);
    BOOST_TEST(what.find("valid: sip-port-5080, tcp, tls, short-keepalives, server-nat-traversal") != std::string::npos, what);
  }
}

BOOST_AUTO_TEST_CASE(only_cells_with_a_symptom_get_runs_and_alike_vendors_share_them) {
  // a and d behave alike; b has another ALG; none has none.
  const std::map<std::string, VendorKeys> keys{{"a", {"", "alg-a"}}, {"b", {"", "alg-b"}}, {"d", {"", "alg-a"}},
                                               {"none", {"", ""}}};
  const Plan base = MakePlan({"a", "b", "d", "none"}, {{"s", "/s.yaml"}, {"t", "/t.yaml"}}, keys, 7);
  std::vector<RunOutcome> outcomes = Outcomes(base.runs.size(), Symptoms({}));
  const Variant on{true, true}, onNoT{true, false};
  // a (and so d) shows a symptom in s; b in t; none only without the servers' traversal.
  outcomes[base.RunOf("a", "s", on)].result = Symptoms({"one_way_audio"});
  outcomes[base.RunOf("b", "t", on)].result = Symptoms({"registration_failure"});
  outcomes[base.RunOf("none", "s", onNoT)].result = Symptoms({"registration_failure"});
  const auto wp = MakeWorkaroundPlan(base, outcomes, keys, Pick({"tls", "server-nat-traversal"}));
  // tls: a x s (shared with d), b x t. Traversal: judged on existing runs only.
  BOOST_TEST(wp.plan.runs.size() == 2u);
  BOOST_TEST(wp.cells.at({"a", "s", "tls"}).second.index == wp.cells.at({"d", "s", "tls"}).second.index);
  BOOST_TEST(!wp.cells.at({"b", "t", "tls"}).second.inBase);
  BOOST_TEST(wp.cells.count({"a", "t", "tls"}) == 0u);
  BOOST_TEST(wp.cells.count({"none", "s", "tls"}) == 0u);
  const auto& traversal = wp.cells.at({"none", "s", "server-nat-traversal"});
  BOOST_TEST((traversal.first.inBase && traversal.first.index == base.RunOf("none", "s", onNoT)));
  BOOST_TEST((traversal.second.inBase && traversal.second.index == base.RunOf("none", "s", on)));
  const Run& tlsRun = wp.plan.runs[wp.cells.at({"b", "t", "tls"}).second.index];
  BOOST_TEST(tlsRun.vendor == "b");
  BOOST_TEST(tlsRun.sets == FindWorkaround("tls")->settings);
}

BOOST_AUTO_TEST_CASE(helps_is_true_false_or_not_applicable_per_symptom) {
  const std::map<std::string, VendorKeys> keys{{"a", {"", "alg-a"}}};
  const Plan base = MakePlan({"a"}, {{"s", "/s.yaml"}, {"t", "/t.yaml"}}, keys, 7);
  std::vector<RunOutcome> outcomes = Outcomes(base.runs.size(), Symptoms({}));
  const Variant on{true, true};
  outcomes[base.RunOf("a", "s", on)].result = Symptoms({"one_way_audio"});
  outcomes[base.RunOf("a", "t", on)].result = Symptoms({"one_way_audio", "registration_failure"});
  const auto wp = MakeWorkaroundPlan(base, outcomes, keys, Pick({"tcp"}));
  BOOST_REQUIRE(wp.plan.runs.size() == 2u);
  std::vector<RunOutcome> extra = Outcomes(2, Symptoms({}));
  // In t, TCP removes the registration failure but not the one-way audio; in s, it removes
  // the one-way audio and brings a registration failure.
  extra[wp.cells.at({"a", "t", "tcp"}).second.index].result = Symptoms({"one_way_audio"});
  extra[wp.cells.at({"a", "s", "tcp"}).second.index].result = Symptoms({"registration_failure"});
  const json table = BuildWorkaroundTable(base, outcomes, wp, extra,
                                          {"registration_failure", "one_way_audio", "blf_not_updating"});
  const json& tcp = table["a"]["tcp"];
  BOOST_TEST(tcp["symptoms"]["registration_failure"]["helps"] == true);
  BOOST_TEST(tcp["symptoms"]["registration_failure"]["removed_in"] == json::array({"t"}));
  BOOST_TEST(tcp["symptoms"]["one_way_audio"]["helps"] == false);
  BOOST_TEST(tcp["symptoms"]["one_way_audio"]["removed_in"] == json::array({"s"}));
  BOOST_TEST(tcp["symptoms"]["one_way_audio"]["remains_in"] == json::array({"t"}));
  BOOST_TEST(tcp["symptoms"]["blf_not_updating"]["helps"] == "n.a.");
  BOOST_TEST(tcp["new_symptoms"]["registration_failure"] == json::array({"s"}));
  const std::string text = FormatWorkaroundTable(table, {"registration_failure", "one_way_audio", "blf_not_updating"});
  BOOST_TEST(text.find("tcp                   Y     p     .     REG\n") != std::string::npos, text);
  // A failed run is named, not read as "no symptom".
  extra[0].ok = false;
  extra[0].error = "a x s (alg-on): boom";
  BOOST_CHECK_THROW(BuildWorkaroundTable(base, outcomes, wp, extra, {"one_way_audio"}), std::runtime_error);
}

BOOST_AUTO_TEST_SUITE_END()
