#ifndef ALGLAB_PROBES_PROBE_ERRORS_H
#define ALGLAB_PROBES_PROBE_ERRORS_H

// Typed errors of the probes area. Bad input never crashes a probe: it raises one of these,
// each naming what was wrong, so a scenario run can report it instead of aborting.

#include <stdexcept>

namespace alglab::probes {

/// An observation handed to ObservationLog is malformed (e.g. a non-finite time).
class ObservationError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// Thresholds hold values that make detection meaningless (negative, NaN, a ratio above 1).
class ThresholdError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// The collector cannot wire a device: a null object, or a trace source it needs is missing.
class ProbeWiringError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace alglab::probes

#endif
