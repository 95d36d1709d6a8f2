#include "alg-models/contract/alg-config-error.h"
#include "sim/cli/commands.h"
#include "sim/flow/flow-file.h"
#include "sim/mangle/flow-replay.h"
#include "sim/mangle/mangle-report.h"
#include "sim/scenario/scenario-error.h"

#include <iostream>
#include <map>

namespace alglab::cli {

namespace {

/// The flow file replayed through the model with the --set knobs; bad input as ScenarioError.
std::vector<mangle::BlockOutcome> Replay(const MangleArguments& args) {
  std::map<std::string, std::string> knobs;
  for (const auto& s : args.sets) {
    const auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0)
      throw scenario::ScenarioError("--set " + s + ": expected knob=value, e.g. --set sip_direct_media=0");
    knobs[s.substr(0, eq)] = s.substr(eq + 1);
  }
  try {
    const flow::FlowFile flow = flow::ParseFlowFile(args.flowFile);
    return mangle::ReplayFlow(flow, args.model, knobs);
  } catch (const flow::FlowError& e) {
    throw scenario::ScenarioError(e.what());
  } catch (const alg::AlgConfigError& e) {
    throw scenario::ScenarioError(std::string("--model/--set: ") + e.what());
  }
}

}  // namespace

nlohmann::ordered_json MangleJson(const MangleArguments& args) { return mangle::OutcomesJson(Replay(args)); }

int MangleCommand(const MangleArguments& args) {
  const std::vector<mangle::BlockOutcome> outcomes = Replay(args);
  if (args.json) {
    std::cout << mangle::ToJson(outcomes) << "\n";
  } else {
    std::cout << mangle::FormatDiff(outcomes);
  }
  return 0;
}

}  // namespace alglab::cli
