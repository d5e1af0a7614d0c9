/* domlist.h: a snapshot of the domains Xen is running. */
#ifndef XENLIVE_DOMLIST_H
#define XENLIVE_DOMLIST_H

#include <stddef.h>
#include <stdint.h>

typedef struct Domain {
    uint32_t id;
    char *name;
    uint64_t memory_mib;
    unsigned vcpus;
    char state[7]; /* as xl list shows it: "r-----" */
} Domain;

typedef struct DomainList {
    Domain *items;
    size_t count;
} DomainList;

int DomainList_add(DomainList *l, uint32_t id, const char *name, uint64_t memory_mib,
                   unsigned vcpus, const char *state);
const Domain *DomainList_find(const DomainList *l, const char *name);
void DomainList_free(DomainList *l);

#endif
