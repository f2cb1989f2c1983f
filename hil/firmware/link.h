/* Serial framing: COBS with a 0x00 delimiter, CRC-16/CCITT-FALSE over each packet.
 *
 * The CRC is the frame check: a frame that is not valid COBS, is too short to be a packet
 * (under 8 bytes), fails the CRC, or is longer than we keep, is counted and dropped here,
 * unanswered, as spacelink/framing.py does; only intact packets reach tc_handle. */
#ifndef RO_LINK_H
#define RO_LINK_H

#include <stdint.h>

typedef struct {
    uint16_t frames;     /* good frames handed on */
    uint16_t cobs;       /* frames that are not valid COBS */
    uint16_t too_long;   /* frames longer than we keep */
    uint16_t too_short;  /* decoded packets under 8 bytes */
    uint16_t crc;        /* packets whose CRC does not match */
} link_counters_t;

uint16_t crc16_ccitt_false(const uint8_t *data, uint16_t len);
/* Feed one received byte; returns the length of an intact packet (CRC checked, CRC bytes
 * included) when a frame ended, else 0. */
uint16_t link_feed(uint8_t byte, uint8_t **packet);
void link_send(const uint8_t *packet, uint8_t len);  /* COBS-encode, delimit, transmit */
const link_counters_t *link_counters(void);

#endif
