/* domlist.c: a snapshot of the domains Xen is running. */
#include "domlist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int DomainList_add(DomainList *l, uint32_t id, const char *name, uint64_t memory_mib,
                   unsigned vcpus, const char *state)
{
    Domain *grown = realloc(l->items, (l->count + 1) * sizeof *l->items);
    Domain *d;

    if (!grown)
        return -1;
    l->items = grown;
    d = &l->items[l->count];
    d->name = strdup(name);
    if (!d->name)
        return -1;
    d->id = id;
    d->memory_mib = memory_mib;
    d->vcpus = vcpus;
    snprintf(d->state, sizeof d->state, "%s", state);
    l->count++;
    return 0;
}

const Domain *DomainList_find(const DomainList *l, const char *name)
{
    size_t i;

    for (i = 0; i < l->count; i++) {
        if (strcmp(l->items[i].name, name) == 0)
            return &l->items[i];
    }
    return NULL;
}

void DomainList_free(DomainList *l)
{
    size_t i;

    for (i = 0; i < l->count; i++)
        free(l->items[i].name);
    free(l->items);
    l->items = NULL;
    l->count = 0;
}
