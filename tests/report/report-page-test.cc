// The report page's data and HTML: what a browser gets, without a browser.
#include "sim/report/html-page.h"
#include "sim/report/report-data.h"

#include <boost/test/unit_test.hpp>

using alglab::report::MatrixPageData;
using alglab::report::RenderPage;
using alglab::report::ReportRun;
using alglab::report::RunPageData;
using Json = nlohmann::ordered_json;

namespace {

/// The JSON inside script#report-data.
Json Embedded(const std::string& page) {
  const std::string open = "<script type=\"application/json\" id=\"report-data\">";
  const auto start = page.find(open);
  BOOST_REQUIRE(start != std::string::npos);
  const auto end = page.find("</script>", start);
  return Json::parse(page.substr(start + open.size(), end - start - open.size()));
}

Json Result() {
  return Json::parse(R"({"scenario":"s","vendor":"v","symptoms":{"one_way_audio":{"present":true,
    "mechanisms":[{"mechanism":"helper","action":"dropped","message":"200 INVITE","count":1}],"gaps":[1]},
    "blf_not_updating":{"present":false}}})");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(report_page)

BOOST_AUTO_TEST_CASE(run_page_embeds_the_data_safely) {
  const Json evidence = {{"ladder", {{"messages", Json::array({{{"before", "</script><!-- x"}}})}}}};
  const std::string page = RenderPage(RunPageData(Result(), evidence));
  // The text of a message cannot end the data's script element early.
  BOOST_TEST(page.find("</script><!--") == std::string::npos);
  const Json data = Embedded(page);
  BOOST_TEST(data["kind"] == "run");
  BOOST_TEST(data["runs"]["v"]["s"]["run"] == "r0");
  BOOST_TEST(data["results"]["r0"]["symptoms"]["one_way_audio"]["present"] == true);
  BOOST_TEST(!data["results"]["r0"]["symptoms"]["one_way_audio"].contains("gaps"));
  BOOST_TEST(data["evidence"]["s0"] == evidence);
  BOOST_TEST(!data.contains("runbooks"));
  BOOST_TEST(RenderPage(RunPageData(Result(), evidence)) == page);  // same data, same bytes
}

BOOST_AUTO_TEST_CASE(matrix_page_shares_evidence_and_takes_optional_sections) {
  const Json result = Result(), evidence = {{"end", 1}};
  const Json matrix = {{"vendors", Json::object()}, {"symptoms", Json::array()}};
  std::vector<ReportRun> runs{{"a", "s", "alg-off", &result, &evidence, 3},
                              {"b", "s", "alg-off", &result, &evidence, 3},
                              {"b", "s", "alg-on", &result, nullptr, 4}};
  const Json extras = {{"runbooks", {{"a", {{"steps", Json::array()}}}}}, {"workarounds", Json::array()},
                       {"unknown", 1}};
  const Json data = Embedded(RenderPage(MatrixPageData(matrix, runs, extras)));
  BOOST_TEST(data["kind"] == "matrix");
  BOOST_TEST(data["matrix"] == matrix);
  BOOST_TEST(data["evidence"].size() == 1u);  // one simulation, embedded once
  BOOST_TEST(data["results"][data["runs"]["a"]["s"]["alg-off"].get<std::string>()]["evidence"] == "s3");
  BOOST_TEST(data["results"][data["runs"]["b"]["s"]["alg-off"].get<std::string>()]["evidence"] == "s3");
  BOOST_TEST(data["results"][data["runs"]["b"]["s"]["alg-on"].get<std::string>()]["evidence"] == "");
  BOOST_TEST(data.contains("runbooks"));
  BOOST_TEST(data.contains("workarounds"));
  BOOST_TEST(!data.contains("unknown"));
}

BOOST_AUTO_TEST_SUITE_END()
