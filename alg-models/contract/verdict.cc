#include "alg-models/contract/verdict.h"

namespace alglab::alg {

const char* ToString(VerdictKind kind) {
  switch (kind) {
    case VerdictKind::Accept:
      return "accept";
    case VerdictKind::Drop:
      return "drop";
    case VerdictKind::Stolen:
      break;
  }
  return "stolen";
}

}  // namespace alglab::alg
