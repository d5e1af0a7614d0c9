# fuzz.mk: the libFuzzer targets (included by src/Makefile).
#   make fuzz                      build/fuzz/fuzz_NAME, one per parser of outside text
#   make fuzz-run FUZZ_SECONDS=20  run each for that long on a copy of its seed corpus
#                                  (fuzz/corpus/NAME); fails when any crashes
# Needs clang (Debian's, with libFuzzer): FUZZ_CC=clang-NN to pick another.
FUZZ_CC = clang
FUZZ_SECONDS = 20
FUZZ_FLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O1 -g -fno-omit-frame-pointer \
             -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_TARGETS = fuzz_image_conf fuzz_cmdline fuzz_sshkey fuzz_knownhosts fuzz_prompt fuzz_xlcfg \
               fuzz_net fuzz_top fuzz_launch fuzz_guestinfo
FUZZ_CORE = $(addprefix $(B)/fuzz/obj/,$(CORE:.c=.o))
FUZZ_BINS = $(addprefix $(B)/fuzz/,$(FUZZ_TARGETS))

.PHONY: fuzz fuzz-run

fuzz: $(FUZZ_BINS)

# An archive, so that each target takes only the modules it uses.
$(B)/fuzz/core.a: $(FUZZ_CORE)
	rm -f $@
	ar rcs $@ $^

$(B)/fuzz/obj/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -I. -MMD -MP -c $< -o $@

$(B)/fuzz/%: fuzz/%.c fuzz/fuzz.h $(B)/fuzz/core.a
	@mkdir -p $(@D)
	$(FUZZ_CC) $(subst fuzzer-no-link,fuzzer,$(FUZZ_FLAGS)) -I. -o $@ $< $(B)/fuzz/core.a -lm

fuzz-run: $(FUZZ_BINS)
	sh fuzz/run.sh $(FUZZ_SECONDS) $(B)/fuzz $(FUZZ_TARGETS)

-include $(wildcard $(B)/fuzz/obj/*.d)
