// The vendor-family ranking on hand-made verdicts: features, similarity, ranking.
#define BOOST_TEST_MODULE family_rank
#include <boost/test/unit_test.hpp>

#include "sim/detect/family-rank.h"

using alglab::detect::FamilyReference;
using alglab::detect::FeaturesOf;
using alglab::detect::RankFamilies;
using alglab::detect::Similarity;
using nlohmann::json;

namespace {

json Verdict(bool alg, double sipExpires, const std::vector<std::string>& fields, const std::string& transport) {
  json v = {{"alg_present", alg},
            {"rewritten_fields", fields},
            {"rewrites", json::array({{{"method", "INVITE"}, {"transport", transport}, {"port", 5060}, {"fields", fields}}})},
            {"nat", {{"timeouts", {{"sip", {{"first_expired", sipExpires}, {"longest_alive", sipExpires / 2}}}}}}},
            {"evidence", json::array({{{"conclusion", "rewrite"}, {"detail", "free text"}}})},
            {"vendor_family", json::array({"ignored"})}};
  return v;
}

}  // namespace

BOOST_AUTO_TEST_CASE(features_skip_free_text_and_key_records_by_identity) {
  const auto f = FeaturesOf(Verdict(true, 120, {"contact"}, "udp"));
  BOOST_TEST(f.count("alg_present") == 1u);
  BOOST_TEST(f.count("rewrites[INVITE].fields[]=\"contact\"") == 1u);
  BOOST_TEST(f.count("nat.timeouts.sip.first_expired") == 1u);
  for (const auto& [path, value] : f) {
    BOOST_TEST(path.find("evidence") == std::string::npos);
    BOOST_TEST(path.find("vendor_family") == std::string::npos);
    BOOST_TEST(path.find("transport") == std::string::npos);  // a record's identity, not an observation
  }
}

BOOST_AUTO_TEST_CASE(similarity_is_one_for_equal_and_tolerates_close_timers) {
  const auto a = FeaturesOf(Verdict(true, 120, {"contact"}, "udp"));
  BOOST_TEST(Similarity(a, a) == 1.0);
  // 115 s is within 10 % of 120 s: the same timer measured a little differently.
  BOOST_TEST(Similarity(a, FeaturesOf(Verdict(true, 115, {"contact"}, "udp"))) == 1.0);
  const double far = Similarity(a, FeaturesOf(Verdict(true, 600, {"contact"}, "udp")));
  BOOST_TEST(far < 1.0);
  BOOST_TEST(far > 0.0);
  // The transport an ALG watches is its scope: the same engine on TCP is nearly the same.
  BOOST_TEST(Similarity(a, FeaturesOf(Verdict(true, 120, {"contact"}, "tcp"))) == 1.0);
}

BOOST_AUTO_TEST_CASE(ranking_prefers_the_engine_over_the_scope) {
  // Family A: short SIP timer, rewrites Contact and SDP. Family B: long timer, Contact only.
  std::vector<FamilyReference> refs{
      {"a", "vendor-a", "defaults", FeaturesOf(Verdict(true, 120, {"contact", "sdp-connection"}, "udp"))},
      {"b", "vendor-b", "defaults", FeaturesOf(Verdict(true, 3600, {"contact"}, "udp"))},
  };
  // A's engine seen through a narrower scope (no SDP seen): its timer still names it.
  const auto ranking = RankFamilies(FeaturesOf(Verdict(true, 120, {"contact"}, "tcp")), refs);
  BOOST_TEST_REQUIRE(ranking.size() == 2u);
  BOOST_TEST(ranking[0].family == "a");
  BOOST_TEST(ranking[0].vendor == "vendor-a");
  BOOST_TEST(ranking[0].confidence > 0.9);
  BOOST_TEST(ranking[0].confidence + ranking[1].confidence == 1.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(RankFamilies(FeaturesOf(Verdict(true, 120, {}, "udp")), {}).empty());
}

BOOST_AUTO_TEST_CASE(ties_are_broken_by_name_every_time) {
  const auto f = FeaturesOf(Verdict(true, 120, {"contact"}, "udp"));
  std::vector<FamilyReference> refs{{"zeta", "z", "defaults", f}, {"alpha", "a", "defaults", f}};
  const auto ranking = RankFamilies(f, refs);
  BOOST_TEST(ranking[0].family == "alpha");
  BOOST_TEST(ranking[0].confidence == 0.5, boost::test_tools::tolerance(1e-9));
}
