// Flow-file format (sim/flow/README.md): exact payload bytes, the decisions the spec left open,
// and one test per error, each checking the reported line.

#define BOOST_TEST_MODULE flow_file
#include <boost/test/unit_test.hpp>

#include "sim/flow/base64.h"
#include "sim/flow/flow-file.h"
#include "sim/flow/printable-text.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

using namespace alglab::flow;
namespace fs = std::filesystem;

namespace {

/// Runs the parser on `text` and returns the error it must raise.
FlowError ErrorOf(const std::string& text, const std::string& name = "t.flow") {
  try {
    ParseFlowText(text, name);
  } catch (const FlowError& e) {
    return e;
  }
  BOOST_FAIL("expected a FlowError for: " + text);
  return FlowError("", 0, "");
}

/// A scratch file removed at scope exit; the name carries the pid so parallel runs don't clash.
struct TempFile {
  fs::path path;
  explicit TempFile(const std::string& content, const std::string& tag = "f") {
    path = fs::temp_directory_path() /
           ("alglab-flow-test-" + std::to_string(::getpid()) + "-" + tag + ".flow");
    std::ofstream(path, std::ios::binary) << content;
  }
  ~TempFile() {
    std::error_code ec;
    fs::remove(path, ec);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(payload_bytes)

BOOST_AUTO_TEST_CASE(headers_only_block_ends_with_empty_line) {
  const FlowFile f = ParseFlowText(">>> out\nOPTIONS sip:a@b SIP/2.0\nCSeq: 1 OPTIONS\n", "x");
  BOOST_REQUIRE_EQUAL(f.blocks.size(), 1u);
  BOOST_TEST(f.path == "x");
  BOOST_TEST(f.blocks[0].dir == FlowBlock::Out);
  BOOST_TEST(f.blocks[0].line == 1u);
  BOOST_TEST(f.blocks[0].payload == "OPTIONS sip:a@b SIP/2.0\r\nCSeq: 1 OPTIONS\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(body_lines_end_with_crlf_and_cl_counts_body_bytes) {
  const FlowFile f = ParseFlowText(
      "<<< in\nINVITE sip:a@b SIP/2.0\nContent-Length: {CL}\n\nv=0\nc=IN IP4 1.2.3.4\n", "x");
  BOOST_REQUIRE_EQUAL(f.blocks.size(), 1u);
  BOOST_TEST(f.blocks[0].dir == FlowBlock::In);
  // body = "v=0\r\n" (5) + "c=IN IP4 1.2.3.4\r\n" (18) = 23 bytes
  BOOST_TEST(f.blocks[0].payload ==
             "INVITE sip:a@b SIP/2.0\r\nContent-Length: 23\r\n\r\nv=0\r\nc=IN IP4 1.2.3.4\r\n");
}

BOOST_AUTO_TEST_CASE(cl_in_body_is_left_alone_and_every_header_occurrence_is_replaced) {
  const FlowFile f = ParseFlowText(">>> out\nM x SIP/2.0\nA: {CL}/{CL}\n\n{CL}\n", "x");
  BOOST_TEST(f.blocks[0].payload == "M x SIP/2.0\r\nA: 6/6\r\n\r\n{CL}\r\n");
}

BOOST_AUTO_TEST_CASE(cl_without_body_is_zero) {
  const FlowFile f = ParseFlowText(">>> out\nBYE x SIP/2.0\nl: {CL}\n", "x");
  BOOST_TEST(f.blocks[0].payload == "BYE x SIP/2.0\r\nl: 0\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(trailing_blank_lines_dropped_inner_blank_lines_kept) {
  const FlowFile f = ParseFlowText(">>> out\nM x SIP/2.0\n\na\n\nb\n\n\n\n<<< in\nS\n\n\n", "x");
  BOOST_REQUIRE_EQUAL(f.blocks.size(), 2u);
  BOOST_TEST(f.blocks[0].payload == "M x SIP/2.0\r\n\r\na\r\n\r\nb\r\n");
  BOOST_TEST(f.blocks[1].payload == "S\r\n\r\n");
  BOOST_TEST(f.blocks[1].line == 10u);
}

BOOST_AUTO_TEST_CASE(whitespace_only_lines_inside_a_block_are_content) {
  const FlowFile f = ParseFlowText(">>> out\nM x SIP/2.0\nA: 1\n \tfolded\n  \n", "x");
  BOOST_TEST(f.blocks[0].payload == "M x SIP/2.0\r\nA: 1\r\n \tfolded\r\n  \r\n\r\n");
}

BOOST_AUTO_TEST_CASE(crlf_file_equals_lf_file) {
  const std::string lf = "# c\n>>> out\nM x SIP/2.0\nl: {CL}\n\nbody\n<<< in\nSIP/2.0 200 OK\n";
  std::string crlf;
  for (char c : lf) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  const FlowFile a = ParseFlowText(lf, "a");
  const FlowFile b = ParseFlowText(crlf, "b");
  BOOST_REQUIRE_EQUAL(a.blocks.size(), b.blocks.size());
  for (std::size_t i = 0; i < a.blocks.size(); ++i) {
    BOOST_TEST(a.blocks[i].payload == b.blocks[i].payload);
    BOOST_TEST(a.blocks[i].line == b.blocks[i].line);
  }
}

BOOST_AUTO_TEST_CASE(only_one_cr_is_stripped_and_inner_cr_kept) {
  const FlowFile f = ParseFlowText(">>> out\nM x\rY\r\r\n", "x");
  BOOST_TEST(f.blocks[0].payload == "M x\rY\r\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(last_line_without_newline) {
  const FlowFile f = ParseFlowText(">>> out\nM x SIP/2.0", "x");
  BOOST_TEST(f.blocks[0].payload == "M x SIP/2.0\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(non_utf8_and_nul_bytes_pass_through) {
  using namespace std::string_literals;
  const FlowFile f = ParseFlowText(">>> out\nM \xFF\xFE x\n\n\x80\0z\n"s, "x");
  BOOST_TEST(f.blocks[0].payload == "M \xFF\xFE x\r\n\r\n\x80\0z\r\n"s);
  BOOST_TEST(f.blocks[0].payload.size() == 15u);
}

BOOST_AUTO_TEST_CASE(utf8_bom_at_start_is_ignored) {
  const FlowFile f = ParseFlowText("\xEF\xBB\xBF>>> out\nM x\n", "x");
  BOOST_TEST(f.blocks[0].payload == "M x\r\n\r\n");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(structure)

BOOST_AUTO_TEST_CASE(comments_and_blank_lines_before_first_block) {
  const FlowFile f = ParseFlowText("# header\n\n   \n\t\n#x\n>>> out\nM x\n", "x");
  BOOST_REQUIRE_EQUAL(f.blocks.size(), 1u);
  BOOST_TEST(f.blocks[0].line == 6u);
}

BOOST_AUTO_TEST_CASE(hash_lines_inside_a_block_are_content) {
  const FlowFile f = ParseFlowText(">>> out\nM x\n# not a comment\n", "x");
  BOOST_TEST(f.blocks[0].payload == "M x\r\n# not a comment\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(marker_line_takes_udp_option_and_trailing_comment) {
  const FlowFile f =
      ParseFlowText(">>> out udp   # INVITE\nM x\n<<<\tin\t# 200 OK\nS\n>>> out #tight\nA\n", "x");
  BOOST_REQUIRE_EQUAL(f.blocks.size(), 3u);
  BOOST_TEST(f.blocks[0].dir == FlowBlock::Out);
  BOOST_TEST(f.blocks[1].dir == FlowBlock::In);
  BOOST_TEST(f.blocks[1].line == 3u);
  BOOST_TEST(f.blocks[2].payload == "A\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(marker_inside_a_block_opens_the_next_block) {
  const FlowFile f = ParseFlowText(">>> out\nM x\n<<< in\nS\n>>> out\nA\n", "x");
  BOOST_REQUIRE_EQUAL(f.blocks.size(), 3u);
  BOOST_TEST(f.blocks[0].payload == "M x\r\n\r\n");
  BOOST_TEST(f.blocks[2].line == 5u);
}

BOOST_AUTO_TEST_CASE(indented_marker_is_content) {
  const FlowFile f = ParseFlowText(">>> out\nM x\n >>> out\n", "x");
  BOOST_REQUIRE_EQUAL(f.blocks.size(), 1u);
  BOOST_TEST(f.blocks[0].payload == "M x\r\n >>> out\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(direction_names) {
  BOOST_TEST(std::string(DirectionName(FlowBlock::Out)) == "out");
  BOOST_TEST(std::string(DirectionName(FlowBlock::In)) == "in");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(errors)

BOOST_AUTO_TEST_CASE(message_is_one_line_file_line_problem) {
  const FlowError e = ErrorOf("# c\nINVITE sip:x SIP/2.0\n>>> out\nM\n", "dir/a.flow");
  BOOST_TEST(e.Path() == "dir/a.flow");
  BOOST_TEST(e.Line() == 2u);
  const std::string what = e.what();
  BOOST_TEST(what.rfind("dir/a.flow:2: text before the first block: 'INVITE sip:x SIP/2.0'", 0) == 0);
  BOOST_TEST(what.find('\n') == std::string::npos);
  BOOST_TEST(what == "dir/a.flow:2: " + e.Problem());
}

BOOST_AUTO_TEST_CASE(control_bytes_in_quoted_text_are_escaped) {
  const FlowError e = ErrorOf(std::string("\x01zz\r\r\n>>> out\nM\n"));
  const std::string what = e.what();
  BOOST_TEST(what.find("'\\x01zz\\x0D'") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(no_blocks) {
  BOOST_TEST(ErrorOf("").Line() == 0u);
  BOOST_TEST(ErrorOf("# only a comment\n\n").Line() == 0u);
  BOOST_TEST(ErrorOf("").Problem().find("no blocks") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(empty_block_is_a_crlfcrlf_keepalive) {
  const FlowFile flow = ParseFlowText(">>> out\nM\n<<< in\n\n\n>>> out\n", "k.flow");
  BOOST_REQUIRE_EQUAL(flow.blocks.size(), 3u);
  BOOST_TEST(flow.blocks[1].payload == "\r\n\r\n");
  BOOST_TEST(flow.blocks[1].line == 3u);
  BOOST_CHECK(flow.blocks[1].dir == FlowBlock::In);
  BOOST_TEST(flow.blocks[2].payload == "\r\n\r\n");
  BOOST_TEST(flow.blocks[0].payload == "M\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(blank_line_at_block_start) {
  const FlowError e = ErrorOf(">>> out\n\nINVITE x SIP/2.0\n");
  BOOST_TEST(e.Line() == 2u);
  BOOST_TEST(e.Problem().find("blank line at the start") == 0u);
}

BOOST_AUTO_TEST_CASE(unknown_direction) {
  const FlowError e = ErrorOf("# c\n>>> sideways\nM\n");
  BOOST_TEST(e.Line() == 2u);
  BOOST_TEST(e.Problem() == "unknown direction 'sideways' after '>>>' (expected 'out')");
  BOOST_TEST(ErrorOf("<<< OUT\nM\n").Problem() == "unknown direction 'OUT' after '<<<' (expected 'in')");
}

BOOST_AUTO_TEST_CASE(arrow_and_direction_disagree) {
  BOOST_TEST(ErrorOf(">>> in\nM\n").Problem().find("mixes directions") != std::string::npos);
  BOOST_TEST(ErrorOf("<<< out\nM\n").Problem().find("mixes directions") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(missing_direction_or_space) {
  BOOST_TEST(ErrorOf(">>>\nM\n").Problem() == "missing direction after '>>>': write '>>> out'");
  BOOST_TEST(ErrorOf(">>>   # c\nM\n").Problem().find("missing direction") == 0u);
  BOOST_TEST(ErrorOf("<<<in\nM\n").Problem() == "expected a space after '<<<': write '<<< in'");
  BOOST_TEST(ErrorOf(">>>>> out\nM\n").Problem().find("expected a space") == 0u);
}

BOOST_AUTO_TEST_CASE(options) {
  BOOST_TEST(ErrorOf(">>> out fast\nM\n").Problem() ==
             "unknown block option 'fast' (valid: udp, tcp, and with tcp: more, split=N)");
  BOOST_TEST(ErrorOf(">>> out tls\nM\n").Problem() ==
             "transport 'tls' is not supported: flows are UDP or TCP");
  BOOST_TEST(ErrorOf(">>> out udp udp\nM\n").Problem() == "option 'udp' given twice");
  BOOST_TEST(ErrorOf(">>> out udp tcp\nM\n").Problem() == "two transports on one marker");
  BOOST_TEST(ErrorOf("<<< in UDP\nM\n").Problem().find("unknown block option 'UDP'") == 0u);
}

BOOST_AUTO_TEST_CASE(comment_on_a_marker_needs_whitespace_before_hash) {
  BOOST_TEST(ErrorOf(">>> out#c\nM\n").Problem() == "unknown direction 'out#c' after '>>>' (expected 'out')");
}

BOOST_AUTO_TEST_CASE(error_in_a_later_marker_reports_that_line) {
  BOOST_TEST(ErrorOf(">>> out\nM\n\n\n<<< inn\nS\n").Line() == 5u);
}

BOOST_AUTO_TEST_CASE(too_many_blocks) {
  std::string text;
  for (std::size_t i = 0; i < kMaxFlowBlocks; ++i) text += ">>> out\nM\n";
  BOOST_TEST(ParseFlowText(text, "x").blocks.size() == kMaxFlowBlocks);
  text += "<<< in\nS\n";
  const FlowError e = ErrorOf(text);
  BOOST_TEST(e.Line() == 2 * kMaxFlowBlocks + 1);
  BOOST_TEST(e.Problem().find("more than 1000 blocks") == 0u);
}

BOOST_AUTO_TEST_CASE(payload_larger_than_a_datagram) {
  const std::string ok = ">>> out\nM\n\n" + std::string(kMaxPayloadBytes - 7, 'a') + "\n";
  BOOST_TEST(ParseFlowText(ok, "x").blocks[0].payload.size() == kMaxPayloadBytes);
  const std::string big = "# c\n>>> out\nM\n\n" + std::string(kMaxPayloadBytes - 6, 'a') + "\n";
  const FlowError e = ErrorOf(big);
  BOOST_TEST(e.Line() == 2u);
  BOOST_TEST(e.Problem().find("65508 bytes") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(text_larger_than_limit) {
  const std::string big = ">>> out\nM\n\n" + std::string(kMaxFlowFileBytes, 'a');
  const FlowError e = ErrorOf(big);
  BOOST_TEST(e.Line() == 0u);
  BOOST_TEST(e.Problem().find("the limit is 1048576") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(files)

BOOST_AUTO_TEST_CASE(parse_file_reads_bytes_verbatim) {
  const TempFile file(">>> out\r\nM \xC3\xA9\r\n", "ok");
  const FlowFile f = ParseFlowFile(file.path.string());
  BOOST_TEST(f.path == file.path.string());
  BOOST_TEST(f.blocks[0].payload == "M \xC3\xA9\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(missing_file_and_directory_report_line_zero) {
  try {
    ParseFlowFile("/nonexistent/alglab/x.flow");
    BOOST_FAIL("no error");
  } catch (const FlowError& e) {
    BOOST_TEST(std::string(e.what()) ==
               "/nonexistent/alglab/x.flow:0: cannot open flow file: No such file or directory");
  }
  BOOST_CHECK_THROW(ParseFlowFile(fs::temp_directory_path().string()), FlowError);
}

BOOST_AUTO_TEST_CASE(oversized_file_is_rejected_without_reading_it_all) {
  const TempFile file(">>> out\nM\n\n" + std::string(kMaxFlowFileBytes + 100000, 'b'), "big");
  try {
    ParseFlowFile(file.path.string());
    BOOST_FAIL("no error");
  } catch (const FlowError& e) {
    BOOST_TEST(e.Line() == 0u);
    BOOST_TEST(e.Problem().find("larger than the limit") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(error_names_the_file_path) {
  const TempFile file("junk\n", "bad");
  try {
    ParseFlowFile(file.path.string());
    BOOST_FAIL("no error");
  } catch (const FlowError& e) {
    BOOST_TEST(std::string(e.what()).rfind(file.path.string() + ":1: ", 0) == 0);
  }
}

// Every corpus flow parses, opens with a '#' comment saying what it exercises, and has a kernel
// golden file with one entry per block in the same directions.
BOOST_AUTO_TEST_CASE(corpus_flows_parse_and_match_their_golden_files) {
  const fs::path dir = fs::path(ALGLAB_SOURCE_DIR) / "tests" / "data" / "flows";
  std::vector<fs::path> flows;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".flow") flows.push_back(entry.path());
  }
  std::sort(flows.begin(), flows.end());
  BOOST_TEST(flows.size() >= 30u);
  for (const fs::path& path : flows) {
    BOOST_TEST_CONTEXT(path.filename().string()) {
      const FlowFile f = ParseFlowFile(path.string());
      std::ifstream raw(path);
      std::string first;
      std::getline(raw, first);
      BOOST_TEST(first.rfind("# ", 0) == 0u);
      fs::path golden = path;
      golden.replace_extension(".kernel.json");
      std::ifstream in(golden);
      BOOST_REQUIRE_MESSAGE(in.good(), "missing golden file " << golden);
      const nlohmann::json json = nlohmann::json::parse(in);
      BOOST_REQUIRE_EQUAL(json.size(), f.blocks.size());
      for (std::size_t i = 0; i < f.blocks.size(); ++i) {
        BOOST_TEST(json[i]["dir"].get<std::string>() == DirectionName(f.blocks[i].dir));
        BOOST_TEST((json[i]["delivered"].is_null() || json[i]["delivered"].is_string()));
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(base64)

BOOST_AUTO_TEST_CASE(rfc4648_vectors) {
  BOOST_TEST(EncodeBase64("") == "");
  BOOST_TEST(EncodeBase64("f") == "Zg==");
  BOOST_TEST(EncodeBase64("fo") == "Zm8=");
  BOOST_TEST(EncodeBase64("foo") == "Zm9v");
  BOOST_TEST(EncodeBase64("foob") == "Zm9vYg==");
  BOOST_TEST(EncodeBase64("fooba") == "Zm9vYmE=");
  BOOST_TEST(EncodeBase64("foobar") == "Zm9vYmFy");
}

BOOST_AUTO_TEST_CASE(binary_bytes_use_the_whole_alphabet) {
  BOOST_TEST(EncodeBase64(std::string("\xFF\xFF\xFE\x00\x10\x83", 6)) == "///+ABCD");
  BOOST_TEST(EncodeBase64(std::string("\xFB\xEF\xBE", 3)) == "++++");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(printable_text)

BOOST_AUTO_TEST_CASE(control_and_non_ascii_bytes_are_escaped_and_long_text_cut) {
  using alglab::flow::PrintableText;
  BOOST_TEST(PrintableText("INVITE sip:a") == "INVITE sip:a");
  BOOST_TEST(PrintableText(std::string("a\r\n\0\xff", 5)) == "a\\x0D\\x0A\\x00\\xFF");
  BOOST_TEST(PrintableText("abcdef", 3) == "abc...");
  BOOST_TEST(PrintableText("abc", 3) == "abc");
  BOOST_TEST(PrintableText("").empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(tcp_flow_segments) {
  // `more` joins a block with the next into one segment; `split=N` cuts a block in two.
  const FlowFile flow = ParseFlowText(
      ">>> out tcp more\nA x\n\n>>> out tcp\nB y\n\n<<< in tcp split=3\nC zzzz\n\n"
      ">>> out tcp # keepalive\n",
      "t.flow");
  BOOST_CHECK(flow.transport == Transport::Tcp);
  BOOST_REQUIRE(flow.blocks.size() == 4u);
  BOOST_TEST(flow.blocks[0].more);
  BOOST_TEST(flow.blocks[2].split == 3u);
  const std::vector<FlowSegment> segments = flow.Segments();
  BOOST_REQUIRE(segments.size() == 4u);
  BOOST_TEST(segments[0].payload == "A x\r\n\r\nB y\r\n\r\n");
  BOOST_TEST(segments[0].line == 1u);
  BOOST_CHECK(segments[1].dir == FlowBlock::In);
  BOOST_TEST(segments[1].payload == "C z");
  BOOST_TEST(segments[2].payload == "zzz\r\n\r\n");
  BOOST_TEST(segments[3].payload == "\r\n\r\n");
  // UDP: one segment (datagram) per block.
  const FlowFile udp = ParseFlowText(">>> out\nA\n<<< in udp\nB\n", "u.flow");
  BOOST_CHECK(udp.transport == Transport::Udp);
  BOOST_TEST(udp.Segments().size() == 2u);
}

BOOST_AUTO_TEST_CASE(tcp_flow_errors) {
  auto problem = [](const char* text) { return ErrorOf(text).Problem(); };
  auto line = [](const char* text) { return ErrorOf(text).Line(); };
  BOOST_TEST(problem(">>> out tcp\nA\n<<< in\nB\n").find("a flow uses one transport") !=
             std::string::npos);
  BOOST_TEST(line(">>> out tcp\nA\n<<< in\nB\n") == 3u);
  BOOST_TEST(problem(">>> out more\nA\n") == "option 'more' needs 'tcp': UDP blocks are one datagram each");
  BOOST_TEST(problem(">>> out split=2\nA\n").find("needs 'tcp'") != std::string::npos);
  BOOST_TEST(problem(">>> out tcp more\nA\n").find("'more' on the last block") == 0u);
  BOOST_TEST(problem(">>> out tcp more\nA\n<<< in tcp\nB\n").find("goes the other way") !=
             std::string::npos);
  BOOST_TEST(line(">>> out tcp more\nA\n<<< in tcp\nB\n") == 3u);
  BOOST_TEST(problem(">>> out tcp more split=1\nAB\n").find("'more' and 'split' together") == 0u);
  BOOST_TEST(problem(">>> out tcp split=7\nAB\n").find("split=7 is not inside") == 0u);
  BOOST_TEST(problem(">>> out tcp split=0\nAB\n").find("bad 'split=0'") == 0u);
  BOOST_TEST(problem(">>> out tcp split=x\nAB\n").find("bad 'split=x'") == 0u);
  BOOST_TEST(problem(">>> out tcp split=1 split=2\nAB\n") == "option 'split' given twice");
  BOOST_TEST(problem(">>> out tcp more more\nA\n>>> out tcp\nB\n") == "option 'more' given twice");
  BOOST_TEST(problem(">>> out tcp more\nA\n>>> out tcp split=1\nBC\n").find("shares the previous") !=
             std::string::npos);
  // One segment must fit one Ethernet segment.
  const std::string big = ">>> out tcp\n" + std::string(1500, 'a') + "\n";
  BOOST_TEST(ErrorOf(big).Problem().find("TCP segment of 1504 bytes") == 0u);
  const FlowFile ok = ParseFlowText(">>> out tcp split=1000\n" + std::string(1500, 'a') + "\n", "s");
  BOOST_TEST(ok.Segments().size() == 2u);
}
