// Bad input never crashes or hangs the model: corpus messages mutated with a fixed seed
// (truncated, bytes flipped, CR/LF/NUL/colon/digits injected) go through both directions.

#include "sim/flow/flow-file.h"
#include "tests/mangle/test-util.h"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <random>

using namespace alglab;
namespace fs = std::filesystem;

BOOST_AUTO_TEST_SUITE(robustness)

BOOST_AUTO_TEST_CASE(mutated_corpus_messages_are_handled) {
  std::vector<std::string> seeds;
  for (const auto& entry :
       fs::directory_iterator(fs::path(ALGLAB_SOURCE_DIR) / "tests" / "data" / "flows")) {
    if (entry.path().extension() != ".flow") continue;
    for (const flow::FlowBlock& b : flow::ParseFlowFile(entry.path().string()).blocks) {
      seeds.push_back(b.payload);
    }
  }
  std::sort(seeds.begin(), seeds.end());  // directory order is not deterministic
  BOOST_REQUIRE(!seeds.empty());
  std::minstd_rand rng(20260101);
  const char kInjected[] = {'\r', '\n', '\0', ':', '5', '@', ',', ';', ' ', '\t', '=', '\xff'};
  linuxnf::NetfilterSipEngine engine;
  std::size_t accepted = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string msg = seeds[rng() % seeds.size()];
    const int edits = 1 + static_cast<int>(rng() % 6);
    for (int e = 0; e < edits && !msg.empty(); ++e) {
      const std::size_t at = rng() % msg.size();
      switch (rng() % 4) {
        case 0:
          msg.resize(at);
          break;
        case 1:
          msg[at] = static_cast<char>(rng() % 256);
          break;
        case 2:
          msg.insert(at, 1, kInjected[rng() % sizeof kInjected]);
          break;
        default:
          msg.erase(at, 1 + rng() % 8);
          break;
      }
    }
    const linuxnf::CtDirection dir =
        round % 2 == 0 ? linuxnf::CtDirection::Original : linuxnf::CtDirection::Reply;
    const linuxnf::Verdict v = test::Run(engine, msg, dir, ns3::Seconds(round));
    if (v.accept) {
      ++accepted;
      BOOST_TEST(msg.size() <= 65507u);
    } else {
      BOOST_TEST(v.dropReason != nullptr);
    }
  }
  BOOST_TEST(accepted > 0u);
}

BOOST_AUTO_TEST_CASE(degenerate_payloads) {
  linuxnf::NetfilterSipEngine engine;
  for (std::string msg : {std::string(), std::string("SIP/2.0 200"), std::string(11, '\0'),
                          std::string("\r\n\r\n\r\n\r\n\r\n\r\n"), std::string("INVITE "),
                          std::string("SIP/2.0 2\r\nCSeq: 1 INVITE\r\n\r\nv=0\r\nm=audio 4000 x"),
                          std::string(2000, 'v'), std::string("REGISTER x\r\nm:"),
                          std::string("v=0\r\nv=0\r\nc=IN IP4 ") + std::string(70, '9')}) {
    std::string copy = msg;
    test::Run(engine, copy);
    copy = msg;
    test::Run(engine, copy, linuxnf::CtDirection::Reply);
  }
  BOOST_TEST(true);
}

BOOST_AUTO_TEST_SUITE_END()
