# Makefile: one-command set-up on Debian (installs what is missing), build, demo and tests.
BUILD ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# Everything the build, the tests and the demo need, as Debian packages.
APT_PACKAGES = cmake make g++ pkg-config libicu-dev libxapian-dev xapian-tools zlib1g-dev \
               libjansson-dev libcmocka-dev libsqlite3-dev sqlite3 jq gzip time

.PHONY: all deps build demo test bench bench-small stress clean

all: build

# Installs missing packages with apt-get when run as root; otherwise prints the exact command.
deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	  else \
	    echo "missing packages; run: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) >/dev/null
	cmake --build $(BUILD) -j$(JOBS)

demo: build
	./$(BUILD)/vnindex corpus/
	./$(BUILD)/vnsearch chuyen doi so

# The whole suite twice: the normal build, then under AddressSanitizer + UndefinedBehaviorSanitizer
# (any report fails the test that triggered it).
test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)
	cmake -S . -B $(BUILD)-asan -DCMAKE_BUILD_TYPE=Debug -DVNS_SANITIZE=ON >/dev/null
	cmake --build $(BUILD)-asan -j$(JOBS)
	cd $(BUILD)-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1 \
	  ctest --output-on-failure -j$(JOBS)

# The benchmark against SQLite FTS5 on ../shared/corpus (figures, not pass/fail).
bench: build
	tests/bench/run.sh $(BUILD)

bench-small: build
	tests/bench/run.sh --small $(BUILD)

# Long reliability runs: 20 SIGKILLs during a build of all of VNTC.
stress: build
	KILLS=20 DOCS=all bash tests/cli/crash_kill.sh $(BUILD) .

clean:
	rm -rf $(BUILD) vnsearch.db
