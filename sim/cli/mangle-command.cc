#include "alg-models/contract/alg-config-error.h"
#include "sim/cli/commands.h"
#include "sim/flow/flow-file.h"
#include "sim/mangle/flow-replay.h"
#include "sim/mangle/mangle-report.h"
#include "sim/scenario/scenario-error.h"

#include <iostream>
#include <map>

namespace alglab::cli {

int MangleCommand(const MangleArguments& args) {
  std::map<std::string, std::string> knobs;
  for (const auto& s : args.sets) {
    const auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0)
      throw scenario::ScenarioError("--set " + s + ": expected knob=value, e.g. --set sip_direct_media=0");
    knobs[s.substr(0, eq)] = s.substr(eq + 1);
  }
  try {
    const flow::FlowFile flow = flow::ParseFlowFile(args.flowFile);
    const auto outcomes = mangle::ReplayFlow(flow, args.model, knobs);
    if (args.json) {
      std::cout << mangle::ToJson(outcomes) << "\n";
    } else {
      std::cout << mangle::FormatDiff(outcomes);
    }
  } catch (const flow::FlowError& e) {
    throw scenario::ScenarioError(e.what());
  } catch (const alg::AlgConfigError& e) {
    throw scenario::ScenarioError(std::string("--model/--set: ") + e.what());
  }
  return 0;
}

}  // namespace alglab::cli
