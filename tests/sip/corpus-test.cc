// Data-driven: every tests/data/sip/valid/*.sip parses and survives Serialize() -> ParseMessage;
#include "tests/sip/test-util.h"
// every tests/data/sip/invalid/<name>__<Kind>.sip fails with that ParseErrorKind.

#include "sim/sip/sip-message.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using namespace alglab::sip;
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> SipFiles(const std::string& subdir) {
  const fs::path dir = fs::path(ALGLAB_SOURCE_DIR) / "tests" / "data" / "sip" / subdir;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".sip") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());  // directory order is not deterministic
  return files;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(corpus)

BOOST_AUTO_TEST_CASE(valid_messages_parse_and_round_trip) {
  const auto files = SipFiles("valid");
  BOOST_TEST(files.size() >= 12u);
  for (const auto& path : files) {
    BOOST_TEST_CONTEXT(path.filename().string()) {
      const std::string bytes = ReadFile(path);
      auto r = ParseMessage(bytes);
      BOOST_REQUIRE_MESSAGE(r.Ok(), alglab::sip::test::Describe(r));
      const SipMessage& m = r.Value();
      BOOST_TEST(m.CallId().has_value());
      BOOST_TEST(m.GetCSeq().has_value());
      BOOST_TEST(!m.Vias().empty());
      BOOST_TEST(m.From().has_value());
      BOOST_TEST(m.To().has_value());

      const std::string wire = m.Serialize();
      auto again = ParseMessage(wire);
      BOOST_REQUIRE_MESSAGE(again.Ok(), alglab::sip::test::Describe(again));
      BOOST_TEST(*again.Value().CallId() == *m.CallId());
      BOOST_TEST(again.Value().GetCSeq()->sequence == m.GetCSeq()->sequence);
      BOOST_TEST(again.Value().GetCSeq()->method == m.GetCSeq()->method);
      BOOST_TEST(again.Value().Body() == m.Body());
      BOOST_TEST(again.Value().Headers().size() <= m.Headers().size() + 1);
      BOOST_TEST(again.Value().Serialize() == wire);  // serializing is a fixed point
    }
  }
}

BOOST_AUTO_TEST_CASE(invalid_messages_fail_with_the_named_kind) {
  const auto files = SipFiles("invalid");
  BOOST_TEST(files.size() >= 10u);
  for (const auto& path : files) {
    const std::string stem = path.stem().string();
    const auto sep = stem.rfind("__");
    BOOST_TEST_CONTEXT(path.filename().string()) {
      BOOST_REQUIRE_MESSAGE(sep != std::string::npos, "file name lacks __<Kind>");
      const std::string expected = stem.substr(sep + 2);
      auto r = ParseMessage(ReadFile(path));
      BOOST_REQUIRE(!r.Ok());
      BOOST_TEST(std::string(ToString(r.Error().kind)) == expected);
      BOOST_TEST(r.Error().line >= 1u);
      BOOST_TEST(r.Error().column >= 1u);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
