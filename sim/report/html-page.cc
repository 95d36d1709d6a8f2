#include "sim/report/html-page.h"

#include "sim/report/report-assets.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace alglab::report {

namespace {

std::string EscapeHtml(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

/// JSON that may sit inside a <script> element: "</script" or "<!--" would end or change it,
/// so every '<' (only ever inside a JSON string) is written as \u003c, the same string to a
/// JSON parser. Bytes that are not UTF-8 become U+FFFD.
std::string ScriptSafeJson(const nlohmann::ordered_json& data) {
  const std::string json = data.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  std::string out;
  out.reserve(json.size() + 64);
  for (char c : json) {
    if (c == '<') out += "\\u003c";
    else out += c;
  }
  return out;
}

}  // namespace

std::string RenderPage(const nlohmann::ordered_json& data) {
  std::string page;
  page += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  page += "<meta name=\"generator\" content=\"alglab\">\n";
  page += "<title>" + EscapeHtml(data.value("title", std::string("alglab report"))) + "</title>\n";
  page += "<style>\n" + std::string(assets::kDygraphCss) + "\n</style>\n";
  page += "<style>\n" + std::string(assets::kReportCss) + "\n</style>\n";
  page += "</head>\n<body>\n<div id=\"app\"><noscript>This report needs JavaScript.</noscript></div>\n";
  page += "<script type=\"application/json\" id=\"report-data\">" + ScriptSafeJson(data) + "</script>\n";
  page += "<script>\n" + std::string(assets::kDygraphJs) + "\n</script>\n";
  page += "<script>\n" + std::string(assets::kReportJs) + "\n</script>\n";
  page += "</body>\n</html>\n";
  return page;
}

bool WriteFileAtomically(const std::string& path, const std::string& text) {
  const std::string partial = path + ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out || !(out << text) || !out.flush()) {
      std::remove(partial.c_str());
      return false;
    }
  }
  std::error_code ec;
  std::filesystem::rename(partial, path, ec);
  if (ec) std::filesystem::remove(partial, ec);
  return !ec;
}

}  // namespace alglab::report
