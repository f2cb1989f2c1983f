#include "config.h"
#include "dedup.h"

static dedup_entry_t entries[DEDUP_SIZE];
static uint8_t used;
static uint8_t next;

dedup_entry_t *dedup_find(uint16_t seq) {
    for (uint8_t i = 0; i < used; i++) {
        if (entries[i].seq == seq) {
            return &entries[i];
        }
    }
    return 0;
}

void dedup_add(uint16_t seq) {
    entries[next].seq = seq;
    entries[next].final = 0;
    entries[next].code = 0;
    next = (uint8_t)((next + 1u) % DEDUP_SIZE);
    if (used < DEDUP_SIZE) {
        used++;
    }
}

void dedup_finish(uint16_t seq, uint8_t final, uint8_t code) {
    dedup_entry_t *e = dedup_find(seq);
    if (e != 0) {
        e->final = final;
        e->code = code;
    }
}
