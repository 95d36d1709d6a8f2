#include "alg-models/linux-netfilter/sdp-scanner.h"

#include <optional>

namespace alglab::linuxnf {

namespace {

constexpr std::string_view kIpv4Needle = "IN IP4 ";

bool IsLineBreak(char c) { return c == '\r' || c == '\n'; }

std::string_view PrefixOf(SdpLineKind kind) {
  switch (kind) {
    case SdpLineKind::Version:
      return "v=";
    case SdpLineKind::Owner:
      return "o=";
    case SdpLineKind::Connection:
      return "c=";
    case SdpLineKind::Media:
      return "m=";
    case SdpLineKind::Unspecified:
      break;
  }
  return "";
}

/// Case-sensitive search for `needle` on the current line only.
std::optional<std::size_t> SearchSdpLine(std::string_view msg, std::size_t from,
                                         std::size_t limit, std::string_view needle) {
  if (limit < needle.size()) return std::nullopt;
  const std::size_t last = limit - needle.size();
  for (std::size_t pos = from; pos < last; ++pos) {
    if (IsLineBreak(msg[pos])) break;
    if (EqualsAt(msg, pos, needle)) return pos;
  }
  return std::nullopt;
}

/// "letters SP digits" (the media type and port of an m= line), 0 without the space.
std::size_t MediaLength(std::string_view msg, std::size_t pos, std::size_t limit) {
  const std::size_t letters = LetterRunLength(msg, pos, limit);
  const std::size_t space = pos + letters;
  if (space >= limit || msg[space] != ' ') return 0;
  return letters + 1 + DigitRunLength(msg, space + 1, limit);
}

}  // namespace

ScanResult FindSdpLine(std::string_view msg, std::size_t from, std::size_t limit,
                       SdpLineKind kind, SdpLineKind stop) {
  const std::string_view prefix = PrefixOf(kind);
  const std::string_view stopPrefix = PrefixOf(stop);
  for (std::size_t pos = from; pos < limit; ++pos) {
    if (!IsLineBreak(msg[pos])) continue;
    if (++pos >= limit) break;
    if (msg[pos - 1] == '\r' && msg[pos] == '\n') {
      if (++pos >= limit) break;
    }
    if (!stopPrefix.empty() && limit - pos >= stopPrefix.size() &&
        EqualsNoCaseAt(msg, pos, stopPrefix)) {
      break;
    }
    if (limit - pos >= prefix.size() && EqualsNoCaseAt(msg, pos, prefix)) {
      pos += prefix.size();
    } else {
      continue;
    }
    const std::size_t lineValue = pos;
    std::size_t length = 0;
    switch (kind) {
      case SdpLineKind::Owner:
      case SdpLineKind::Connection: {
        const std::optional<std::size_t> hit = SearchSdpLine(msg, pos, limit, kIpv4Needle);
        if (!hit) return ScanResult{-1, lineValue, 0};
        pos = *hit + kIpv4Needle.size();
        const DottedQuad quad = ParseDottedQuad(msg, pos, limit);
        length = quad.ok ? quad.end - pos : 0;
        break;
      }
      case SdpLineKind::Version:
        length = DigitRunLength(msg, pos, limit);
        break;
      case SdpLineKind::Media:
        length = MediaLength(msg, pos, limit);
        break;
      case SdpLineKind::Unspecified:
        break;
    }
    if (length == 0) return ScanResult{-1, lineValue, 0};
    return ScanResult{1, pos, length};
  }
  return ScanResult{};
}

SdpAddress FindSdpAddress(std::string_view msg, std::size_t from, std::size_t limit,
                          SdpLineKind kind, SdpLineKind stop) {
  const ScanResult line = FindSdpLine(msg, from, limit, kind, stop);
  SdpAddress result;
  result.status = line.status;
  result.offset = line.offset;
  result.length = line.length;
  if (line.status <= 0) return result;
  const DottedQuad quad = ParseDottedQuad(msg, line.offset, line.offset + line.length);
  if (!quad.ok) {
    result.status = -1;
    return result;
  }
  result.address = quad.address;
  return result;
}

}  // namespace alglab::linuxnf
