# Writes a C++ file that registers one model or composition file's text
# (cmake -DIN=... -DOUT=... -DREL=... -DREGISTER=RegisterModelFile|RegisterCompositionFile -P).
# The text goes in a raw string literal, so the model file may hold any character but the
# delimiter below.
file(READ "${IN}" ALGLAB_MODEL_TEXT)
string(FIND "${ALGLAB_MODEL_TEXT}" ")ALGLAB_MODEL\"" ALGLAB_DELIMITER_AT)
if(NOT ALGLAB_DELIMITER_AT EQUAL -1)
  message(FATAL_ERROR "${REL}: contains the embedding delimiter )ALGLAB_MODEL\"")
endif()
file(WRITE "${OUT}.tmp" "// Generated from ${REL}: do not edit.\n#include \"alg-models/contract/alg-model-registry.h\"\n#include \"alg-models/contract/config-map.h\"\n#include \"alg-models/contract/model-file.h\"\n#include \"alg-models/contract/runbook.h\"\n\nnamespace {\nconst bool g_registered = ::alglab::alg::${REGISTER}(\"${REL}\", R\"ALGLAB_MODEL(${ALGLAB_MODEL_TEXT})ALGLAB_MODEL\");\n}  // namespace\n")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
