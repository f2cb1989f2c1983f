/* Serial framing: COBS with a 0x00 delimiter, CRC-16/CCITT-FALSE over each packet. */
#ifndef RO_LINK_H
#define RO_LINK_H

#include <stdint.h>

typedef struct {
    uint16_t frames;     /* good frames handed on */
    uint16_t cobs;       /* frames that are not valid COBS */
    uint16_t too_long;   /* frames longer than we keep */
} link_counters_t;

uint16_t crc16_ccitt_false(const uint8_t *data, uint16_t len);
/* Feed one received byte; returns the decoded packet length when a frame ended, else 0. */
uint16_t link_feed(uint8_t byte, uint8_t **packet);
void link_send(const uint8_t *packet, uint8_t len);  /* COBS-encode, delimit, transmit */
const link_counters_t *link_counters(void);

#endif
