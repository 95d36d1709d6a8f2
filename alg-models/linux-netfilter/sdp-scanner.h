#ifndef ALGLAB_ALG_MODELS_LINUX_NETFILTER_SDP_SCANNER_H
#define ALGLAB_ALG_MODELS_LINUX_NETFILTER_SDP_SCANNER_H

/// \file
/// How the kernel SIP helper finds SDP lines: it never looks at Content-Type or at the blank
/// line that ends the headers. "The SDP" starts at the first line anywhere in the message that
/// begins with "v=" and a digit; lines are matched by their first two bytes (case-insensitive:
/// "C=" counts), a scan may stop at the first line of a "terminator" type (the first "m=" ends
/// the session part), and inside o=/c= lines the needle "IN IP4 " is searched case-sensitively
/// on that line only, followed by an IPv4 literal (kernel in4_pton rules).

#include "alg-models/linux-netfilter/sip-scanner.h"

#include <cstddef>
#include <string_view>

namespace alglab::linuxnf {

/// The SDP line types the helper knows. Unspecified means "no terminator".
enum class SdpLineKind : std::uint8_t { Unspecified, Version, Owner, Connection, Media };

/// First line of `kind` starting after `from`, stopping (absent) at a line of type `stop`.
/// Found: the value is the version digits, the o=/c= address, or the m= "type port" text.
ScanResult FindSdpLine(std::string_view msg, std::size_t from, std::size_t limit,
                       SdpLineKind kind, SdpLineKind stop);

/// An o= or c= line's address: FindSdpLine plus the parsed address.
struct SdpAddress {
  int status = 0;  ///< 1 found, 0 absent, -1 the line is there but has no IPv4 address
  std::size_t offset = 0;
  std::size_t length = 0;
  Ipv4 address = 0;
};
SdpAddress FindSdpAddress(std::string_view msg, std::size_t from, std::size_t limit,
                          SdpLineKind kind, SdpLineKind stop);

}  // namespace alglab::linuxnf

#endif
