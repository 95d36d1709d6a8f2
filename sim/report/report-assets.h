#ifndef ALGLAB_REPORT_REPORT_ASSETS_H
#define ALGLAB_REPORT_REPORT_ASSETS_H

// The script and style text the report pages embed, compiled into the binary
// (sim/report/CMakeLists.txt, embed-asset.cmake): Debian's dygraphs (libjs-dygraphs, read at
// build time from /usr/share/javascript/dygraphs) and our own assets/report.{js,css}.

namespace alglab::report::assets {

extern const char kDygraphJs[];
extern const char kDygraphCss[];
extern const char kReportJs[];
extern const char kReportCss[];

}  // namespace alglab::report::assets

#endif
