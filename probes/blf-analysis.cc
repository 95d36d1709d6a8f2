#include "probes/blf-analysis.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace alglab::probes {

const char* ToString(MismatchVerdict verdict) {
  switch (verdict) {
    case MismatchVerdict::RebootExcused:
      return "reboot_outage";
    case MismatchVerdict::Pending:
      return "pending";
    case MismatchVerdict::Stale:
      break;
  }
  return "stale";
}

namespace {

struct Step {
  double t;
  std::string state;
};

/// Sorts by time (stable: same-time updates keep arrival order, the last one wins) and drops
/// steps that repeat the previous state.
std::vector<Step> Normalise(std::vector<Step> steps) {
  std::stable_sort(steps.begin(), steps.end(),
                   [](const Step& a, const Step& b) { return a.t < b.t; });
  std::vector<Step> out;
  std::string current = kBlfIdleState;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    // Of several steps at one instant only the last is ever visible.
    if (i + 1 < steps.size() && steps[i + 1].t == steps[i].t) {
      continue;
    }
    if (steps[i].state != current) {
      out.push_back(steps[i]);
      current = steps[i].state;
    }
  }
  return out;
}

void FindMismatches(BlfWatchAnalysis& w, const std::vector<Step>& truth,
                    const std::vector<Step>& lamp, double logEnd, const Thresholds& th,
                    const RebootWindows& reboots) {
  std::string truthNow = kBlfIdleState;
  std::string lampNow = kBlfIdleState;
  bool inRun = false;
  BlfMismatch run;

  auto closeRun = [&](double end, bool open) {
    run.end = end;
    run.open = open;
    double length = run.end - run.start;
    if (length <= th.blfToleranceSeconds) {
      if (open) {
        run.verdict = MismatchVerdict::Pending;
        w.mismatches.push_back(run);
      } else {
        ++w.shortMismatches;
        w.longestShortMismatch = std::max(w.longestShortMismatch, length);
      }
    } else if (!open && reboots.ExcusesEpisode(run.start, run.end)) {
      run.verdict = MismatchVerdict::RebootExcused;
      w.mismatches.push_back(run);
    } else if (open && reboots.EpisodeStillInGrace(run.start, logEnd)) {
      run.verdict = MismatchVerdict::Pending;
      w.mismatches.push_back(run);
    } else {
      run.verdict = MismatchVerdict::Stale;
      w.mismatches.push_back(run);
    }
    inRun = false;
  };

  std::size_t ti = 0;
  std::size_t li = 0;
  while (ti < truth.size() || li < lamp.size()) {
    double t = std::min(ti < truth.size() ? truth[ti].t : logEnd,
                        li < lamp.size() ? lamp[li].t : logEnd);
    bool truthChanged = false;
    while (ti < truth.size() && truth[ti].t == t) {
      truthNow = truth[ti++].state;
      truthChanged = true;
    }
    while (li < lamp.size() && lamp[li].t == t) {
      lampNow = lamp[li++].state;
    }
    if (inRun && (truthChanged || lampNow == truthNow)) {
      closeRun(t, false);
    }
    if (!inRun && lampNow != truthNow) {
      inRun = true;
      run = BlfMismatch{};
      run.start = t;
      run.truthState = truthNow;
      run.lampState = lampNow;
    }
  }
  if (inRun) {
    closeRun(std::max(logEnd, run.start), true);
  }
  w.finalTruth = truthNow;
  w.finalLamp = lampNow;
}

}  // namespace

std::vector<BlfWatchAnalysis> AnalyzeBlf(const ObservationLog& log, const Thresholds& thresholds,
                                         const RebootWindows& reboots) {
  std::map<std::string, std::vector<Step>> truthByExtension;
  for (const BlfTruthRecord& r : log.BlfTruth()) {
    // Several PBXs reporting one extension are merged: the lamp follows whoever is the truth.
    truthByExtension[r.extension].push_back({r.t, r.state});
  }
  std::map<std::pair<std::string, std::string>, std::vector<Step>> lampByWatch;
  for (const auto& watch : log.ExpectedBlfWatches()) {
    lampByWatch[watch];
  }
  for (const BlfLampRecord& r : log.BlfLamps()) {
    lampByWatch[{r.watcher, r.extension}].push_back({r.t, r.state});
  }

  std::map<std::string, std::vector<Step>> truthSteps;
  for (auto& [extension, steps] : truthByExtension) {
    truthSteps[extension] = Normalise(steps);
  }

  const double logEnd = log.EndTime();
  std::vector<BlfWatchAnalysis> result;
  for (auto& [watch, rawLamp] : lampByWatch) {
    BlfWatchAnalysis w;
    w.watcher = watch.first;
    w.extension = watch.second;
    w.configured = log.ExpectedBlfWatches().count(watch) > 0;
    w.lampUpdates = rawLamp.size();
    for (const Step& s : rawLamp) {
      if (w.firstLampUpdate < 0.0 || s.t < w.firstLampUpdate) {
        w.firstLampUpdate = s.t;
      }
    }
    static const std::vector<Step> kNoTruth;
    auto found = truthSteps.find(w.extension);
    const std::vector<Step>& truth = found == truthSteps.end() ? kNoTruth : found->second;
    w.truthChanges = truth.size();
    w.judged = !truth.empty();
    std::vector<Step> lamp = Normalise(rawLamp);
    if (w.judged) {
      FindMismatches(w, truth, lamp, logEnd, thresholds, reboots);
    } else {
      w.finalTruth = kBlfIdleState;
      w.finalLamp = lamp.empty() ? std::string(kBlfIdleState) : lamp.back().state;
    }
    result.push_back(std::move(w));
  }
  return result;
}

}  // namespace alglab::probes
