// The mangle engine: replaying flows through "none" and linux-netfilter, knob handling, and
// the JSON and diff outputs.

#include "sim/flow/base64.h"
#include "sim/flow/flow-file.h"
#include "alg-models/contract/alg-factory.h"
#include "sim/mangle/flow-replay.h"
#include "sim/mangle/mangle-error.h"
#include "sim/mangle/mangle-report.h"

#include <boost/test/unit_test.hpp>

#include <filesystem>

using namespace alglab;
namespace fs = std::filesystem;

namespace {

const char* kRegisterFlow =
    "# test\n"
    ">>> out\n"
    "REGISTER sip:203.0.113.2 SIP/2.0\n"
    "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK1;rport\n"
    "CSeq: 1 REGISTER\n"
    "Contact: <sip:100@10.0.0.2:5060>\n"
    "Expires: 60\n"
    "Content-Length: 0\n"
    "<<< in\n"
    "SIP/2.0 200 OK\n"
    "Via: SIP/2.0/UDP 203.0.113.1:5060;branch=z9hG4bK1;received=203.0.113.1;rport=5060\n"
    "CSeq: 1 REGISTER\n"
    "Contact: <sip:100@203.0.113.1:5060>;expires=60\n"
    "Content-Length: 0\n";

std::string ErrorOf(const std::string& vendor, const std::map<std::string, std::string>& knobs) {
  try {
    alg::CreateAlgModel(vendor, knobs);
  } catch (const mangle::MangleError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(replay)

BOOST_AUTO_TEST_CASE(none_delivers_every_datagram_unchanged) {
  const flow::FlowFile flow = flow::ParseFlowText(kRegisterFlow, "t.flow");
  const std::vector<mangle::BlockOutcome> out = mangle::ReplayFlow(flow, "none");
  BOOST_REQUIRE_EQUAL(out.size(), 2u);
  for (const mangle::BlockOutcome& o : out) {
    BOOST_REQUIRE(o.delivered.has_value());
    BOOST_TEST(*o.delivered == o.sent);
  }
}

BOOST_AUTO_TEST_CASE(none_matches_the_sent_bytes_for_every_corpus_flow_that_starts_outbound) {
  const fs::path dir = fs::path(ALGLAB_SOURCE_DIR) / "tests" / "data" / "flows";
  int flows = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".flow") continue;
    const flow::FlowFile flow = flow::ParseFlowFile(entry.path().string());
    if (flow.blocks.front().dir != flow::FlowBlock::Out) continue;
    ++flows;
    for (const mangle::BlockOutcome& o : mangle::ReplayFlow(flow, "none")) {
      BOOST_TEST_CONTEXT(entry.path().filename().string() << " line " << o.line) {
        BOOST_REQUIRE(o.delivered.has_value());
        BOOST_TEST(*o.delivered == o.sent);
      }
    }
  }
  BOOST_TEST(flows > 0);
}

BOOST_AUTO_TEST_CASE(inbound_before_any_outbound_reaches_nobody) {
  const flow::FlowFile flow =
      flow::ParseFlowText("<<< in\nOPTIONS sip:a@203.0.113.1 SIP/2.0\n", "t.flow");
  for (const char* vendor : {"none", "linux-netfilter"}) {
    const std::vector<mangle::BlockOutcome> out = mangle::ReplayFlow(flow, vendor);
    BOOST_TEST(!out.at(0).delivered.has_value());
    BOOST_TEST(out.at(0).dropReason == "no-mapping");
  }
}

BOOST_AUTO_TEST_CASE(linux_netfilter_rewrites_and_json_is_the_oracle_format) {
  const flow::FlowFile flow = flow::ParseFlowText(kRegisterFlow, "t.flow");
  const std::vector<mangle::BlockOutcome> out = mangle::ReplayFlow(flow, "linux-netfilter");
  BOOST_REQUIRE(out.at(0).delivered.has_value());
  BOOST_TEST(out[0].delivered->find("Contact: <sip:100@203.0.113.1:5060>") != std::string::npos);
  BOOST_TEST(out[1].delivered->find("received=10.0.0.2;rport=5060") != std::string::npos);
  const std::string json = mangle::ToJson(out);
  BOOST_TEST(json == "[{\"dir\":\"out\",\"delivered\":\"" + flow::EncodeBase64(*out[0].delivered) +
                         "\",\"to\":\"203.0.113.2:5060\"},{\"dir\":\"in\",\"delivered\":\"" +
                         flow::EncodeBase64(*out[1].delivered) + "\",\"to\":\"10.0.0.2:5060\"}]");
  std::vector<mangle::BlockOutcome> dropped = out;
  dropped[1].delivered.reset();
  dropped[1].dropReason = "alg: cannot parse cseq";
  BOOST_TEST(mangle::ToJson(dropped).find("{\"dir\":\"in\",\"delivered\":null}") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(diff_shows_changed_lines_and_drops) {
  const flow::FlowFile flow = flow::ParseFlowText(kRegisterFlow, "t.flow");
  std::vector<mangle::BlockOutcome> out = mangle::ReplayFlow(flow, "linux-netfilter");
  out[1].delivered.reset();
  out[1].dropReason = "alg: cannot parse cseq";
  const std::string diff = mangle::FormatDiff(out);
  BOOST_TEST(diff.find("=== block 1 (line 2) out: rewritten") != std::string::npos);
  BOOST_TEST(diff.find("-Contact: <sip:100@10.0.0.2:5060>\n+Contact: <sip:100@203.0.113.1:5060>\n") !=
             std::string::npos);
  BOOST_TEST(diff.find(" CSeq: 1 REGISTER\n") != std::string::npos);
  BOOST_TEST(diff.find("=== block 2 (line 9) in: dropped (alg: cannot parse cseq)") !=
             std::string::npos);
  const std::vector<mangle::BlockOutcome> same =
      mangle::ReplayFlow(flow::ParseFlowText(kRegisterFlow, "t.flow"), "none");
  BOOST_TEST(mangle::FormatDiff(same).find("out: unchanged") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(forced_dport_is_recorded_for_the_inbound_blocks) {
  // tests/oracle/README.md: the kernel delivered every datagram after this REGISTER (Via :5070,
  // sent from 5060) to the phone's UDP port 5070; the payloads stay the golden ones.
  const fs::path file = fs::path(ALGLAB_SOURCE_DIR) / "tests" / "data" / "flows" /
                        "via-port-differs-forced-dport.flow";
  const flow::FlowFile flow = flow::ParseFlowFile(file.string());
  const std::vector<mangle::BlockOutcome> out = mangle::ReplayFlow(flow, "linux-netfilter");
  BOOST_REQUIRE_EQUAL(out.size(), 3u);
  for (const mangle::BlockOutcome& o : out) BOOST_REQUIRE(o.delivered.has_value());
  BOOST_TEST(out[0].redirectedPort == 0);  // the REGISTER goes to the registrar's port
  BOOST_TEST(out[1].redirectedPort == 5070);
  BOOST_TEST(out[2].redirectedPort == 5070);
  BOOST_TEST(mangle::FormatDiff(out).find("in: rewritten (") != std::string::npos);
  BOOST_TEST(mangle::FormatDiff(out).find(" bytes), to port 5070\n") != std::string::npos);
  // Without the ALG nothing is redirected; the JSON says where each datagram went.
  for (const mangle::BlockOutcome& o : mangle::ReplayFlow(flow, "none")) {
    BOOST_TEST(o.redirectedPort == 0);
  }
  const std::string json = mangle::ToJson(out);
  BOOST_TEST(json.find("\"to\":\"203.0.113.2:5060\"") != std::string::npos);  // the REGISTER
  BOOST_TEST(json.find("\"to\":\"10.0.0.2:5070\"},{") != std::string::npos);   // redirected
  BOOST_TEST(json.find("10.0.0.2:5060") == std::string::npos);
  BOOST_TEST(mangle::ToJson(mangle::ReplayFlow(flow, "none")).find("\"to\":\"10.0.0.2:5060\"") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_empty_block_replays_a_crlfcrlf_keepalive) {
  const flow::FlowFile flow = flow::ParseFlowText(std::string(kRegisterFlow) + ">>> out\n", "k.flow");
  const std::vector<mangle::BlockOutcome> out = mangle::ReplayFlow(flow, "linux-netfilter");
  BOOST_REQUIRE_EQUAL(out.size(), 3u);
  BOOST_TEST(out[2].sent == "\r\n\r\n");
  BOOST_REQUIRE(out[2].delivered.has_value());
  BOOST_TEST(*out[2].delivered == "\r\n\r\n");  // the helper lets keepalives through untouched
  BOOST_TEST(mangle::ToJson(out).find(flow::EncodeBase64("\r\n\r\n")) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(datagrams_a_model_emits_are_replayed_on_the_simulator_clock) {
  const char* text =
      ">>> out\nOPTIONS sip:203.0.113.2 SIP/2.0\nVia: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKo\n"
      "From: <sip:100@10.0.0.2>;tag=1\nTo: <sip:203.0.113.2>\nCall-ID: o1\nCSeq: 1 OPTIONS\n"
      "Content-Length: 0\n"
      ">>> out\nNOTIFY sip:203.0.113.2 SIP/2.0\nCall-ID: n1\nCSeq: 2 NOTIFY\nContent-Length: 0\n";
  const flow::FlowFile flow = flow::ParseFlowText(text, "emit.flow");
  const std::vector<mangle::BlockOutcome> out =
      mangle::ReplayFlow(flow, "example-responder", {{"answer_delay", "25ms"}});
  // OPTIONS at 10 ms is stolen, NOTIFY at 20 ms passes, the router's answer lands at 35 ms.
  BOOST_REQUIRE_EQUAL(out.size(), 3u);
  BOOST_TEST(!out[0].delivered.has_value());
  BOOST_TEST(out[0].dropReason.empty());  // stolen, not dropped
  BOOST_TEST(out[0].stolen);
  BOOST_TEST(mangle::FormatDiff(out).find("stolen by the router") != std::string::npos);
  BOOST_TEST(out[1].sent.rfind("NOTIFY", 0) == 0u);
  BOOST_TEST(out[2].emitted);
  BOOST_CHECK(out[2].dir == flow::FlowBlock::In);
  BOOST_TEST(out[2].delivered->rfind("SIP/2.0 200 OK\r\n", 0) == 0u);
  const std::string json = mangle::ToJson(out);
  BOOST_TEST(json.find("\"to\":\"10.0.0.2:5060\",\"emitted\":true}") != std::string::npos);
  const std::string diff = mangle::FormatDiff(out);
  BOOST_TEST(diff.find("=== emitted (after line 1) in: by the router to 10.0.0.2:5060") !=
             std::string::npos);
  BOOST_TEST(diff.find("=== block 2 (line 9) out: unchanged") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(knobs_are_attributes) {
  const flow::FlowFile flow = flow::ParseFlowText(kRegisterFlow, "t.flow");
  // Port 5060 is not a SIP port any more: nothing is rewritten.
  const std::vector<mangle::BlockOutcome> out =
      mangle::ReplayFlow(flow, "linux-netfilter", {{"ports", "5070,5080"}});
  BOOST_TEST(*out[0].delivered == out[0].sent);
  BOOST_TEST(alg::ListKnobs("linux-netfilter").find("sip_direct_media") != std::string::npos);
  BOOST_TEST(alg::ListKnobs("none").empty());
}

BOOST_AUTO_TEST_CASE(bad_vendor_and_knobs_are_one_line_errors) {
  const std::string unknown = ErrorOf("cisco-9000", {});
  BOOST_TEST(unknown.find("unknown model 'cisco-9000' (valid: ") == 0u);
  BOOST_TEST(unknown.find("linux-netfilter") != std::string::npos);
  const std::string badKnob = ErrorOf("linux-netfilter", {{"sip_timeout_s", "1"}});
  BOOST_TEST(badKnob.find("has no knob 'sip_timeout_s' (valid: ports, ") != std::string::npos);
  BOOST_TEST(badKnob.find(", sip_timeout") != std::string::npos);  // the timer mechanism's knob
  BOOST_TEST(ErrorOf("linux-netfilter", {{"sip_timeout", "soon"}}).find("not a valid value") !=
             std::string::npos);
  BOOST_TEST(ErrorOf("linux-netfilter", {{"sip_direct_media", "maybe"}}).find("not a valid value") !=
             std::string::npos);
  BOOST_TEST(ErrorOf("linux-netfilter", {{"ports", "5060,x"}}).find("ports:") != std::string::npos);
  BOOST_TEST(ErrorOf("linux-netfilter", {{"ports", "1,2,3,4,5,6,7,8,9"}}).find("at most 8") !=
             std::string::npos);
  BOOST_TEST(ErrorOf("linux-netfilter", {{"advertised_address", "10.0.0"}})
                 .find("advertised_address") != std::string::npos);
  BOOST_TEST(ErrorOf("none", {{"ports", "5060"}}).find("has no knobs") != std::string::npos);
  for (const std::string& e : {unknown, badKnob}) BOOST_TEST(e.find('\n') == std::string::npos);
  BOOST_CHECK_THROW(mangle::ReplayFlow(flow::ParseFlowText(kRegisterFlow, "t"), "nope"),
                    mangle::MangleError);
}

BOOST_AUTO_TEST_SUITE_END()
