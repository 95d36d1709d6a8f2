// `alglab matrix`: every vendor x scenario, ALG on and off, in worker processes.
#include "alg-models/contract/alg-config-error.h"
#include "alg-models/contract/alg-factory.h"
#include "alg-models/contract/alg-model-registry.h"
#include "sim/cli/commands.h"
#include "sim/cli/job-count.h"
#include "alg-models/contract/model-file.h"
#include "alg-models/contract/runbook.h"
#include "sim/remediation/remediation-run.h"
#include "sim/remediation/runbook-json.h"
#include "sim/detect/detect-accuracy.h"
#include "sim/detect/detect-references.h"
#include "sim/matrix/matrix-plan.h"
#include "sim/matrix/matrix-report.h"
#include "sim/matrix/matrix-runner.h"
#include "sim/matrix/matrix-verdict.h"
#include "sim/report/html-page.h"
#include "sim/report/report-data.h"
#include "sim/matrix/matrix-workarounds.h"
#include "sim/scenario/cost-estimate.h"
#include "sim/scenario/knob-table.h"
#include "sim/scenario/scenario-catalog.h"
#include "sim/scenario/scenario-error.h"
#include "sim/scenario/scenario-loader.h"
#include "sim/scenario/value-parsing.h"
#include "sim/scenario/vendor-router-settings.h"

#include <fmt/format.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

namespace alglab::cli {

namespace {

using scenario::ScenarioError;
namespace fs = std::filesystem;

/// "a,b,c" -> {"a","b","c"}; empty items and repeats are refused, not skipped.
std::vector<std::string> SplitList(const std::string& option, const std::string& text) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item.empty()) throw ScenarioError(option + " " + text + ": an empty name in the list");
    if (!seen.insert(item).second) throw ScenarioError(option + " " + text + ": '" + item + "' named twice");
    out.push_back(item);
  }
  if (out.empty() || text.back() == ',') throw ScenarioError(option + " '" + text + "': an empty name in the list");
  return out;
}

std::vector<std::string> Vendors(const std::optional<std::string>& list) {
  const auto& registry = alg::AlgModelRegistry::Instance();
  if (!list) {
    // The products (and none, the control); teaching models only when named.
    std::vector<std::string> all;
    for (const auto& info : registry.All())
      if (!info.example) all.push_back(info.vendor);
    return all;
  }
  std::vector<std::string> out = SplitList("--vendors", *list);
  for (const auto& v : out) {
    if (registry.Find(v)) continue;
    std::string valid;
    for (const auto& n : registry.Names()) valid += (valid.empty() ? "" : ", ") + n;
    throw ScenarioError("--vendors: unknown vendor '" + v + "' (valid: " + valid + ")");
  }
  return out;
}

/// A scenario of the matrix, loaded once here (so a broken file is refused before any worker
/// starts): its name, file and expected cost per run (simulator events, for RunPlan's order).
struct MatrixScenario {
  std::string name;
  std::string path;
  double cost = 0;
};

MatrixScenario Entry(const std::string& name, const std::string& path, const scenario::ScenarioSpec& spec) {
  return {name, path, scenario::EstimateEventsPerSecond(spec) * spec.duration};
}

std::vector<MatrixScenario> Scenarios(const std::optional<std::string>& list) {
  std::vector<MatrixScenario> out;
  if (!list) {
    for (const auto& e : scenario::ListScenarios()) {
      const scenario::ScenarioSpec spec = scenario::LoadScenario(e.path);
      if (spec.inMatrix) out.push_back(Entry(e.name, e.path, spec));
    }
  } else {
    std::set<std::string> stems;
    for (const auto& name : SplitList("--scenarios", *list)) {
      const std::string path = scenario::ResolveScenario(name);
      const std::string stem = fs::path(name).extension() == ".yaml" ? fs::path(name).stem().string() : name;
      if (!stems.insert(stem).second) throw ScenarioError("--scenarios: two scenarios named '" + stem + "'");
      out.push_back(Entry(stem, path, scenario::LoadScenario(path)));
    }
  }
  if (out.empty()) throw ScenarioError("--scenarios: no scenario files in " + scenario::ScenarioDirectory());
  return out;
}

