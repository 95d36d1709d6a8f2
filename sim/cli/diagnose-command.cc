#include "sim/cli/commands.h"
#include "sim/diagnose/capture-reader.h"
#include "sim/diagnose/diagnose-report.h"
#include "sim/scenario/scenario-error.h"

#include <iostream>

namespace alglab::cli {

nlohmann::json DiagnoseJson(const DiagnoseArguments& args) {
  try {
    return diagnose::DiagnoseFiles(args.capture, args.wan);
  } catch (const diagnose::CaptureError& e) {
    throw scenario::ScenarioError(e.what());
  }
}

int DiagnoseCommand(const DiagnoseArguments& args) {
  const nlohmann::json diagnosis = DiagnoseJson(args);
  if (args.json)
    std::cout << diagnosis.dump(2) << "\n";
  else
    std::cout << diagnose::FormatDiagnosis(diagnosis);
  return 0;
}

}  // namespace alglab::cli
