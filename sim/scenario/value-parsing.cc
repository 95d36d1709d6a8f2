#include "sim/scenario/value-parsing.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <sstream>
#include <utility>

namespace alglab::scenario {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// Length of the plain decimal number at the start of `s` ("12", "0.5", ".5", "1e3", "2.5E-3"),
/// 0 if there is none. strtod alone would also take "inf", "nan" and hex ("0x10"), which no
/// scenario file needs and which would let "0x10s" pass for sixteen seconds.
std::size_t DecimalLength(const std::string& s) {
  std::size_t i = 0, digits = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  }
  if (digits == 0) return 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
    const std::size_t expStart = j;
    while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
    if (j > expStart) i = j;
  }
  return i;
}

/// Splits "12.5ms" into 12.5 and "ms"; nullopt if there is no leading finite decimal number.
std::optional<std::pair<double, std::string>> NumberAndUnit(std::string_view text) {
  const std::string s(text);
  const std::size_t n = DecimalLength(s);
  if (n == 0) return std::nullopt;
  const double v = std::strtod(s.substr(0, n).c_str(), nullptr);
  if (!std::isfinite(v)) return std::nullopt;  // "1e999s"
  return std::make_pair(v, Lower(std::string_view(s).substr(n)));
}

}  // namespace

std::optional<double> ParseDuration(std::string_view text) {
  auto nu = NumberAndUnit(text);
  if (!nu || nu->first < 0) return std::nullopt;
  static const std::array<std::pair<const char*, double>, 5> kUnits{
      {{"ms", 1e-3}, {"s", 1.0}, {"min", 60.0}, {"h", 3600.0}, {"us", 1e-6}}};
  for (const auto& [unit, scale] : kUnits) {
    if (nu->second == unit) return nu->first * scale;
  }
  return std::nullopt;
}

std::optional<bool> ParseBool(std::string_view text) {
  const std::string s = Lower(text);
  if (s == "true" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "no" || s == "off") return false;
  return std::nullopt;
}

std::optional<double> ParseRatio(std::string_view text) {
  auto nu = NumberAndUnit(text);
  if (!nu) return std::nullopt;
  double v = nu->first;
  if (nu->second == "%") v /= 100.0;
  else if (!nu->second.empty()) return std::nullopt;
  if (v < 0.0 || v > 1.0) return std::nullopt;
  return v;
}

std::optional<std::uint64_t> ParseUnsigned(std::string_view text) {
  std::uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

std::optional<DataRateText> ParseDataRate(std::string_view text) {
  auto nu = NumberAndUnit(text);
  if (!nu || nu->first <= 0) return std::nullopt;
  static const std::array<std::pair<const char*, double>, 4> kUnits{
      {{"bps", 1.0}, {"kbps", 1e3}, {"mbps", 1e6}, {"gbps", 1e9}}};
  for (const auto& [unit, scale] : kUnits) {
    if (nu->second != unit) continue;
    std::string u = unit;
    if (u == "mbps" || u == "gbps") u[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(u[0])));
    // The shortest spelling of the number that reads back as the same double, so ns-3's
    // DataRate parser gets "1234567Mbps", never "1.23457e+06Mbps".
    std::string number;
    for (int precision = 6; precision <= 17; ++precision) {
      std::ostringstream os;
      os << std::setprecision(precision) << nu->first;
      number = os.str();
      if (std::strtod(number.c_str(), nullptr) == nu->first) break;
    }
    return DataRateText{nu->first * scale, number + u};
  }
  return std::nullopt;
}

std::string FormatSeconds(double seconds) {
  std::ostringstream os;
  os << seconds << "s";
  return os.str();
}

}  // namespace alglab::scenario
