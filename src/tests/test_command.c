/* test_command.c: running xl and picking the line worth reporting. */
#include "command.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void test_summary_skips_blank_and_parsing_lines(void **state)
{
    char line[128];

    (void)state;
    assert_true(Command_summary("Parsing config from /run/xenlive/domains/debian-1.cfg\n"
                                "\n   \n"
                                "  libxl: error: libxl_create.c:1234: Domain 3:cannot make domain: -3  \n"
                                "libxl: error: second\n",
                                line, sizeof line));
    assert_string_equal(line, "libxl: error: libxl_create.c:1234: Domain 3:cannot make domain: -3");
}

/* xl restore's failure: its progress lines first, libxl's error later. */
static void test_summary_finds_the_error_after_chatter(void **state)
{
    char line[256];

    (void)state;
    assert_true(Command_summary("Loading new save file /run/xenlive/saves/tiny-2.save (new xl "
                                "fmt info 0x3/0x0/1417)\n Savefile contains xl domain config "
                                "in JSON format\nParsing config from <saved>\nwarning: x\n"
                                "libxl: error: libxl_create.c:1: bad\n",
                                line, sizeof line));
    assert_string_equal(line, "libxl: error: libxl_create.c:1: bad");
    assert_true(Command_summary("Loading new save file x (new xl fmt info 0x3/0x0/1417)\n"
                                "warning: x\n", line, sizeof line));
    assert_string_equal(line, "warning: x");
}

static void test_summary_of_last_line_without_newline(void **state)
{
    char line[128];

    (void)state;
    assert_true(Command_summary("\nonly line", line, sizeof line));
    assert_string_equal(line, "only line");
}

static void test_summary_false_when_nothing_said(void **state)
{
    char line[128] = "untouched";

    (void)state;
    assert_false(Command_summary("", line, sizeof line));
    assert_false(Command_summary("Parsing config from x.cfg\n\n", line, sizeof line));
    assert_string_equal(line, "untouched");
}

static void test_run_captures_stdout_stderr_and_status(void **state)
{
    char *argv[] = {"sh", "-c", "echo out; echo err >&2; exit 3", NULL};
    char output[128];

    (void)state;
    assert_int_equal(Command_run(argv, output, sizeof output), 3);
    assert_string_equal(output, "out\nerr\n");
}

static void test_run_reports_a_missing_program(void **state)
{
    char *argv[] = {"xenlive-no-such-program", NULL};
    char output[128];

    (void)state;
    assert_int_equal(Command_run(argv, output, sizeof output), 127);
    assert_string_equal(output,
                        "cannot run xenlive-no-such-program: No such file or directory\n");
}

static void test_run_reports_a_signal(void **state)
{
    char *argv[] = {"sh", "-c", "kill -9 $$", NULL};
    char output[16];

    (void)state;
    assert_int_equal(Command_run(argv, output, sizeof output), 128 + 9);
}

static void test_run_truncates_long_output_and_still_finishes(void **state)
{
    /* More than a pipe holds: the child must not block on it. */
    char *argv[] = {"sh", "-c", "yes | head -c 200000", NULL};
    char output[8];

    (void)state;
    assert_int_equal(Command_run(argv, output, sizeof output), 0);
    assert_string_equal(output, "y\ny\ny\ny");
}

/* Input on stdin, the password in DROPBEAR_PASSWORD, no terminal. */
static void test_run_input_password_and_no_terminal(void **state)
{
    char *argv[] = {"sh", "-c",
                    "cat; echo \"pw=$DROPBEAR_PASSWORD\"; "
                    "if (exec </dev/tty) 2>/dev/null; then echo tty; else echo no-tty; fi",
                    NULL};
    char *quiet[] = {"sh", "-c", "cat; echo end", NULL};
    char out[256];

    (void)state;
    assert_int_equal(Command_runInput(argv, "s3cret", "line one\n", out, sizeof out), 0);
    assert_string_equal(out, "line one\npw=s3cret\nno-tty\n");
    /* No input: stdin is /dev/null, not the caller's. */
    assert_int_equal(Command_runInput(quiet, NULL, NULL, out, sizeof out), 0);
    assert_string_equal(out, "end\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_summary_skips_blank_and_parsing_lines),
        cmocka_unit_test(test_summary_finds_the_error_after_chatter),
        cmocka_unit_test(test_summary_of_last_line_without_newline),
        cmocka_unit_test(test_summary_false_when_nothing_said),
        cmocka_unit_test(test_run_captures_stdout_stderr_and_status),
        cmocka_unit_test(test_run_reports_a_missing_program),
        cmocka_unit_test(test_run_reports_a_signal),
        cmocka_unit_test(test_run_truncates_long_output_and_still_finishes),
        cmocka_unit_test(test_run_input_password_and_no_terminal),
    };

    return cmocka_run_group_tests_name("command", tests, NULL, NULL);
}
