# Leeromgeving Werken 2.0. `make run` and `make test` work on a fresh machine.
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)

.PHONY: run build test test-deps vet bench fuzz conformance clean

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/leeromgeving ./cmd/leeromgeving

## run: serve on http://localhost:8080 (own PostgreSQL in ./var when DATABASE_URL is unset)
run: build
	./bin/leeromgeving serve

## test: every test, with the race detector, on one throwaway PostgreSQL cluster, plus the browser tests
test: test-deps vet
	$(GO) run ./internal/testdb/withpg -- $(GO) test -race -count=1 -timeout 30m ./...

## conformance: the credentials against 1EdTech's Open Badges 3.0 JSON Schemas in OB3_SCHEMA_DIR
OB3_SCHEMA_DIR ?= ../shared/reference/openbadges-3.0
conformance:
	@test -f "$(OB3_SCHEMA_DIR)/achievementcredential.json" || (echo "conformance: no Open Badges 3.0 schemas in $(OB3_SCHEMA_DIR) (set OB3_SCHEMA_DIR)"; exit 1)
	OB3_SCHEMA_DIR="$(abspath $(OB3_SCHEMA_DIR))" $(GO) run ./internal/testdb/withpg -- $(GO) test -tags conformance -count=1 -v -run '^TestConformance' ./internal/certify/

## vet: gofmt, go vet and staticcheck (pinned here, fetched through the module proxy)
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
vet:
	@test -z "$$(gofmt -l cmd internal migrations views)" || (echo "gofmt needed:"; gofmt -l cmd internal migrations views; exit 1)
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

test-deps:
	@scripts/ensure-deps.sh test

## bench: load the running binary with wrk and write BENCHMARKS.md
bench: build
	@scripts/ensure-deps.sh bench
	mkdir -p var && $(GO) run ./internal/testdb/withpg -- $(GO) test -run '^$$' -bench . -benchmem ./... | tee var/bench-go.txt
	scripts/bench.sh

## fuzz: run each fuzz target for FUZZTIME (default 30s)
FUZZTIME ?= 30s
fuzz: test-deps
	@for t in $$(grep -rhoE 'func (Fuzz[A-Za-z0-9_]+)' --include='*_test.go' internal cmd | sed 's/func //' | sort -u); do \
		pkg=$$(grep -rlE "func $$t\(" --include='*_test.go' internal cmd | xargs dirname); \
		echo "== $$t ($$pkg)"; \
		$(GO) run ./internal/testdb/withpg -- $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) ./$$pkg || exit 1; \
	done

clean:
	rm -rf bin
