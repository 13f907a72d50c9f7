# Makefile: one-command set-up on Debian (installs what is missing), build, demo and tests.
BUILD ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# Everything the build, the tests and the demo need, as Debian packages.
APT_PACKAGES = cmake make g++ pkg-config libicu-dev libxapian-dev xapian-tools zlib1g-dev \
               libjansson-dev libcmocka-dev libsqlite3-dev sqlite3 jq gzip time \
               clang libclang-rt-14-dev clang-format valgrind util-linux python3 \
               libmicrohttpd-dev curl python3-pytest \
               chromium chromium-driver python3-selenium

.PHONY: all deps build demo check test format format-check bench bench-small bench-qa stress fuzz \
        fuzz-build valgrind clean

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

# The build installs nothing: deps is its own step, which demo, test and bench run first.
# Tests and benchmarks are optional in CMake (so the library alone needs neither cmocka nor
# SQLite); this build turns both on.
BENCH ?= ON
build:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DVNS_BUILD_TESTS=ON \
	  -DVNS_BUILD_BENCH=$(BENCH) >/dev/null
	cmake --build $(BUILD) -j$(JOBS)

demo: deps build
	./$(BUILD)/vnindex corpus/
	./$(BUILD)/vnsearch chuyen doi so

# The C and C++ sources, formatted by .clang-format (format rewrites them; format-check fails on
# any difference and names the file).
SOURCES = $(shell git ls-files '*.c' '*.h' '*.cc' 2>/dev/null)
format:
	clang-format -i $(SOURCES)
format-check:
	clang-format --dry-run --Werror $(SOURCES)

# The quick loop while developing: the normal build (without the benchmarks) and its ctest
# suite only.
check: BENCH = OFF
check: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

# What CI runs: the format check, then the whole suite twice: the normal build, then under
# AddressSanitizer + UndefinedBehaviorSanitizer (any report fails the test that triggered it),
# then the fuzz targets briefly.
test: deps build format-check
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)
	cmake -S . -B $(BUILD)-asan -DCMAKE_BUILD_TYPE=Debug -DVNS_SANITIZE=ON -DVNS_BUILD_TESTS=ON >/dev/null
	cmake --build $(BUILD)-asan -j$(JOBS)
	cd $(BUILD)-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1 \
	  ctest --output-on-failure -j$(JOBS)
	$(MAKE) fuzz-build
	cd $(BUILD)-fuzz && ctest --output-on-failure -j$(JOBS)

# The benchmark against SQLite FTS5 on ../shared/corpus (figures, not pass/fail).
bench: deps build
	tests/bench/run.sh $(BUILD)

bench-small: deps build
	tests/bench/run.sh --small $(BUILD)

# Questions -> passages (../shared/corpus/qa): nDCG@10, MRR@10, R@10, P@1 against FTS5 and BM25.
bench-qa: deps build
	tests/bench/qa.sh $(BUILD)

# libFuzzer targets (analyzer, query parser, JSONL reader), FUZZ_SECONDS each; a crash leaves its
# input in build-fuzz/fuzz/: fix it, then keep the input in tests/fuzz/regress/<target>/.
FUZZ_SECONDS ?= 60
fuzz-build:
	CC=clang CXX=clang++ cmake -S . -B $(BUILD)-fuzz -DVNS_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(BUILD)-fuzz -j$(JOBS)

fuzz: deps fuzz-build
	for t in analyzer query jsonl; do \
	  (cd $(BUILD)-fuzz/fuzz && ./fuzz_$$t work_$$t ../../tests/fuzz/seeds/$$t ../../tests/fuzz/regress/$$t \
	    -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -print_final_stats=1) || exit 1; \
	done

# Every CLI test with each vnindex and vnsearch run under valgrind (slow: minutes).
valgrind: build
	cd $(BUILD) && VNS_VALGRIND=1 ctest --output-on-failure -j$(JOBS) -R '^cli_' -E 'install_embed|valgrind_cli'

# Long reliability runs on all of VNTC: 20 SIGKILLs during a build, 3 during a --jobs merge, and
# 3 --jobs builds with a plain writer started during them.
stress: build
	KILLS=20 DOCS=all MERGE_KILLS=3 CONCURRENT=3 bash tests/cli/crash_kill.sh $(BUILD) .

clean:
	rm -rf $(BUILD) $(BUILD)-asan $(BUILD)-fuzz vnsearch.db
