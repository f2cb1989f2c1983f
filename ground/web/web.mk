# The operator's web console. Included by the top Makefile from the repository root.
#   make web        npm ci (only when node_modules is missing or the lock changed), check that
#                   src/api-types.ts matches the API's OpenAPI, then build
#   make web-check  the same check, and type-check the console's TypeScript
#   make api-types  regenerate src/api-types.ts from the API's OpenAPI (after changing the API
#                   or the dictionary; commit it with the change)
#   make web-clean  remove the build output
WEB_DIR := ground/web
WEB_SRC := $(wildcard $(WEB_DIR)/src/*.ts $(WEB_DIR)/src/*.css $(WEB_DIR)/src/*.html)
WEB_STAMP := $(WEB_DIR)/node_modules/.package-lock.json
# The OpenAPI document, made without a running ground (ground/api/openapi.py).
OPENAPI_DUMP := $(BIN)/python -m ground.api.openapi

.PHONY: web web-check web-clean api-types api-types-check

web: api-types-check $(WEB_DIR)/dist/index.html

$(WEB_STAMP): $(WEB_DIR)/package.json $(WEB_DIR)/package-lock.json
	cd $(WEB_DIR) && npm ci --no-audit --no-fund
	@touch $@

$(WEB_DIR)/dist/index.html: $(WEB_STAMP) $(WEB_SRC) $(WEB_DIR)/build.mjs
	cd $(WEB_DIR) && node build.mjs

# Every time: the API can change without any file of the console changing.
api-types-check: $(WEB_STAMP)
	set -o pipefail; $(OPENAPI_DUMP) | node $(WEB_DIR)/api-types.mjs --check

api-types: $(WEB_STAMP)
	set -o pipefail; $(OPENAPI_DUMP) | node $(WEB_DIR)/api-types.mjs --write

web-check: api-types-check
	cd $(WEB_DIR) && npx --no-install tsc --noEmit

web-clean:
	rm -rf $(WEB_DIR)/dist
