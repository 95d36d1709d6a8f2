#include "sim/nat/nat-types.h"

namespace alglab::nat {

const char* ToString(L4Protocol protocol) {
  switch (protocol) {
    case L4Protocol::Tcp:
      return "tcp";
    case L4Protocol::Udp:
      return "udp";
  }
  return "unknown";
}

const char* ToString(Direction direction) {
  return direction == Direction::Outbound ? "outbound" : "inbound";
}

std::ostream& operator<<(std::ostream& os, const Endpoint& endpoint) {
  return os << endpoint.address << ':' << endpoint.port;
}

std::ostream& operator<<(std::ostream& os, const FiveTuple& tuple) {
  return os << ToString(tuple.protocol) << ' ' << tuple.source << " > " << tuple.destination;
}

}  // namespace alglab::nat