/// What decides each vendor's runs: its router's NAT defaults (the router knobs its model
/// states) and its ALG as configured by default. Vendors equal in both run the same
/// simulations; vendors equal in the first share their ALG-off runs.
std::map<std::string, matrix::VendorKeys> VendorKeys(const std::vector<std::string>& vendors) {
  std::map<std::string, matrix::VendorKeys> out;
  for (const auto& v : vendors) {
    ns3::Ptr<alg::AlgModel> model;
    try {
      model = alg::CreateAlgModel(v, {});
    } catch (const alg::AlgConfigError& e) {
      throw ScenarioError("--vendors: " + v + ": " + e.what());
    }
    matrix::VendorKeys keys;
    for (const auto& s : scenario::VendorRouterSettings(ns3::PeekPointer(model)))
      keys.nat += std::string(s.knob->section) + "." + s.knob->leaf + "=" + s.value.text + "\n";
    if (model != nullptr) keys.alg = model->BehaviourFingerprint();
    out[v] = keys;
  }
  return out;
}

void WriteFile(const fs::path& path, const std::string& text, const std::string& option) {
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out || !(out << text) || !out.flush()) throw ScenarioError(option + " " + path.string() + ": cannot write the file");
}

nlohmann::json ReadGolden(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError("--golden " + path + ": cannot read the file");
  try {
    nlohmann::json j = nlohmann::json::parse(in);
    if (!j.is_object() || !j.contains("vendors") || !j["vendors"].is_object())
      throw ScenarioError("--golden " + path + ": not a matrix (no \"vendors\" object)");
    return j;
  } catch (const nlohmann::json::exception& e) {
    std::string what = e.what();
    for (auto& c : what) if (c == '\n') c = ' ';
    throw ScenarioError("--golden " + path + ": not JSON (" + what + ")");
  }
}

/// A bench/kernel-accuracy.py --json file, checked before any simulation runs: its kind, its
/// kernel and every confusion matrix report.js draws (labels, counts, correct, total, accuracy).
nlohmann::ordered_json ReadKernelAccuracy(const std::string& path) {
  const std::string where = "--kernel-accuracy " + path + ": ";
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError(where + "cannot read the file");
  nlohmann::ordered_json j;
  try {
    j = nlohmann::ordered_json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    std::string what = e.what();
    for (auto& c : what) if (c == '\n') c = ' ';
    throw ScenarioError(where + "not JSON (" + what + ")");
  }
  if (!j.is_object() || j.value("kind", nlohmann::ordered_json()) != "kernel-accuracy")
    throw ScenarioError(where + "not a kernel accuracy file (\"kind\" is not \"kernel-accuracy\")");
  if (!j.contains("kernel") || !j["kernel"].is_string()) throw ScenarioError(where + "no \"kernel\" string");
  if (!j.contains("cases") || !j["cases"].is_array()) throw ScenarioError(where + "no \"cases\" array");
  if (!j.contains("matrices") || !j["matrices"].is_object() || j["matrices"].empty())
    throw ScenarioError(where + "no \"matrices\" object");
  for (const auto& [name, m] : j["matrices"].items()) {
    const bool ok = m.is_object() && m.contains("labels") && m["labels"].is_array() && m.contains("counts") &&
                    m["counts"].is_object() && m.contains("correct") && m["correct"].is_number_unsigned() &&
                    m.contains("total") && m["total"].is_number_unsigned() && m.contains("accuracy") &&
                    m["accuracy"].is_number() && m["accuracy"].get<double>() >= 0.0 && m["accuracy"].get<double>() <= 1.0;
    if (!ok) throw ScenarioError(where + "matrix \"" + name + "\" needs labels, counts, correct, total and accuracy 0..1");
  }
  return j;
}

/// A directory for the workers' results: --out's runs/ folder, else a temporary one.
struct WorkDir {
  std::string path;
  bool temporary = false;
  ~WorkDir() {
    std::error_code ec;
    if (temporary) fs::remove_all(path, ec);
  }
};

/// True when `vendor` has a runbook; a runbook file that does not parse is a one-line error.
bool HasRunbook(const std::string& vendor) {
  try {
    return alg::FindRunbook(vendor) != nullptr;
  } catch (const alg::ModelFileError& e) {
    throw ScenarioError(e.what());
  }
}

/// The four variants and the remediated run, for writing each run's result.
std::vector<matrix::Variant> MatrixVariants() {
  std::vector<matrix::Variant> all = matrix::AllVariants();
  all.push_back(matrix::RemediatedVariant());
  return all;
}

