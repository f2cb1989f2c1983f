/* Execute-once memory: the request ids of the last DEDUP_SIZE accepted TCs and how each ended. */
#ifndef RO_DEDUP_H
#define RO_DEDUP_H

#include <stdint.h>

typedef struct {
    uint16_t seq;     /* sequence count; the APID is ours (others are rejected) */
    uint8_t final;    /* 0 while running, else the final report's subtype (4, 7 or 8) */
    uint8_t code;     /* failure code of a final failure */
} dedup_entry_t;

dedup_entry_t *dedup_find(uint16_t seq);
void dedup_add(uint16_t seq);
void dedup_finish(uint16_t seq, uint8_t final, uint8_t code);

#endif
