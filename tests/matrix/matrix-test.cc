// The matrix's plan (shared ALG-off runs), its cause verdicts from ALG-on vs ALG-off results,
// and its golden comparison and JUnit output.
#define BOOST_TEST_MODULE matrix
#include "sim/matrix/matrix-plan.h"
#include "sim/matrix/matrix-report.h"
#include "sim/matrix/matrix-verdict.h"

#include <boost/test/unit_test.hpp>

using namespace alglab::matrix;
using json = nlohmann::ordered_json;

namespace {

/// A run result with `symptom` present or not, and the mechanisms its evidence names.
json Result(bool present, json mechanisms = json::array()) {
  json r;
  r["symptoms"]["one_way_audio"]["present"] = present;
  if (present) r["symptoms"]["one_way_audio"]["mechanisms"] = mechanisms;
  return r;
}

json Entry(const std::string& mechanism, const std::string& action) {
  return {{"mechanism", mechanism}, {"action", action}, {"message", "outbound 200 INVITE"}, {"field", "c="}, {"count", 3}};
}

}  // namespace

BOOST_AUTO_TEST_CASE(runs_that_are_the_same_simulation_run_once) {
  // a and b: same NAT, different ALGs; c: another NAT; d: a's twin; none: no ALG.
  const std::map<std::string, VendorKeys> keys{
      {"a", {"", "alg-a"}}, {"b", {"", "alg-b"}}, {"c", {"eif 300s", "alg-a"}}, {"d", {"", "alg-a"}}, {"none", {"", ""}}};
  const Plan plan = MakePlan({"a", "b", "c", "d", "none"}, {{"s", "/s.yaml"}}, keys, 7);
  // ALG-on: a (=d), b, c, two variants each; ALG-off: one NAT shared by a, b, d, none; c's own.
  BOOST_TEST(plan.runs.size() == 3u * 2u + 2u * 2u);
  const Variant on{true, true}, off{false, true}, onNoT{true, false}, offNoT{false, false};
  BOOST_TEST(plan.RunOf("a", "s", off) == plan.RunOf("b", "s", off));
  BOOST_TEST(plan.RunOf("a", "s", off) != plan.RunOf("c", "s", off));
  BOOST_TEST(plan.RunOf("a", "s", on) != plan.RunOf("b", "s", on));
  BOOST_TEST(plan.RunOf("a", "s", on) == plan.RunOf("d", "s", on));
  BOOST_TEST(plan.RunOf("a", "s", on) != plan.RunOf("c", "s", on));
  BOOST_TEST(plan.RunOf("none", "s", on) == plan.RunOf("a", "s", off));
  BOOST_TEST(plan.RunOf("none", "s", onNoT) == plan.RunOf("b", "s", offNoT));
  const Run& offRun = plan.runs[plan.RunOf("b", "s", offNoT)];
  BOOST_TEST(offRun.sets.front() == "router.alg_enabled=false");
  BOOST_TEST(offRun.sets.size() == 1u + TraversalOffSettings().size());
  BOOST_TEST(plan.runs[plan.RunOf("c", "s", on)].sets.empty());
  BOOST_CHECK_THROW(plan.RunOf("e", "s", on), std::logic_error);
  // Without keys nothing is shared.
  BOOST_TEST(MakePlan({"a", "b"}, {{"s", "/s.yaml"}}, {}, 7).runs.size() == 8u);
}

BOOST_AUTO_TEST_CASE(the_cause_comes_from_the_alg_off_run_and_the_alg_drops) {
  const json helperDrop = json::array({Entry("helper", "dropped")});
  const json rewrite = json::array({Entry("helper", "rewrote")});
  const json natDrop = json::array({Entry("nat:filtered", "dropped")});
  // Only with the ALG: the ALG's.
  SymptomVerdict v = Judge("one_way_audio", Result(true, rewrite), Result(false));
  BOOST_TEST(v.present);
  BOOST_TEST(v.cause == "alg");
  BOOST_TEST(v.mechanism == "helper rewrote outbound 200 INVITE c=");
  // Both ways, the ALG only rewriting: plain NAT's, named by the ALG-off run's evidence.
  v = Judge("one_way_audio", Result(true, rewrite), Result(true, natDrop));
  BOOST_TEST(v.cause == "plain-nat");
  BOOST_TEST(v.mechanism.rfind("nat:filtered dropped", 0) == 0u);
  // Both ways and the ALG dropped messages it is about: both.
  v = Judge("one_way_audio", Result(true, helperDrop), Result(true, natDrop));
  BOOST_TEST(v.cause == "both");
  // Only without the ALG: it masks a plain-NAT problem.
  v = Judge("one_way_audio", Result(false), Result(true, natDrop));
  BOOST_TEST(!v.present);
  BOOST_TEST(v.masked);
  v = Judge("one_way_audio", Result(false), Result(false));
  BOOST_TEST(!v.present);
  BOOST_TEST(!v.masked);
}

BOOST_AUTO_TEST_CASE(golden_comparison_names_each_changed_cell_and_junit_fails_it) {
  json matrix;
  matrix["symptoms"] = json::array({"one_way_audio"});
  matrix["vendors"]["v"]["symptoms"]["one_way_audio"] = {{"present", true}, {"cause", "alg"}};
  matrix["vendors"]["v"]["scenarios"]["s1"]["one_way_audio"] = {{"cause", "alg"}, {"mechanism", "helper"}};
  matrix["vendors"]["v"]["scenarios"]["s2"] = json::object();
  nlohmann::json golden = nlohmann::json::parse(matrix.dump());
  BOOST_TEST(CompareWithGolden(matrix, golden).empty());

  golden["vendors"]["v"]["scenarios"]["s2"]["one_way_audio"] = {{"cause", "plain-nat"}, {"mechanism", ""}};
  golden["vendors"]["v"]["scenarios"]["s9"] = nlohmann::json::object();  // not run now: not judged
  auto diff = CompareWithGolden(matrix, golden);
  BOOST_REQUIRE(diff.size() == 1u);
  BOOST_TEST(diff.begin()->first.second == "s2");
  BOOST_TEST(diff.begin()->second.front() == "one_way_audio: golden plain-nat, now absent");

  golden["vendors"]["v"]["scenarios"].erase("s1");
  diff = CompareWithGolden(matrix, golden);
  BOOST_TEST(diff.size() == 2u);
  BOOST_TEST(diff.at({"v", "s1"}).front() == "not in the golden file");

  const std::string xml = FormatJunit(matrix, diff, true);
  BOOST_TEST(xml.find("tests=\"2\" failures=\"2\"") != std::string::npos);
  BOOST_TEST(xml.find("<testcase classname=\"matrix.v\" name=\"s1\">") != std::string::npos);
  BOOST_TEST(FormatJunit(matrix, {}, true).find("<failure") == std::string::npos);
  // The table: A for the ALG's.
  BOOST_TEST(FormatTable(matrix).find("v                  A") != std::string::npos);
}