/// report.html's data: the matrix and, per vendor and scenario, the runs with the servers' NAT
/// traversal on (ALG on and off), with their evidence. The no-traversal runs stay in runs/ only,
/// to keep the page's size to what a browser opens quickly.
nlohmann::ordered_json ReportData(const matrix::Plan& plan, const std::vector<matrix::RunOutcome>& outcomes,
                                  const nlohmann::ordered_json& result) {
  std::vector<report::ReportRun> runs;
  for (const std::string& vendor : plan.vendors)
    for (const std::string& sc : plan.scenarios)
      for (const matrix::Variant& v : MatrixVariants()) {
        if (!v.traversal || !plan.cells.count({vendor, sc, v.Name()})) continue;
        const std::size_t index = plan.RunOf(vendor, sc, v);
        runs.push_back({vendor, sc, v.Name(), &outcomes[index].result, &outcomes[index].evidence, index});
      }
  nlohmann::ordered_json extras = nlohmann::ordered_json::object();
  if (result.contains("detect_accuracy")) extras["detect_accuracy"] = result["detect_accuracy"];
  if (result.contains("kernel_accuracy")) extras["kernel_accuracy"] = result["kernel_accuracy"];
  if (result.contains("workarounds")) extras["workarounds"] = result["workarounds"];
  // Each vendor's runbook, the steps the grid's "after remediation" applied.
  extras["runbooks"] = nlohmann::ordered_json::object();
  for (const std::string& vendor : plan.vendors)
    if (HasRunbook(vendor)) extras["runbooks"][vendor] = remediation::RunbookToJson(*alg::FindRunbook(vendor));
  return report::MatrixPageData(result, runs, extras);
}
/// The matrix's workaround runs and their outcomes (in extra.plan.plan.runs order).
struct WorkaroundRuns {
  matrix::WorkaroundPlan plan;
  std::vector<matrix::RunOutcome> outcomes;
};

}  // namespace

