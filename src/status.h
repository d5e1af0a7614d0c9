/* status.h: the outcome of an operation, which is also the exit code. */
#ifndef XENLIVE_STATUS_H
#define XENLIVE_STATUS_H

typedef enum Status {
    STATUS_OK = 0,
    STATUS_ERROR = 1,
    STATUS_USAGE = 2,
    STATUS_NO_MEMORY = 3,
} Status;

#endif
