# Writes a C++ file defining one text file as a string constant
# (cmake -DIN=... -DOUT=... -DNAME=... -DREL=... -P embed-asset.cmake). The report pages embed
# these, so a page opens without the network and the binary needs no data files at run time.
# A trailing "sourceMappingURL" comment is dropped: the page has no map file beside it.
file(READ "${IN}" ALGLAB_ASSET_TEXT)
string(REGEX REPLACE "\n?(//|/\\*)# sourceMappingURL=[^\n]*\n?$" "\n" ALGLAB_ASSET_TEXT "${ALGLAB_ASSET_TEXT}")
string(FIND "${ALGLAB_ASSET_TEXT}" ")ALGLAB_ASSET\"" ALGLAB_DELIMITER_AT)
if(NOT ALGLAB_DELIMITER_AT EQUAL -1)
  message(FATAL_ERROR "${REL}: contains the embedding delimiter )ALGLAB_ASSET\"")
endif()
file(WRITE "${OUT}.tmp" "// Generated from ${REL}: do not edit.\n#include \"sim/report/report-assets.h\"\n\nnamespace alglab::report::assets {\nextern const char ${NAME}[] = R\"ALGLAB_ASSET(${ALGLAB_ASSET_TEXT})ALGLAB_ASSET\";\n}  // namespace alglab::report::assets\n")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
