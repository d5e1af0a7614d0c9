# xenlive: a Xen live CD.  See README.md.
#   make          build out/xenlive.iso (installs missing Debian build
#                 dependencies first; needs root)
#   make run      build, then boot the ISO in QEMU, serial console here
#   make test     build, then run the test suite
#   make bench    build, then measure boot, launch, density, footprint and
#                 the TUI's cost under QEMU; writes docs/BENCHMARKS.md
#                 (BENCH_RUNS=1: about 130 minutes; tests/bench/README.md)
#   make soak     build, then SOAK_CYCLES (default 1000) guest lifecycles
#                 in one boot with leak counters every 50; writes the
#                 table to docs/BENCHMARKS.md (tests/boot/soak_test.py;
#                 not part of make test, which runs 30 cycles)
#   make repro    two cold builds of the commit, in two folders and two
#                 empty caches, compared stage by stage (tests/repro.sh)
#   make clean    remove out/
#   make distclean  also remove the build cache ($(XENLIVE_CACHE))
# RUN_ARGS passes options to iso/run-qemu.sh, e.g.
#   make run RUN_ARGS="--firmware uefi --media usb"

XENLIVE_CACHE ?= /var/cache/xenlive
export XENLIVE_CACHE

.PHONY: all iso run test bench soak repro clean distclean

all: iso

iso:
	./build.sh

run: iso
	iso/run-qemu.sh $(RUN_ARGS)

test: iso
	tests/run.sh

bench: iso
	tests/bench/bench.py

SOAK_CYCLES ?= 1000
export SOAK_CYCLES

soak: iso
	mkdir -p out/test-logs
	tests/boot/soak_test.py --cycles $(SOAK_CYCLES) --benchmarks docs/BENCHMARKS.md \
		--log out/test-logs/soak.log

repro:
	./build.sh deps
	tests/repro.sh --full

clean:
	rm -rf out

distclean: clean
	rm -rf "$(XENLIVE_CACHE)"
