# The operator's web console. Included by the top Makefile from the repository root.
#   make web        npm ci (only when node_modules is missing or the lock changed), then build
#   make web-check  type-check the console's TypeScript
#   make web-clean  remove the build output
WEB_DIR := ground/web
WEB_SRC := $(wildcard $(WEB_DIR)/src/*.ts $(WEB_DIR)/src/*.css $(WEB_DIR)/src/*.html)
WEB_STAMP := $(WEB_DIR)/node_modules/.package-lock.json

.PHONY: web web-check web-clean

web: $(WEB_DIR)/dist/index.html

$(WEB_STAMP): $(WEB_DIR)/package.json $(WEB_DIR)/package-lock.json
	cd $(WEB_DIR) && npm ci --no-audit --no-fund
	@touch $@

$(WEB_DIR)/dist/index.html: $(WEB_STAMP) $(WEB_SRC) $(WEB_DIR)/build.mjs
	cd $(WEB_DIR) && node build.mjs

web-check: $(WEB_STAMP)
	cd $(WEB_DIR) && npx --no-install tsc --noEmit

web-clean:
	rm -rf $(WEB_DIR)/dist