MatrixOutput MatrixJson(const MatrixArguments& args, const MatrixProgress& onProgress) {
  const std::vector<std::string> vendors = Vendors(args.vendors);
  const auto scenarios = Scenarios(args.scenarios);
  const unsigned jobs = JobCount(args.jobs);
  std::optional<std::uint64_t> seed;
  if (args.seed) {
    const scenario::SeedCheck check = scenario::CheckSeed(*args.seed);
    if (!check.seed) throw ScenarioError("--seed " + *args.seed + ": " + check.error);
    seed = *check.seed;
  }
  std::optional<nlohmann::json> golden;
  if (args.golden) golden = ReadGolden(*args.golden);
  std::optional<nlohmann::ordered_json> kernelAccuracy;
  if (args.kernelAccuracy) kernelAccuracy = ReadKernelAccuracy(*args.kernelAccuracy);
  std::vector<const remediation::Workaround*> workarounds;
  if (!args.workarounds) {
    for (const auto& w : remediation::AllWorkarounds()) workarounds.push_back(&w);
  } else if (*args.workarounds != "none") {
    workarounds = remediation::ParseWorkaroundList(*args.workarounds, "--workarounds");
  }
  if (args.outDir && args.outDir->empty()) throw ScenarioError("--out '': empty directory name");
  if (args.junit && args.junit->empty()) throw ScenarioError("--junit '': empty file name");

  std::vector<std::pair<std::string, std::string>> files;
  for (const MatrixScenario& sc : scenarios) files.emplace_back(sc.name, sc.path);
  const std::map<std::string, matrix::VendorKeys> keys = VendorKeys(vendors);
  matrix::Plan plan = matrix::MakePlan(vendors, files, keys, seed);
  for (const MatrixScenario& sc : scenarios) plan.scenarioCost[sc.name] = sc.cost;

  WorkDir work;
  std::error_code ec;
  if (args.outDir) {
    if (fs::exists(*args.outDir, ec) && !fs::is_directory(*args.outDir, ec))
      throw ScenarioError("--out " + *args.outDir + ": exists and is not a directory");
    work.path = (fs::path(*args.outDir) / ".work").string();
    fs::remove_all(work.path, ec);
    fs::create_directories(work.path, ec);
    if (ec) throw ScenarioError("--out " + *args.outDir + ": cannot create the directory (" + ec.message() + ")");
    work.temporary = true;
  } else {
    std::string tmpl = (fs::temp_directory_path() / "alglab-matrix-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("cannot create a temporary directory");
    work.path = tmpl;
    work.temporary = true;
  }

  const matrix::Progress progress = [&](std::size_t done, std::size_t total, double elapsed) {
    if (onProgress) onProgress(done, total, elapsed, false);
  };
  // With --out, every run also records the report's evidence (report.html shows it).
  std::vector<matrix::RunOutcome> outcomes =
      matrix::RunPlan(plan, jobs, work.path, progress, args.outDir.has_value());
  for (const auto& o : outcomes)
    if (!o.ok) throw ScenarioError("matrix run " + o.error);
  // Second round: every cell with a symptom under defaults runs again with the vendor's runbook
  // applied, to show what the vendor's own fix removes and what it leaves.
  std::vector<std::pair<std::string, std::string>> toRemediate;
  for (const std::string& vendor : plan.vendors) {
    if (!HasRunbook(vendor)) continue;
    for (const std::string& sc : plan.scenarios) {
      const auto& on = outcomes[plan.RunOf(vendor, sc, {true, true})].result;
      if (!remediation::PresentSymptoms(on["symptoms"]).empty()) toRemediate.emplace_back(vendor, sc);
    }
  }
  if (!toRemediate.empty()) {
    matrix::Plan second = plan;
    const std::size_t first = matrix::AddRemediatedRuns(plan, toRemediate);
    second.runs.assign(plan.runs.begin() + static_cast<std::ptrdiff_t>(first), plan.runs.end());
    const std::string secondDir = work.path + "/remediated";
    fs::create_directories(secondDir, ec);
    if (ec) throw ScenarioError("cannot create " + secondDir + " (" + ec.message() + ")");
    const std::vector<matrix::RunOutcome> more =
        matrix::RunPlan(second, jobs, secondDir, progress, args.outDir.has_value());
    for (const auto& o : more)
      if (!o.ok) throw ScenarioError("matrix run " + o.error);
    outcomes.insert(outcomes.end(), more.begin(), more.end());
  }
  nlohmann::ordered_json result = matrix::BuildMatrix(plan, outcomes);
  // The second table: workaround runs for the cells with a symptom, in a second round of
  // workers (which cells need them is known only now), in a folder of their own.
  WorkaroundRuns extra;
  extra.plan = matrix::MakeWorkaroundPlan(plan, outcomes, keys, workarounds);
  if (!extra.plan.plan.runs.empty()) {
    const std::string dir = work.path + "/workarounds";
    fs::create_directories(dir, ec);
    if (ec) throw std::runtime_error("cannot create " + dir + ": " + ec.message());
    const matrix::Progress progressWorkarounds = [&](std::size_t done, std::size_t total, double elapsed) {
      if (onProgress) onProgress(done, total, elapsed, true);
    };
    extra.outcomes = matrix::RunPlan(extra.plan.plan, jobs, dir, progressWorkarounds);
    for (const auto& o : extra.outcomes)
      if (!o.ok) throw ScenarioError("matrix workaround run " + o.error);
  }
  {
    std::vector<std::string> symptoms;
    for (const auto& s : result["symptoms"]) symptoms.push_back(s.get<std::string>());
    result["workarounds"] = matrix::BuildWorkaroundTable(plan, outcomes, extra.plan, extra.outcomes, symptoms);
    result["workaround_runs"] = extra.plan.plan.runs.size();
  }

  // The active detector's confusion matrices over the same vendors' configurations (opt-in: it
  // is a hundred more simulations; sim/detect/detect-accuracy.h).
  if (args.detectAccuracy) {
    const std::string sc = detect::kReferenceScenario;
    result["detect_accuracy"] =
        detect::AccuracyToJson(sc, detect::MeasureAccuracy(sc, detect::DetectVariants(plan.vendors, true), jobs));
  }

  // Measured elsewhere (as root, through the real kernel): copied as it was read.
  if (kernelAccuracy) result["kernel_accuracy"] = *kernelAccuracy;

  std::map<std::pair<std::string, std::string>, std::vector<std::string>> differences;
  if (golden) differences = matrix::CompareWithGolden(result, *golden);

  if (args.outDir) {
    WriteFile(fs::path(*args.outDir) / "matrix.json", result.dump(2) + "\n", "--out");
    for (const std::string& vendor : plan.vendors)
      for (const std::string& sc : plan.scenarios)
        for (const matrix::Variant& v : MatrixVariants()) {
          if (!plan.cells.count({vendor, sc, v.Name()})) continue;
          nlohmann::ordered_json run = outcomes[plan.RunOf(vendor, sc, v)].result;
          run["vendor"] = vendor;  // a shared run is the same simulation for every vendor that shares it
          WriteFile(fs::path(*args.outDir) / "runs" / vendor / sc / (v.Name() + ".json"), run.dump(2) + "\n", "--out");
          const nlohmann::ordered_json& evidence = outcomes[plan.RunOf(vendor, sc, v)].evidence;
          WriteFile(fs::path(*args.outDir) / "runs" / vendor / sc / (v.Name() + ".evidence.json"),
                    evidence.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n", "--out");
        }
    WriteFile(fs::path(*args.outDir) / "report.html", report::RenderPage(ReportData(plan, outcomes, result)), "--out");
  }
  if (args.outDir) {
    for (const auto& [cell, refs] : extra.plan.cells) {
      if (refs.second.inBase) continue;  // the matrix's own run, written above
      const auto& [vendor, sc, name] = cell;
      nlohmann::ordered_json run = extra.outcomes[refs.second.index].result;
      run["vendor"] = vendor;
      run["workarounds"] = {name};  // the child ran the settings as plain overrides
      WriteFile(fs::path(*args.outDir) / "runs" / vendor / sc / ("workaround-" + name + ".json"), run.dump(2) + "\n",
                "--out");
    }
  }
  return {std::move(result), std::move(differences)};
}

int MatrixCommand(const MatrixArguments& args) {
  // One progress line per round on stderr: rewritten in place on a terminal, a line per tenth
  // otherwise.
  const bool tty = isatty(STDERR_FILENO) != 0;
  std::size_t lastTenth = 0;
  const MatrixProgress progress = [&](std::size_t done, std::size_t total, double elapsed, bool workarounds) {
    if (done == 1) lastTenth = 0;  // a new round of workers
    std::string line;
    if (workarounds) {
      line = fmt::format("matrix: workarounds: {}/{} runs, {:.1f} s elapsed", done, total, elapsed);
    } else {
      const double left = done == 0 ? 0.0 : elapsed / static_cast<double>(done) * static_cast<double>(total - done);
      line = fmt::format("matrix: {}/{} runs, {:.1f} s elapsed, about {:.0f} s left", done, total, elapsed, left);
    }
    if (tty) {
      std::cerr << "\r" << line << (done == total ? "\n" : "") << std::flush;
    } else if (done * 10 / total > lastTenth || done == total) {
      lastTenth = done * 10 / total;
      std::cerr << line << "\n";
    }
  };
  const MatrixOutput output = MatrixJson(args, progress);
  const nlohmann::ordered_json& result = output.json;
  const auto& differences = output.goldenDifferences;
  if (args.junit) WriteFile(*args.junit, matrix::FormatJunit(result, differences, args.golden.has_value()), "--junit");

  if (args.json) {
    std::cout << result.dump(2) << "\n";
  } else {
    std::cout << matrix::FormatTable(result);
    if (!args.workarounds || *args.workarounds != "none") {
      std::cout << "\nWhich workaround removes which symptom (alglab run --workaround NAME):\n";
      std::vector<std::string> symptoms;
      for (const auto& s : result["symptoms"]) symptoms.push_back(s.get<std::string>());
      std::cout << matrix::FormatWorkaroundTable(result["workarounds"], symptoms);
    }
    if (result.contains("detect_accuracy")) std::cout << "\n" << detect::FormatAccuracy(result["detect_accuracy"]);
    if (result.contains("kernel_accuracy")) {
      std::cout << "\nThrough the real kernel (" << result["kernel_accuracy"]["kernel"].get<std::string>() << "):\n";
      for (const auto& [name, m] : result["kernel_accuracy"]["matrices"].items())
        std::cout << "  " << name << ": " << m["correct"].get<std::size_t>() << "/" << m["total"].get<std::size_t>()
                  << " right (accuracy " << m["accuracy"].get<double>() << ")\n";
    }
  }
  if (!differences.empty()) {
    for (const auto& [cell, lines] : differences)
      for (const auto& line : lines)
        std::cerr << "matrix: " << cell.first << " x " << cell.second << ": " << line << "\n";
    std::cerr << "matrix: " << differences.size() << " cell(s) differ from " << *args.golden << "\n";
    return 1;
  }
  return 0;
}

}  // namespace alglab::cli
