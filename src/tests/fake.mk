# fake.mk: build/test/xenlive-fake (included by src/Makefile): the whole
# program with the fake backend (tests/xenlive_fake.c in place of
# backend_xen.c) and AddressSanitizer + UBSan, for the tests that run
# xenlive's commands and its TUI without Xen (tests/offline/).
#   make fake
FAKE_PROG = $(filter-out backend_xen.c,$(PROG)) backend_fake.c tests/xenlive_fake.c
FAKE_OBJS = $(addprefix $(B)/test/,$(CORE:.c=.o) $(FAKE_PROG:.c=.o))

.PHONY: fake

fake: $(B)/test/xenlive-fake

$(B)/test/xenlive-fake: $(FAKE_OBJS)
	$(CC) $(SANITIZE) -o $@ $^ $(CURSES_LIBS)
