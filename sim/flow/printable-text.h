#ifndef ALGLAB_FLOW_PRINTABLE_TEXT_H
#define ALGLAB_FLOW_PRINTABLE_TEXT_H

/// \file
/// Datagram bytes shown to a person (error messages, diffs): flows and ALG output may hold any
/// byte, and a control or non-ASCII byte must not break a line or a terminal.

#include <cstddef>
#include <string>
#include <string_view>

namespace alglab::flow {

/// `text` with every byte outside printable ASCII written as \xNN; at most `maxBytes` input
/// bytes are shown, followed by "..." when more were cut.
std::string PrintableText(std::string_view text, std::size_t maxBytes = std::string_view::npos);

}  // namespace alglab::flow

#endif  // ALGLAB_FLOW_PRINTABLE_TEXT_H
