#ifndef ALGLAB_ALG_MODELS_CONTRACT_MECHANISMS_KNOB_LIST_H
#define ALGLAB_ALG_MODELS_CONTRACT_MECHANISMS_KNOB_LIST_H

/// \file
/// The one reading of a comma-separated list knob ("via,contact", "5060, 5070"), shared by the
/// mechanisms so every list knob accepts the same spelling.

#include <string>
#include <vector>

namespace alglab::alg {

/// Splits "a,b,c": blanks around items are ignored, empty items skipped.
std::vector<std::string> SplitKnobList(const std::string& text);

}  // namespace alglab::alg

#endif
