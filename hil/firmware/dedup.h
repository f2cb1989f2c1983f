/* Execute-once memory: the request ids of the last DEDUP_SIZE accepted TCs and how each ended,
 * kept in EEPROM so that it survives a reset (the layout and its costs are in dedup.c). */
#ifndef RO_DEDUP_H
#define RO_DEDUP_H

#include "generated/dictionary.h"

#include <stdint.h>

#define DEDUP_SIZE RO_EXECUTE_ONCE_DEPTH  /* as the emulator's: spacelink/rovers.py */

#define DEDUP_RUNNING 0u          /* `final` of a request still executing */
#define DEDUP_NO_COMMAND 0xFFu    /* `command` not known (kept under another command table) */

typedef struct {
    uint16_t seq;     /* sequence count; the APID is ours (others are rejected) */
    uint8_t command;  /* index in ro_commands, or DEDUP_NO_COMMAND */
    uint8_t final;    /* DEDUP_RUNNING, else the final report's subtype (4, 7 or 8) */
    uint8_t code;     /* failure code of a final failure */
} dedup_entry_t;

/* Read the memory back from EEPROM, or start it empty when the EEPROM holds anything but
 * this layout (erased, another program's data, an older layout). Once, before any other call. */
void dedup_init(void);
/* 1 and the entry in *e if `seq` is remembered, else 0. */
uint8_t dedup_find(uint16_t seq, dedup_entry_t *e);
/* Remember an accepted request, still executing; written to EEPROM when this returns. */
void dedup_add(uint16_t seq, uint8_t command);
/* Record a request's final report (ignored if it is no longer remembered). */
void dedup_finish(uint16_t seq, uint8_t final, uint8_t code);
/* The k-th remembered request, oldest accepted first (k < DEDUP_SIZE): 1 and *e, or 0. */
uint8_t dedup_entry(uint8_t k, dedup_entry_t *e);

#endif
