#ifndef ALGLAB_REPORT_HTML_PAGE_H
#define ALGLAB_REPORT_HTML_PAGE_H

// The self-contained report page: one HTML file with dygraphs, our script and styles, and the
// page's data (report-data.h) inlined, so it opens from disk without any network access. The
// data sits in <script type="application/json" id="report-data">, where tests read it too.

#include <nlohmann/json.hpp>

#include <string>

namespace alglab::report {

/// The page for `data` (its "title" is the page's title). Same data, same bytes.
std::string RenderPage(const nlohmann::ordered_json& data);

/// Writes `text` to `path` through a temporary file and a rename; false if it cannot.
bool WriteFileAtomically(const std::string& path, const std::string& text);

}  // namespace alglab::report

#endif
