#ifndef ALGLAB_SCENARIO_VENDOR_ROUTER_SETTINGS_H
#define ALGLAB_SCENARIO_VENDOR_ROUTER_SETTINGS_H

/// \file
/// A vendor model's plain-NAT defaults meet the scenario's router settings. A model file may
/// state router knobs (its `router:` section, and knobs with `sets: [router.<knob>]`, by the
/// router knob names of this schema); the router is built with, for each router knob, the
/// first of:
///
///   timeline `set` (later, while running)
///   > `--set router.<knob>` > the scenario file's `router.<knob>`
///   > the vendor model's `router:` defaults and its knobs' defaults
///   > the knob table's default.
///
/// A scenario's `router.alg.<vendor knob>` that sets a router knob counts as the scenario
/// stating it, with its origin's rank (--set above the file); stating the same router knob both
/// ways at one rank is refused. The vendor is known only when the router is built
/// (`alglab run --vendor` replaces the scenario's), so this runs then. This file also installs
/// the check that model files name real router knobs with valid values (alg::SetRouterKnobCheck).

#include "alg-models/contract/alg-model.h"
#include "sim/scenario/knob-table.h"
#include "sim/scenario/scenario-spec.h"

#include <string>
#include <vector>

namespace alglab::scenario {

/// One router knob a vendor model states, validated against the knob table.
struct VendorRouterSetting {
  const KnobDef* knob = nullptr;
  KnobValue value;
  std::string vendorKnob;  ///< the vendor knob that set it; "" for the model file's `router:`
};

/// The router knobs `model` states, in knob-table order (none for nullptr or a C++ model).
/// Throws ScenarioError for one the knob table refuses (a model file's check prevents it).
std::vector<VendorRouterSetting> VendorRouterSettings(const alg::AlgModel* model);

/// One router knob as the router is built: its value as written and where it came from
/// ("default", "vendor", "vendor knob '<name>'", "scenario" or "router.alg.<name>").
struct EffectiveRouterKnob {
  const KnobDef* knob = nullptr;
  std::string text;
  std::string from;
};

/// Applies the precedence above: `router.knobs` with the vendor's settings where the scenario
/// states nothing, and every router knob's effective value (knob-table order) in `effective`.
/// `model` is the ALG built with the scenario's vendor knobs. Throws ScenarioError naming the
/// origin when one rank states a router knob twice.
KnobSettings ResolveRouterKnobs(const RouterSpec& router, const alg::AlgModel* model,
                                std::vector<EffectiveRouterKnob>& effective);

/// The router changes a timeline `set router.alg.<knob>` brings with it: (attribute, attribute
/// text) for each router knob that vendor knob sets in `model` (built with the new value).
std::vector<std::pair<std::string, std::string>> RouterChangesOf(const alg::AlgModel& model,
                                                                 const std::string& vendorKnob);

}  // namespace alglab::scenario

#endif
