# SPDX-License-Identifier: GPL-2.0-or-later
# nslab — build, test, benchmark, install.
#
#   make            build build/nslab and build/nslab-switchd
#   make demo       install missing Debian packages, build, run the seed network in a sandbox
#   make check      install missing Debian packages, build, run every test
#   make check SANITIZE=1   the same, built with ASan + UBSan (clang)
#   make fuzz       build the libFuzzer targets (clang); FUZZ_SECONDS=N runs each for N s
#   make bench      benchmarks against the peers (run alone on the machine)
#   make lint       clang-tidy + cppcheck
#   make install    PREFIX=/usr/local

PREFIX   ?= /usr/local
DESTDIR  ?=
SANITIZE ?=
V        ?=

VERSION  := 0.1.0
PKGS := libmnl libnftables yaml-0.1 jansson libpcap libedit

ifeq ($(SANITIZE),1)
CC       := clang
BUILD    ?= build/san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT      := -O1
else
CC       ?= cc
BUILD    ?= build
SANFLAGS :=
OPT      := -O2
endif

CPPFLAGS += -D_GNU_SOURCE -DNSLAB_VERSION='"$(VERSION)"' -Isrc $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
CFLAGS   += -std=c17 $(OPT) -g -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
            -fno-strict-aliasing $(SANFLAGS) -MMD -MP
LDFLAGS  += $(SANFLAGS)
LDLIBS   += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread

ifeq ($(V),)
Q := @
E := @echo
else
Q :=
E := @true
endif

# The library: everything but the two programs' front ends.
LIB_DIRS  := src/common src/topo src/kernel src/lab src/openflow
LIB_SRCS  := $(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c))
SW_SRCS   := $(filter-out src/switch/switchd.c,$(wildcard src/switch/*.c))
CLI_SRCS  := $(wildcard src/cli/*.c)
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o)
SW_OBJS   := $(SW_SRCS:%.c=$(BUILD)/%.o)
CLI_OBJS  := $(CLI_SRCS:%.c=$(BUILD)/%.o)

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
UNIT_HELPER_SRCS := $(filter-out $(UNIT_SRCS),$(wildcard tests/unit/*.c))
UNIT_HELPER_OBJS := $(UNIT_HELPER_SRCS:%.c=$(BUILD)/%.o)
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
# Each fuzz target also builds against a plain driver that replays its corpus,
# so `make check` runs every target over its seeds without libFuzzer.
REPLAY_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/tests/replay_%)

PROGS := $(BUILD)/nslab $(if $(wildcard src/switch/switchd.c),$(BUILD)/nslab-switchd)
# Man pages are written once, as doc/*.md, and turned into roff here.
MANS := $(BUILD)/man/nslab.8 $(BUILD)/man/nslab-switchd.8 $(BUILD)/man/nslab-topology.5
MAN_DATE := $(shell git log -1 --format=%cs 2>/dev/null || date +%F)
all: $(PROGS) $(MANS)

$(BUILD)/man/nslab.8: doc/nslab.md scripts/md2man
$(BUILD)/man/nslab-switchd.8: doc/nslab-switchd.md scripts/md2man
$(BUILD)/man/nslab-topology.5: doc/topology.md scripts/md2man
$(MANS):
	@mkdir -p $(dir $@)
	$(E) "  MAN     $@"
	$(Q)python3 scripts/md2man $(subst .,,$(suffix $@)) $(MAN_DATE) <$< >$@

# Tests include their helpers (isolate.h) by plain name.
$(BUILD)/tests/%.o: CPPFLAGS += -Itests/unit

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(E) "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/libnslab.a: $(LIB_OBJS) $(SW_OBJS)
	$(E) "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/nslab: $(CLI_OBJS) $(BUILD)/libnslab.a
	$(E) "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $(CLI_OBJS) $(BUILD)/libnslab.a $(LDLIBS)

$(BUILD)/nslab-switchd: $(BUILD)/src/switch/switchd.o $(BUILD)/libnslab.a
	$(E) "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(BUILD)/libnslab.a $(LDLIBS)

$(BUILD)/tests/test_%: $(BUILD)/tests/unit/test_%.o $(UNIT_HELPER_OBJS) $(BUILD)/libnslab.a
	@mkdir -p $(dir $@)
	$(E) "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(UNIT_HELPER_OBJS) $(BUILD)/libnslab.a $(LDLIBS) -lcmocka

$(BUILD)/tests/replay_%: $(BUILD)/tests/fuzz/%.o $(BUILD)/tests/fuzz/replay.o $(BUILD)/libnslab.a
	@mkdir -p $(dir $@)
	$(E) "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(BUILD)/tests/fuzz/replay.o $(BUILD)/libnslab.a $(LDLIBS)

tests: all $(UNIT_BINS) $(REPLAY_BINS)

deps:
	@scripts/install-deps

check: deps
	@$(MAKE) --no-print-directory tests
	@BUILD=$(BUILD) tests/run

demo: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) scripts/demo

bench: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) bench/run

# libFuzzer builds: clang, ASan + UBSan, one binary per target.
FUZZ_BUILD := build/fuzz
FUZZ_SECONDS ?= 0
fuzz: deps
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang \
	  SANFLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	  $(FUZZ_SRCS:tests/fuzz/%.c=$(FUZZ_BUILD)/fuzz/%)
	@if [ "$(FUZZ_SECONDS)" != 0 ]; then for f in $(FUZZ_SRCS:tests/fuzz/%.c=%); do \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$f; \
	  $(FUZZ_BUILD)/fuzz/$$f -max_total_time=$(FUZZ_SECONDS) $(FUZZ_BUILD)/corpus/$$f tests/fuzz/corpus/$$f || exit 1; \
	done; fi

$(FUZZ_BUILD)/fuzz/%: $(FUZZ_BUILD)/tests/fuzz/%.o $(FUZZ_BUILD)/libnslab.a
	@mkdir -p $(dir $@)
	$(E) "  LD      $@"
	$(Q)clang -fsanitize=fuzzer,address,undefined -o $@ $< $(FUZZ_BUILD)/libnslab.a $(LDLIBS)

lint:
	clang-tidy --quiet $(LIB_SRCS) $(SW_SRCS) $(CLI_SRCS) src/switch/switchd.c -- $(CPPFLAGS) -std=c17
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --suppress=missingIncludeSystem -D_GNU_SOURCE -Isrc --include=/usr/include/jansson.h src

install: all
	install -D -m 0755 $(BUILD)/nslab $(DESTDIR)$(PREFIX)/sbin/nslab
	install -D -m 0755 $(BUILD)/nslab-switchd $(DESTDIR)$(PREFIX)/sbin/nslab-switchd
	for m in $(MANS); do s=$${m##*.}; \
	  install -D -m 0644 $$m $(DESTDIR)$(PREFIX)/share/man/man$$s/$$(basename $$m); done
	[ ! -f doc/nslab.bash-completion ] || install -D -m 0644 doc/nslab.bash-completion \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions/nslab

clean:
	rm -rf build

.PHONY: all tests deps check demo bench fuzz lint install clean
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
