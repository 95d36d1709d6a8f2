// alglab-flow-dump FLOWFILE: prints what a flow file sends as JSON,
// [{"dir":"out","payload":BASE64,"line":N},...] (one entry per UDP datagram, or per TCP segment
// with "transport":"tcp" added), so tools outside C++ (the kernel oracle) send
// exactly the bytes alglab's own parser produces: one parser, not two.
// Exit status: 0 on success, 2 with one "FILE:LINE: problem" line on stderr for a bad file.

#include "sim/flow/base64.h"
#include "sim/flow/flow-file.h"

#include <nlohmann/json.hpp>

#include <cstring>
#include <iostream>

int main(int argc, char** argv) {
  using namespace alglab::flow;
  if (argc == 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
    std::cout << "usage: alglab-flow-dump FLOWFILE\n"
                 "Prints the flow's blocks as a JSON array of {\"dir\",\"payload\",\"line\"};\n"
                 "payload is the datagram in base64. Format: sim/flow/README.md.\n";
    return 0;
  }
  if (argc != 2) {
    std::cerr << "usage: alglab-flow-dump FLOWFILE\n";
    return 2;
  }
  try {
    const FlowFile flow = ParseFlowFile(argv[1]);
    nlohmann::ordered_json blocks = nlohmann::ordered_json::array();
    // One entry per unit sent: a datagram, or (TCP) one segment after `more` and `split`.
    for (const FlowSegment& segment : flow.Segments()) {
      nlohmann::ordered_json entry = {{"dir", DirectionName(segment.dir)},
                                      {"payload", EncodeBase64(segment.payload)},
                                      {"line", segment.line}};
      if (flow.transport == Transport::Tcp) entry["transport"] = "tcp";
      blocks.push_back(entry);
    }
    std::cout << blocks.dump() << '\n';
    return 0;
  } catch (const FlowError& e) {
    std::cerr << e.what() << '\n';
    return 2;
  }
}
